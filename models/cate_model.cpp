// cate_model.cpp — see cate_model.h for the formulas.
#include "models/cate_model.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/base/rng.h"
#include "models/layers.h"

namespace nasflat::models {

CateModel::CateModel(const CateConfig& c, uint64_t seed) : config_(c) {
    NASFLAT_CHECK(c.vocab > 0 && c.positions > 0 && c.hidden > 0 && c.layers >= 1 && c.ffn > 0 &&
                      c.encoding > 0 && c.heads >= 1 && c.hidden % c.heads == 0,
                  "cate: vocab ", c.vocab, ", positions ", c.positions, ", hidden ", c.hidden,
                  ", heads ", c.heads, ", layers ", c.layers, ", ffn ", c.ffn, ", encoding ",
                  c.encoding, "; hint: all positive, and heads must divide hidden");
    Rng rng(seed);
    const int H = c.hidden;
    auto lin = [&](const std::string& name, int in, int out, bool bias) {
        Linear l = Linear::make(store_, rng, name, in, out, bias);
        return std::make_pair(l.w, l.b);
    };
    auto emb = [&](const std::string& name, int rows) {
        Tensor t = store_.add(name, {rows, H});
        init_normal(t, rng, 0.1f);
        return t;
    };
    auto norm = [&](const std::string& name) {
        Tensor g = store_.add(name + ".g", {H});
        init_constant(g, 1.0f);
        store_.add(name + ".b", {H});
    };
    emb("op_emb", c.vocab + 1);
    emb("pos_emb", c.positions);
    emb("seg_emb", 2);
    for (int l = 0; l < c.layers; ++l) {
        const std::string p = "layer" + std::to_string(l);
        norm(p + ".ln1");
        lin(p + ".wq", H, H, false);
        lin(p + ".wk", H, H, false);
        lin(p + ".wv", H, H, false);
        lin(p + ".wo", H, H, true);
        norm(p + ".ln2");
        lin(p + ".w1", H, c.ffn, true);
        lin(p + ".w2", c.ffn, H, true);
    }
    norm("lnf");
    lin("proj", H, c.encoding, true);
    lin("pred", c.encoding, c.vocab, true);
    store_.pack(Device::CPU);
    // pack() moved the values: take the handles from the store.
    auto get = [&](const std::string& name) { return store_.get(name); };
    op_emb_ = get("op_emb");
    pos_emb_ = get("pos_emb");
    seg_emb_ = get("seg_emb");
    for (int l = 0; l < c.layers; ++l) {
        const std::string p = "layer" + std::to_string(l);
        layers_.push_back({get(p + ".ln1.g"), get(p + ".ln1.b"), get(p + ".wq.w"),
                           get(p + ".wk.w"), get(p + ".wv.w"), get(p + ".wo.w"),
                           get(p + ".wo.b"), get(p + ".ln2.g"), get(p + ".ln2.b"),
                           get(p + ".w1.w"), get(p + ".w1.b"), get(p + ".w2.w"),
                           get(p + ".w2.b")});
    }
    lnf_g_ = get("lnf.g");
    lnf_b_ = get("lnf.b");
    we_ = get("proj.w");
    be_ = get("proj.b");
    wp_ = get("pred.w");
    bp_ = get("pred.b");
}

Tensor CateModel::hidden(const CateBatch& b) const {
    const int64_t B = b.batch, N = b.tokens, H = config_.hidden;
    // 1. token = op + position + segment embeddings
    Tensor x = add(add(embedding(op_emb_, b.ops), embedding(pos_emb_, b.positions)),
                   embedding(seg_emb_, b.segments));
    x = reshape(x, {B, N, H});
    // 2. pre-norm blocks: masked multi-head attention, then the GELU feed-forward
    for (const Layer& l : layers_) {
        Tensor a = layer_norm(x, l.ln1_g, l.ln1_b);
        Tensor att = attention(linear(a, l.wq, Tensor()), linear(a, l.wk, Tensor()),
                               linear(a, l.wv, Tensor()), b.mask, config_.heads);
        x = add(x, linear(att, l.wo, l.bo));
        Tensor f = layer_norm(x, l.ln2_g, l.ln2_b);
        x = add(x, linear(gelu(linear(f, l.w1, l.b1)), l.w2, l.b2));
    }
    // 3. final norm
    return layer_norm(x, lnf_g_, lnf_b_);
}

Tensor CateModel::project(const Tensor& h) const { return linear(h, we_, be_); }

Tensor CateModel::op_logits(const Tensor& z) const { return linear(gelu(z), wp_, bp_); }

Tensor CateModel::encode(const CateBatch& b) const {
    const Tensor h = hidden(b);                                                  // (B, N, H)
    const Tensor pooled = matmul(reshape(b.pool, {b.batch, 1, b.tokens}), h);  // (B, 1, H)
    return project(reshape(pooled, {b.batch, config_.hidden}));
}

// forward: loss = mean_r (log sum_k e^{x_rk - m_r} - (x_{r,t_r} - m_r)), m_r a constant row max
Tensor cross_entropy(const Tensor& logits, const std::vector<int32_t>& targets) {
    NASFLAT_CHECK(logits.ndim() == 2 && logits.dim(0) == static_cast<int64_t>(targets.size()) &&
                      logits.dim(0) > 0,
                  "cross_entropy: logits ", shape_str(logits.shape()), " for ", targets.size(),
                  " targets; hint: (R, K) logits, R > 0 targets");
    const int64_t R = logits.dim(0), K = logits.dim(1);
    const std::vector<float> x = logits.to_vector();
    std::vector<float> row_max(R), onehot(R * K, 0.0f);
    for (int64_t r = 0; r < R; ++r) {
        NASFLAT_CHECK(targets[r] >= 0 && targets[r] < K, "cross_entropy: target ", targets[r],
                      " of row ", r, " outside [0, ", K, ")");
        row_max[r] = *std::max_element(x.begin() + r * K, x.begin() + (r + 1) * K);
        onehot[r * K + targets[r]] = 1.0f;
    }
    const Tensor shifted =
        sub(logits, expand_dim(Tensor::from_vector(row_max, {R}, logits.device()), {R, K}, 1,
                               1.0f));
    const Tensor lse = log(sum(exp(shifted), 1));                                       // (R)
    const Tensor picked = sum(mul(shifted, Tensor::from_vector(onehot, {R, K}, logits.device())),
                              1);                                                     // (R)
    return mean_all(sub(lse, picked));
}

}  // namespace nasflat::models
