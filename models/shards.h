// shards.h — data-parallel training steps on the CPU: a batch's graph part in shards, side by
// side on several threads, with the same bits for any thread count.
// Dims: n batch samples, B = TrainOptions::shard_size, K = ceil(n / B) shards, 128 readout width.
//
// The graph part of a step (steps 1-5 of nasflat_model.h, most of its FLOPs) is separate per
// architecture; only the head's pair loss couples the batch. So a split step runs:
//   A. per shard k (samples [kB, kB + B)), on any thread: collate, readout r_k (B, 128) on
//      replica k, a copy of the model's values with gradients of its own;
//   B. R (n, 128) = the r_k joined in order, as a leaf; the head and the pair loss; backward ->
//      the head's gradients and dL/dR. With the authors' scoring (the head on both sides of
//      every pair: most of an NB201 step's head work) each side runs on a head replica of its
//      own, side by side, the loss between them on the calling thread; otherwise the head runs
//      once on the model itself;
//   C. per shard, on any thread: r_k.backward(rows of dL/dR) -> replica k's gradients;
//   D. the model's gradients += the side heads' (i, then j), then the shards' in shard order.
// No step depends on which thread ran a shard, so the bits are the same for any thread count.
// They differ from an unsplit step's in float rounding only (the gradient sums run in another
// order); a test checks both against each other.
#pragma once

#include <memory>
#include <vector>

#include "models/training.h"

namespace nasflat::models {

class ShardedSteps {
public:
    // Steps for training `model` with `options`; replicas are made on first use.
    ShardedSteps(const NasflatModel& model, const TrainOptions& options);

    // Whether a batch of n samples is split: a CPU model, shard_size > 0 and n > shard_size.
    bool splits(size_t n) const;

    // Steps A-D for one batch with its pairs drawn: returns the loss. The model's gradients
    // (zeroed by the caller) then hold the loss's gradient; a non-finite loss returns before
    // any backward.
    double loss_and_gradients(NasflatModel& model, const ArchTable& table,
                              const std::vector<Sample>& batch, const Pairs& pairs,
                              const TrainOptions& options, Rng& rng);

private:
    // Step B with the head once over the n readouts (ScoreOnce), on the model itself; or the
    // authors' two pair sides (TwoForwards), each side's head on a replica of its own, the two
    // side by side. Both return the loss and fill dr with dL/dR (n, 128) (when it is finite).
    double one_head(NasflatModel& model, const Tensor& joined, const Tensor& supp,
                    const std::vector<Sample>& batch, const Pairs& pairs,
                    const TrainOptions& options, Rng& rng, std::vector<float>& dr);
    double two_sides(NasflatModel& model, const Tensor& joined, const Tensor& supp,
                     const std::vector<Sample>& batch, const Pairs& pairs,
                     const TrainOptions& options, Rng& rng, std::vector<float>& dr);

    int shard_size_ = 0;
    int threads_ = 1;
    bool cpu_ = true;
    std::vector<std::unique_ptr<NasflatModel>> replicas_;  // one per shard
    std::unique_ptr<NasflatModel> heads_[2];               // one per pair side (two_sides)
};

}  // namespace nasflat::models
