// layers.cpp — see layers.h for the formulas.
#include "models/layers.h"

#include <cmath>

#include "autograd/ops.h"

namespace nasflat::models {

// The initialisers skip an undefined tensor: a shapes-only ParameterStore (optim.h) hands those
// out, and then only the shapes matter.
void init_uniform(Tensor& t, Rng& rng, float bound) {
    if (!t.defined()) return;
    std::vector<float> v(static_cast<size_t>(t.numel()));
    for (auto& x : v) x = static_cast<float>(rng.uniform(-bound, bound));
    t.copy_from(v);
}

void init_normal(Tensor& t, Rng& rng, float stddev) {
    if (!t.defined()) return;
    std::vector<float> v(static_cast<size_t>(t.numel()));
    for (auto& x : v) x = static_cast<float>(stddev * rng.normal());
    t.copy_from(v);
}

void init_constant(Tensor& t, float value) {
    if (!t.defined()) return;
    t.copy_from(std::vector<float>(static_cast<size_t>(t.numel()), value));
}

Linear Linear::make(ParameterStore& params, Rng& rng, const std::string& name, int in, int out,
                    bool bias, float bound) {
    Linear l;
    float k = bound > 0.0f ? bound : 1.0f / std::sqrt(static_cast<float>(in));
    l.w = params.add(name + ".w", {in, out});
    init_uniform(l.w, rng, k);
    if (bias) {
        l.b = params.add(name + ".b", {out});
        init_uniform(l.b, rng, k);
    }
    return l;
}

Mlp Mlp::make(ParameterStore& params, Rng& rng, const std::string& name,
              const std::vector<int>& dims, float dropout, bool relu_last) {
    Mlp m;
    m.dropout = dropout;
    m.relu_last = relu_last;
    for (size_t i = 0; i + 1 < dims.size(); ++i) {
        m.layers.push_back(
            Linear::make(params, rng, name + "." + std::to_string(i), dims[i], dims[i + 1]));
    }
    return m;
}

Tensor NodeRows::times(const Tensor& w) const {
    Tensor product = matmul(rows, w);
    return pick ? index_select(product, *pick) : product;
}

Tensor NodeRows::per_node() const {
    return pick ? index_select(rows, *pick) : rows;
}

Tensor Mlp::forward(const Tensor& x, bool training, DropoutSeeds& seeds) const {
    Tensor h = x;
    for (size_t i = 0; i < layers.size(); ++i) {
        h = layers[i](h);
        if (i + 1 < layers.size() || relu_last) {
            h = relu(h);
            if (dropout > 0.0f) h = nasflat::dropout(h, dropout, seeds.next(), training);
        }
    }
    return h;
}

GraphFlowLayer GraphFlowLayer::make(ParameterStore& params, Rng& rng, const std::string& name,
                                    int in, int out, int gate_dim) {
    GraphFlowLayer l;
    float k = 1.0f / std::sqrt(static_cast<float>(out));
    l.w = params.add(name + ".w", {in, out});
    init_uniform(l.w, rng, k);
    l.b = params.add(name + ".b", {out});
    init_uniform(l.b, rng, k);
    l.gate = Linear::make(params, rng, name + ".gate", gate_dim, out);
    return l;
}

// out = sigmoid(gate(e)) * (pred-sum of S) + S + b, the tail in one op (autograd/ops_tail.cpp)
Tensor GraphFlowLayer::forward(const NodeRows& h, const NodeRows& e,
                               const ModelBatch& batch) const {
    Tensor s = h.times(w);
    Tensor messages = spmm(batch.pred, Tensor(), s);
    return gated_residual(e.times(gate.w), gate.b, messages, s, b);
}

AttentionLayer AttentionLayer::make(ParameterStore& params, Rng& rng, const std::string& name,
                                    int in, int out, int gate_dim, float slope, float eps) {
    AttentionLayer l;
    l.wk = Linear::make(params, rng, name + ".wk", in, out, false);
    l.a = params.add(name + ".a", {out});
    init_uniform(l.a, rng, 1.0f / std::sqrt(static_cast<float>(out)));
    l.gate = Linear::make(params, rng, name + ".gate", gate_dim, out);
    l.ln_gamma = params.add(name + ".ln_gamma", {out});
    init_constant(l.ln_gamma, 1.0f);
    l.ln_beta = params.add(name + ".ln_beta", {out});
    l.slope = slope;
    l.eps = eps;
    return l;
}

// s_e = leaky(<K_i * a / sqrt(O), K_l>) [* mask_e];  out = LN(sigmoid(gate(e)) * sum_e alpha_e K_l)
Tensor AttentionLayer::forward(const NodeRows& h, const NodeRows& e,
                               const ModelBatch& batch) const {
    Tensor k = h.times(wk.w);  // W_k has no bias
    const float inv_sqrt = 1.0f / std::sqrt(static_cast<float>(k.dim(1)));
    Tensor q = mul(k, scale(a, inv_sqrt));
    Tensor scores = leaky_relu(sddmm(batch.attention, q, k), slope);
    if (batch.attention_mask.defined()) scores = mul(scores, batch.attention_mask);
    Tensor alpha = edge_softmax(batch.attention, scores);
    Tensor mixed = spmm(batch.attention, alpha, k);
    return layer_norm(gated_residual(e.times(gate.w), gate.b, mixed), ln_gamma, ln_beta, eps);
}

EnsembleLayer EnsembleLayer::make(ParameterStore& params, Rng& rng, const std::string& name, int in,
                                  int out, const ModelConfig& config) {
    EnsembleLayer l;
    l.type = config.layer_type;
    if (l.type != LayerType::Attention) {
        l.flow = GraphFlowLayer::make(params, rng, name + ".dgf", in, out, config.gate_dim);
    }
    if (l.type != LayerType::GraphFlow) {
        l.attention = AttentionLayer::make(params, rng, name + ".gat", in, out, config.gate_dim,
                                           config.leaky_slope, config.ln_eps);
    }
    l.fuse = config.fuse;
    if (l.type == LayerType::Ensemble && l.fuse == Fuse::Mlp) {
        l.fuse_mlp = Mlp::make(params, rng, name + ".fuse", {2 * out, out, out}, 0.0f, false);
    }
    return l;
}

Tensor EnsembleLayer::forward(const NodeRows& h, const NodeRows& e, const ModelBatch& batch,
                              bool relu_after) const {
    Tensor out;
    switch (type) {
        case LayerType::GraphFlow:
            out = flow.forward(h, e, batch);
            break;
        case LayerType::Attention:
            out = attention.forward(h, e, batch);
            break;
        case LayerType::Ensemble: {
            Tensor a = flow.forward(h, e, batch), g = attention.forward(h, e, batch);
            // The average and the following ReLU in one pass.
            if (fuse == Fuse::Add) return average(a, g, relu_after);
            DropoutSeeds none(0);  // the fuse MLP has no dropout
            out = fuse_mlp.forward(concat({a, g}, 1), false, none);
            break;
        }
    }
    return relu_after ? relu(out) : out;
}

LayerStack LayerStack::make(ParameterStore& params, Rng& rng, const std::string& name, int in,
                            const std::vector<int>& dims, const ModelConfig& config) {
    LayerStack s;
    int width = in;
    for (size_t i = 0; i < dims.size(); ++i) {
        s.layers.push_back(EnsembleLayer::make(params, rng, name + "." + std::to_string(i), width,
                                               dims[i], config));
        width = dims[i];
    }
    return s;
}

Tensor LayerStack::forward(const NodeRows& input, const NodeRows& e,
                           const ModelBatch& batch) const {
    NodeRows x = input;
    for (size_t i = 0; i < layers.size(); ++i) {
        x = NodeRows{layers[i].forward(x, e, batch, i + 1 < layers.size()), nullptr};
    }
    return x.rows;
}

}  // namespace nasflat::models
