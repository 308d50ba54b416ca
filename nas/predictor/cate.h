// cate.h — the CATE encoding (Yan et al., ICML 2021) of every architecture of a space: the
// transformer of models/cate_model.h pre-trained by masked op prediction on pairs of
// computationally similar architectures, then run on each architecture alone.
// Dims: S architectures of the space, n nodes of a graph, E = 32 the encoding width.
//
// Sequences: the ops-on-nodes graphs of the space (SearchSpace::graph, GraphMode::Fixed: NB201
//   8 nodes, FBNet the 24-node chain), one token per node: op id, node index as the position.
// Attention mask: within a graph, node i attends to itself and to its graph neighbours in both
//   directions (predecessors and successors: the DAG taken as undirected). A pair (A, B) is A's
//   tokens then B's (segment 0 and 1); each token also attends to every node of the partner
//   (the cross mask), so a node sees its own graph's neighbourhood and the whole partner.
// Pairs: the training architectures are sorted by FLOPs (space/cost_model.h); an anchor drawn
//   uniformly gets a partner drawn uniformly among the other training architectures within
//   +-flops_window of its FLOPs (the nearest in FLOPs when none is), seeded.
// Masking: in each graph of a pair, round(mask_rate x internal nodes) (at least 1) of the
//   internal nodes (not the input or output node) are selected and shown as BERT does: 80 % the
//   [MASK] token, 10 % a random op, 10 % unchanged; the loss is the cross-entropy of the op head
//   on the selected tokens of both graphs. The unchanged 10 % make the head read a token's own
//   op, so the projection keeps op identity where context predicts little (FBNet's layers are
//   sampled independently, so only the partner's FLOPs tell a masked op: with [MASK] only, a
//   200-step run learnt the op marginal and the encoding collapsed to near-constant columns,
//   top variance 7e-4; with the mix, 0.08).
// Held-out: a seeded heldout_fraction of the space (at most max_heldout) never trains; its
//   masked-op accuracy (each paired with a training partner as above, one fixed mask) is
//   reported beside chance (the most frequent op among those masked targets).
// Encoding: the model's 32-d projection of the mean-pooled final hidden state of the
//   architecture alone (models/cate_model.h), columns "cate_0".."cate_31", norms "none".
// Seeded, and bit-identical for the same seed on the CPU path.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "nas/data/encoding.h"
#include "nas/space/search_space.h"

namespace nasflat::nas {

struct CateOptions {
    int layers = 2;
    int hidden = 64;
    int heads = 4;
    int ffn = 128;
    int steps = 3000;           // AdamW steps, one batch of pairs each
    int batch_pairs = 64;
    float lr = 1e-3f;           // peak; linear warm-up over the first 5 %, then cosine to 0
    float weight_decay = 1e-2f;
    float mask_rate = 0.15f;
    double flops_window = 0.05;  // partner within +-5 % of the anchor's FLOPs
    double heldout_fraction = 0.1;
    int max_heldout = 1000;
    int log_every = 500;  // progress lines every this many steps (0: none)
};

struct CateStats {
    int heldout = 0;                  // held-out architectures
    double heldout_accuracy = 0;      // masked-op accuracy on them
    double chance = 0;                // most frequent op among their masked targets
    double final_loss = 0;            // mean training loss over the last 100 steps
    double train_seconds = 0;
    std::vector<double> column_variance;  // (32) of the encoding over the space, descending
};

// Trains the CATE encoder on `ss` and encodes every architecture: Encoding "cate", dim 32,
// values (ss.size() x 32). Progress lines go to `progress`; `stats` (optional) gets the numbers.
Encoding train_cate(const SearchSpace& ss, const CateOptions& options, uint64_t seed,
                    std::ostream& progress, CateStats* stats = nullptr);

}  // namespace nasflat::nas
