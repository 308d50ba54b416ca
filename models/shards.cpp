// shards.cpp — see shards.h.
#include "models/shards.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/base/parallel.h"

namespace nasflat::models {


ShardedSteps::ShardedSteps(const NasflatModel& model, const TrainOptions& options)
    : shard_size_(options.shard_size),
      threads_(options.threads > 0
                   ? options.threads
                   : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))),
      cpu_(model.device() == Device::CPU) {
    NASFLAT_CHECK(options.shard_size >= 0, "train: negative shard size ", options.shard_size);
    NASFLAT_CHECK(options.threads >= 0, "train: negative thread count ", options.threads);
}

bool ShardedSteps::splits(size_t n) const {
    return cpu_ && shard_size_ > 0 && n > static_cast<size_t>(shard_size_);
}

double ShardedSteps::loss_and_gradients(NasflatModel& model, const ArchTable& table,
                                        const std::vector<Sample>& batch, const Pairs& pairs,
                                        const TrainOptions& options, Rng& rng) {
    const int n = static_cast<int>(batch.size());
    const int K = (n + shard_size_ - 1) / shard_size_;
    if (static_cast<int>(replicas_.size()) < K) replicas_.resize(static_cast<size_t>(K));
    auto first = [&](int k) { return k * shard_size_; };
    auto count = [&](int k) { return std::min(n, first(k) + shard_size_) - first(k); };

    // A. Readouts per shard, each on its replica (the model's current values).
    std::vector<Tensor> r(static_cast<size_t>(K)), supp(static_cast<size_t>(K));
    run_jobs(static_cast<size_t>(K), threads_, [&](size_t job, size_t) {
        const int k = static_cast<int>(job);
        std::unique_ptr<NasflatModel>& replica = replicas_[static_cast<size_t>(k)];
        if (!replica) replica = std::make_unique<NasflatModel>(model.config(), 0, Device::CPU);
        replica->params().copy_values_from(model.params());
        replica->params().zero_grad();
        std::vector<int32_t> archs, devs;
        for (int i = first(k); i < first(k) + count(k); ++i) {
            archs.push_back(batch[static_cast<size_t>(i)].arch);
            devs.push_back(batch[static_cast<size_t>(i)].device);
        }
        const ModelBatch mb = collate_archs(*replica, table, archs, devs);
        r[static_cast<size_t>(k)] = replica->readout(mb);
        supp[static_cast<size_t>(k)] = mb.supp;
    });

    // B. The head and the loss over the joined readouts (n, 128): dL/dR into dr.
    std::vector<Tensor> parts;
    for (const Tensor& t : r) parts.push_back(t.detach());
    const Tensor joined = concat(parts, 0);  // no graph: its inputs are detached
    const Tensor joined_supp = supp[0].defined() ? concat(supp, 0) : Tensor();
    std::vector<float> dr;
    const double value = options.scoring == PairScoring::TwoForwards
                             ? two_sides(model, joined, joined_supp, batch, pairs, options, rng, dr)
                             : one_head(model, joined, joined_supp, batch, pairs, options, rng, dr);
    if (!std::isfinite(value)) return value;

    // C. Each shard's backward from its rows of dL/dR, into its replica's gradients.
    const int64_t width = joined.dim(1);
    run_jobs(static_cast<size_t>(K), threads_, [&](size_t job, size_t) {
        const int k = static_cast<int>(job);
        const auto from = dr.begin() + first(k) * width;
        const std::vector<float> rows(from, from + count(k) * width);
        Tensor& rk = r[static_cast<size_t>(k)];
        rk.backward(Tensor::from_vector(rows, rk.shape()));
        rk = Tensor();  // frees the shard's graph
    });

    // D. The heads' gradients (two_sides), then the shards', in order.
    float* g = model.params().gradients();
    const int64_t P = model.params().numel();
    auto add = [&](const NasflatModel& m) {
        const float* gm = m.params().gradients();
        for (int64_t i = 0; i < P; ++i) g[i] += gm[i];
    };
    if (options.scoring == PairScoring::TwoForwards) {
        for (const auto& h : heads_) add(*h);
    }
    for (int k = 0; k < K; ++k) add(*replicas_[static_cast<size_t>(k)]);
    return value;
}

double ShardedSteps::one_head(NasflatModel& model, const Tensor& joined, const Tensor& supp,
                              const std::vector<Sample>& batch, const Pairs& pairs,
                              const TrainOptions& options, Rng& rng, std::vector<float>& dr) {
    Tensor R = joined.detach();
    R.set_requires_grad(true);
    std::vector<int32_t> devs;
    for (const Sample& s : batch) devs.push_back(s.device);
    const IndexMap graph_device =
        IndexMap::make(devs, model.config().device_vocab, Device::CPU, "train: devices");
    Tensor loss = pair_loss(model, R, supp, graph_device, batch, pairs, options, rng);
    const double value = loss.item();
    if (!std::isfinite(value)) return value;
    loss.backward();
    dr = R.grad_to_vector();
    return value;
}

double ShardedSteps::two_sides(NasflatModel& model, const Tensor& joined, const Tensor& supp,
                               const std::vector<Sample>& batch, const Pairs& pairs,
                               const TrainOptions& options, Rng& rng, std::vector<float>& dr) {
    // The seeds in pair_loss's order: side i, then side j.
    const uint64_t seeds[2] = {rng.next_u64(), rng.next_u64()};
    const std::vector<int32_t>* members[2] = {&pairs.i, &pairs.j};
    Tensor R[2], scores[2];
    run_jobs(2, threads_, [&](size_t s, size_t) {
        std::unique_ptr<NasflatModel>& head = heads_[s];
        if (!head) head = std::make_unique<NasflatModel>(model.config(), 0, Device::CPU);
        head->params().copy_values_from(model.params());
        head->params().zero_grad();
        R[s] = joined.detach();  // a leaf of its own per side: dL/dR arrives in two parts
        R[s].set_requires_grad(true);
        scores[s] = side_scores(*head, R[s], supp, batch, *members[s], seeds[s]);
    });
    Tensor leaf[2];
    for (int s = 0; s < 2; ++s) {
        leaf[s] = scores[s].detach();
        leaf[s].set_requires_grad(true);
    }
    Tensor loss = two_sided_loss(leaf[0], leaf[1], pairs, options.margin);
    const double value = loss.item();
    if (!std::isfinite(value)) return value;
    loss.backward();
    run_jobs(2, threads_, [&](size_t s, size_t) {
        scores[s].backward(Tensor::from_vector(leaf[s].grad_to_vector(), scores[s].shape()));
        scores[s] = Tensor();
    });
    dr = R[0].grad_to_vector();
    const std::vector<float> dr1 = R[1].grad_to_vector();
    for (size_t i = 0; i < dr.size(); ++i) dr[i] += dr1[i];
    return value;
}

}  // namespace nasflat::models
