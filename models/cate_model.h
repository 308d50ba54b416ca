// cate_model.h — the CATE encoder (Yan et al., "CATE: Computation-aware Neural Architecture
// Encoding with Transformers", ICML 2021): a small transformer over the node sequence of an
// architecture graph, pre-trained by masked op prediction on pairs of computationally similar
// architectures (the training loop: nas/predictor/cate.h).
// Dims: B sequences, N tokens per sequence (padded), H hidden, K op vocabulary (+1 for [MASK]),
//   E the encoding width (32), F the feed-forward width.
//
//   x_t   = op_emb[op_t] + pos_emb[pos_t] + seg_emb[seg_t]       (token t, pos = node index in
//           its own graph, seg = 0 for the first graph of a pair or a lone graph, 1 the partner)
//   layer (pre-norm), `layers` times:
//           x = x + W_o attention(LN(x) W_q, LN(x) W_k, LN(x) W_v, mask, heads)
//           x = x + W_2 gelu(W_1 LN(x))
//   h     = LN(x)                                                 (B, N, H)
//   z_t   = W_e h_t + b_e                                         (E) the projection
//   logit = W_p gelu(z_t) + b_p                                   (K) op prediction
// The encoding of an architecture is the projection of its mean-pooled final hidden state,
// W_e mean_t(h_t) + b_e over its real tokens, computed on the graph alone: the same thing as the
// mean of z_t, since the projection is linear, so the 32 values are the op head's own features.
// Attention masks (CateBatch::mask) are built by the caller: nas/predictor/cate.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "autograd/index.h"
#include "autograd/optim.h"
#include "autograd/tensor.h"

namespace nasflat::models {

struct CateConfig {
    int vocab = 0;      // K: op ids 0..K-1; id K is the [MASK] token
    int positions = 0;  // the longest graph (rows of the position table)
    int hidden = 64;
    int heads = 4;
    int layers = 2;
    int ffn = 128;
    int encoding = 32;
};

// One forward's input: B sequences of N tokens, row-major (B, N).
struct CateBatch {
    int64_t batch = 0, tokens = 0;
    IndexMap ops;        // (B N) op id or the [MASK] id; padding uses any id (its row is masked)
    IndexMap positions;  // (B N)
    IndexMap segments;   // (B N) 0 or 1
    Tensor mask;         // (B, N, N) 1 where query row may attend to key column
    Tensor pool;         // (B, N) mean-pooling weights (1 / n on real tokens of graph 0, else 0)
};

class CateModel {
  public:
    // Registers and initialises every tensor (linear layers U(+-1/sqrt(in)), embeddings
    // N(0, 0.1^2), layer norms 1 and 0), packed on the CPU. Same seed, same weights.
    CateModel(const CateConfig& config, uint64_t seed);

    const CateConfig& config() const { return config_; }
    ParameterStore& store() { return store_; }

    // The final hidden states h (B, N, H).
    Tensor hidden(const CateBatch& batch) const;
    // The 32-d projection z (rows, E) of hidden rows (rows, H).
    Tensor project(const Tensor& h) const;
    // Op logits (rows, K) of projected rows z (rows, E).
    Tensor op_logits(const Tensor& z) const;
    // The encodings (B, E): project(the pool-weighted sum of h).
    Tensor encode(const CateBatch& batch) const;

  private:
    struct Layer {
        Tensor ln1_g, ln1_b, wq, wk, wv, wo, bo, ln2_g, ln2_b, w1, b1, w2, b2;
    };
    CateConfig config_;
    ParameterStore store_;
    Tensor op_emb_, pos_emb_, seg_emb_, lnf_g_, lnf_b_, we_, be_, wp_, bp_;
    std::vector<Layer> layers_;
};

// Mean cross-entropy of `logits` (R, K) against class ids `targets` (R), computed as
// log-sum-exp minus the target's logit with the row max subtracted first (no overflow).
Tensor cross_entropy(const Tensor& logits, const std::vector<int32_t>& targets);

}  // namespace nasflat::models
