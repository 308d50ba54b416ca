// shards.cpp — see shards.h.
#include "models/shards.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <thread>

#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat::models {

namespace {

// Runs job(k) for k in [0, jobs) on min(threads, jobs) threads (the caller's among them):
// thread w takes k = w, w + T, ... When jobs throw, the error of the lowest-numbered one is
// rethrown: the error a plain loop would raise first.
void side_by_side(int jobs, int threads, const std::function<void(int)>& job) {
    const int T = std::max(1, std::min(threads, jobs));
    std::vector<std::exception_ptr> errors(static_cast<size_t>(jobs));
    auto work = [&](int w) {
        for (int k = w; k < jobs; k += T) {
            try {
                job(k);
            } catch (...) {
                errors[static_cast<size_t>(k)] = std::current_exception();
                return;
            }
        }
    };
    std::vector<std::thread> pool;
    for (int w = 1; w < T; ++w) pool.emplace_back(work, w);
    work(0);
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& e : errors) {
        if (e) std::rethrow_exception(e);
    }
}

}  // namespace

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
    side_by_side(K, threads_, [&](int k) {
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

    // B. The head and the loss over the joined readouts, on this thread.
    std::vector<Tensor> parts;
    for (const Tensor& t : r) parts.push_back(t.detach());
    Tensor joined = concat(parts, 0);  // (n, 128), no graph: its inputs are detached
    joined.set_requires_grad(true);
    const Tensor joined_supp = supp[0].defined() ? concat(supp, 0) : Tensor();
    std::vector<int32_t> devs;
    for (const Sample& s : batch) devs.push_back(s.device);
    const IndexMap graph_device =
        IndexMap::make(devs, model.config().device_vocab, Device::CPU, "train: devices");
    Tensor loss = pair_loss(model, joined, joined_supp, graph_device, batch, pairs, options, rng);
    const double value = loss.item();
    if (!std::isfinite(value)) return value;
    loss.backward();

    // C. Each shard's backward from its rows of dL/dR, into its replica's gradients.
    const std::vector<float> dr = joined.grad_to_vector();  // (n, 128)
    const int64_t width = joined.dim(1);
    side_by_side(K, threads_, [&](int k) {
        const auto from = dr.begin() + first(k) * width;
        const std::vector<float> rows(from, from + count(k) * width);
        Tensor& rk = r[static_cast<size_t>(k)];
        rk.backward(Tensor::from_vector(rows, rk.shape()));
        rk = Tensor();  // frees the shard's graph
    });

    // D. The shards' gradients, in shard order.
    float* g = model.params().gradients();
    const int64_t P = model.params().numel();
    for (int k = 0; k < K; ++k) {
        const float* gk = replicas_[static_cast<size_t>(k)]->params().gradients();
        for (int64_t i = 0; i < P; ++i) g[i] += gk[i];
    }
    return value;
}

}  // namespace nasflat::models
