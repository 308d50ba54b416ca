// layers.h — the building blocks of the NASFLAT predictor, built from autograd ops.
// Dims: N nodes, G graphs, I in-features, O out-features, C gate width (48).
//   GraphFlowLayer (DGF): S = H W;
//                         out_i = sigmoid(W_g e_i + b_g) * sum_{j in pred(i)} S_j + S_i + b
//   AttentionLayer (GAT): K = H W_k; s_il = leaky(sum_m a_m K_im K_lm / sqrt(O)) [* mask_il];
//                         alpha = softmax over i's attention row;
//                         out_i = LN(sigmoid(gate) * sum_l alpha_il K_l)
//   EnsembleLayer:        (DGF + GAT) / 2 (or an MLP on [DGF ; GAT]), or one branch alone.
// A layer's input H and the gate vectors e may come as a few distinct rows and a map picking
// one per node (NodeRows): then H W (or e W_g) is computed on the rows and gathered, the same
// numbers for far fewer FLOPs. The first layer of each pass sees only two distinct node states
// (the input node's and the rest); the op-update pass's gate vectors take one value per
// distinct (op, device) pair of the batch.
#pragma once

#include <string>
#include <vector>

#include "autograd/ops.h"
#include "autograd/optim.h"
#include "kernels/base/rng.h"
#include "models/collate.h"

namespace nasflat::models {

// Per-forward source of dropout seeds: every dropout site gets its own stream.
class DropoutSeeds {
  public:
    explicit DropoutSeeds(uint64_t seed) : seed_(seed) {}
    uint64_t next() { return mix64(seed_ + 0x51ED27ULL * ++count_); }

  private:
    uint64_t seed_;
    uint64_t count_ = 0;
};

// Per-node values (N, K): `rows` (R, K) picked per node by `pick`, or one row per node when
// pick is null.
struct NodeRows {
    Tensor rows;
    const IndexMap* pick = nullptr;
    // (N, O) = the node values times w (K, O), multiplied on the distinct rows, then gathered.
    Tensor times(const Tensor& w) const;
    // (N, K), materialised.
    Tensor per_node() const;
};

struct Linear {
    Tensor w;  // (I, O)
    Tensor b;  // (O) or undefined
    // PyTorch's default: weight and bias U(-1/sqrt(I), 1/sqrt(I)) unless `bound` > 0 is given.
    static Linear make(ParameterStore& params, Rng& rng, const std::string& name, int in, int out,
                       bool bias = true, float bound = 0.0f);
    Tensor operator()(const Tensor& x) const { return linear(x, w, b); }
};

// Linear -> ReLU -> (Dropout) -> ... -> Linear; `relu_last` adds ReLU(+Dropout) after the last.
struct Mlp {
    std::vector<Linear> layers;
    float dropout = 0.0f;
    bool relu_last = false;
    static Mlp make(ParameterStore& params, Rng& rng, const std::string& name,
                    const std::vector<int>& dims, float dropout, bool relu_last);
    Tensor forward(const Tensor& x, bool training, DropoutSeeds& seeds) const;
};

struct GraphFlowLayer {
    Tensor w, b;  // (I, O), (O): U(-1/sqrt(O), 1/sqrt(O))
    Linear gate;  // C -> O
    static GraphFlowLayer make(ParameterStore& params, Rng& rng, const std::string& name, int in,
                               int out, int gate_dim);
    Tensor forward(const NodeRows& h, const NodeRows& e, const ModelBatch& batch) const;
};

struct AttentionLayer {
    Linear wk;                 // I -> O, no bias
    Tensor a;                  // (O): the score weights
    Linear gate;               // C -> O
    Tensor ln_gamma, ln_beta;  // (O)
    float slope = 0.01f, eps = 1e-5f;
    static AttentionLayer make(ParameterStore& params, Rng& rng, const std::string& name, int in,
                               int out, int gate_dim, float slope, float eps);
    Tensor forward(const NodeRows& h, const NodeRows& e, const ModelBatch& batch) const;
};

struct EnsembleLayer {
    LayerType type = LayerType::Ensemble;
    Fuse fuse = Fuse::Add;
    GraphFlowLayer flow;
    AttentionLayer attention;
    Mlp fuse_mlp;  // Fuse::Mlp only: [dgf ; gat] (2O) -> O -> O
    static EnsembleLayer make(ParameterStore& params, Rng& rng, const std::string& name, int in,
                              int out, const ModelConfig& config);
    // relu_after: apply the ReLU that follows every layer but a stack's last (fused into the
    // branches' average when the layer is an ensemble joined by Fuse::Add).
    Tensor forward(const NodeRows& h, const NodeRows& e, const ModelBatch& batch,
                   bool relu_after) const;
};

// A stack of ensemble layers with ReLU between them (none after the last). The input comes as
// distinct rows and the map picking one per node (see the top of this file); later layers'
// inputs are per node.
struct LayerStack {
    std::vector<EnsembleLayer> layers;
    static LayerStack make(ParameterStore& params, Rng& rng, const std::string& name, int in,
                           const std::vector<int>& dims, const ModelConfig& config);
    Tensor forward(const NodeRows& input, const NodeRows& e, const ModelBatch& batch) const;
};

// Fills a parameter with values from the RNG, or with one value; an undefined tensor (from a
// shapes-only ParameterStore) is skipped.
void init_uniform(Tensor& t, Rng& rng, float bound);
void init_normal(Tensor& t, Rng& rng, float stddev = 1.0f);
void init_constant(Tensor& t, float value);

}  // namespace nasflat::models
