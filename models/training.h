// training.h — fitting the predictor with the pairwise hinge ranking loss, and scoring.
// A training set is a list of (architecture, device row, target latency) samples over a table
// of architecture graphs; the same code serves pre-training (many source devices) and transfer
// (one target device, few samples). Dims: n batch samples, P <= 4n pairs, D supp width.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "kernels/base/rng.h"
#include "models/nasflat_model.h"

namespace nasflat::models {

struct Sample {
    int32_t arch = 0;     // index into the graph table
    int32_t device = 0;   // device-embedding row
    float target = 0.0f;  // latency (any monotone scale: only its order and ties matter)
};

// Architecture graphs and (optionally) a supplementary encoding, both indexed by arch.
struct ArchTable {
    const std::vector<ArchGraph>* graphs = nullptr;
    const float* supp = nullptr;  // (num_archs, supp_dim) row-major, or null
    int supp_dim = 0;
};

enum class PairScoring {
    TwoForwards,  // the authors' way: score the "i" archs and the "j" archs in two forwards
    ScoreOnce     // score the batch once and pair the scores (same loss, fewer FLOPs)
};

struct TrainOptions {
    int epochs = 150;
    int batch_size = 128;
    float lr = 1e-3f;
    float eta_min = 1e-6f;
    float weight_decay = 1e-5f;
    float margin = 0.1f;
    int pairs_per_sample = 4;  // keep at most this many pairs per batch sample
    PairScoring scoring = PairScoring::TwoForwards;
    // Data parallelism on the CPU (models/shards.h): a batch of more than shard_size samples
    // runs its graph part in shards of shard_size, `threads` of them side by side; the result
    // is the same bits for any thread count (0: every core). shard_size 0: never split.
    int shard_size = 64;
    int threads = 1;
};

// Pairs of a batch (the authors' pairwise loss): every (i < j) with y_i != y_j; when there are more
// than max_pairs, a uniformly random subset of exactly max_pairs. sign = +1 when y_i > y_j.
struct Pairs {
    std::vector<int32_t> i, j;
    std::vector<float> sign;
};
Pairs sample_pairs(const std::vector<float>& y, int max_pairs, Rng& rng);

// The pairs of a training batch (sample_pairs over its targets, at most pairs_per_sample x n).
Pairs batch_pairs(const std::vector<Sample>& batch, const TrainOptions& options, Rng& rng);

// The pairwise hinge loss of a batch from its readout r (n, 128), supplementary rows supp
// (n, D) or undefined and device rows graph_device (n): the head and the loss of a training
// step (options.scoring), dropout seeds drawn from rng; records the graph for backward.
Tensor pair_loss(const NasflatModel& model, const Tensor& r, const Tensor& supp,
                 const IndexMap& graph_device, const std::vector<Sample>& batch,
                 const Pairs& pairs, const TrainOptions& options, Rng& rng);

// The authors' scoring's parts: the head's scores (P) of one side of the pairs (`members`, P
// rows of r (n, 128) and supp (n, D) or undefined; their samples' device rows) with dropout
// masks from `dropout_seed`; and the hinge loss of pair k comparing si[k] with sj[k].
Tensor side_scores(const NasflatModel& model, const Tensor& r, const Tensor& supp,
                   const std::vector<Sample>& batch, const std::vector<int32_t>& members,
                   uint64_t dropout_seed);
Tensor two_sided_loss(const Tensor& si, const Tensor& sj, const Pairs& pairs, float margin);

// Called after each epoch with (epoch index, mean batch loss).
using EpochCallback = std::function<void(int epoch, double mean_loss)>;

// Fits `model` on `samples` for options.epochs epochs: fresh AdamW, cosine LR per epoch,
// shuffled batches (a batch of one sample has no pair and is skipped). Returns the last
// epoch's mean loss. Divergence is an error (nasflat::Error naming the epoch): a non-finite loss
// at any step, or a non-finite weight at the end of an epoch.
double train(NasflatModel& model, const ArchTable& table, const std::vector<Sample>& samples,
             const TrainOptions& options, Rng& rng, const EpochCallback& on_epoch = nullptr);

// Scores of the given archs on device row `device` (no grad, batches of `batch_size`). On the
// CPU, `threads` > 1 scores the batches side by side (batch k on thread k mod threads): the
// batches, hence the scores, are the same bits for any thread count. A CUDA model ignores it.
std::vector<float> predict(const NasflatModel& model, const ArchTable& table,
                           const std::vector<int32_t>& archs, int32_t device, int batch_size = 1024,
                           int threads = 1);

// Collates the given archs for one device row.
ModelBatch collate_archs(const NasflatModel& model, const ArchTable& table,
                         const std::vector<int32_t>& archs, const std::vector<int32_t>& devices);

}  // namespace nasflat::models
