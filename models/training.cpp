// training.cpp — pair sampling, the training loop and batched prediction.
#include "models/training.h"

#include <algorithm>
#include <cmath>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/base/parallel.h"
#include "models/shards.h"

namespace nasflat::models {

Pairs sample_pairs(const std::vector<float>& y, int max_pairs, Rng& rng) {
    std::vector<std::pair<int32_t, int32_t>> all;
    const int32_t n = static_cast<int32_t>(y.size());
    for (int32_t a = 0; a < n; ++a) {
        for (int32_t b = a + 1; b < n; ++b) {
            if (y[a] != y[b]) all.push_back({a, b});
        }
    }
    if (static_cast<int>(all.size()) > max_pairs) {
        // Partial Fisher-Yates: a uniform subset of exactly max_pairs, in random order.
        for (int k = 0; k < max_pairs; ++k) {
            size_t r = k + static_cast<size_t>(rng.below(all.size() - k));
            std::swap(all[k], all[r]);
        }
        all.resize(static_cast<size_t>(max_pairs));
    }
    Pairs p;
    for (auto [a, b] : all) {
        p.i.push_back(a);
        p.j.push_back(b);
        p.sign.push_back(y[a] > y[b] ? 1.0f : -1.0f);
    }
    return p;
}

ModelBatch collate_archs(const NasflatModel& model, const ArchTable& table,
                         const std::vector<int32_t>& archs, const std::vector<int32_t>& devices) {
    NASFLAT_CHECK(table.graphs != nullptr, "collate_archs: no graph table");
    const auto& graphs = *table.graphs;
    std::vector<const ArchGraph*> gs;
    std::vector<float> supp;
    gs.reserve(archs.size());
    for (int32_t a : archs) {
        NASFLAT_CHECK(a >= 0 && a < static_cast<int32_t>(graphs.size()), "collate_archs: arch ", a,
                      " outside the table of ", graphs.size());
        gs.push_back(&graphs[a]);
        if (table.supp_dim > 0) {
            const float* row = table.supp + static_cast<int64_t>(a) * table.supp_dim;
            supp.insert(supp.end(), row, row + table.supp_dim);
        }
    }
    return collate(gs, devices, supp.empty() ? nullptr : supp.data(), table.supp_dim,
                   model.config(), model.device());
}

Tensor side_scores(const NasflatModel& model, const Tensor& r, const Tensor& supp,
                   const std::vector<Sample>& batch, const std::vector<int32_t>& members,
                   uint64_t dropout_seed) {
    const Device d = model.device();
    std::vector<int32_t> devices;
    for (int32_t k : members) devices.push_back(batch[static_cast<size_t>(k)].device);
    const IndexMap pick =
        IndexMap::make(members, static_cast<int32_t>(batch.size()), d, "pair side");
    const Tensor side_supp = supp.defined() ? index_select(supp, pick) : Tensor();
    return model.head_scores(
        index_select(r, pick), side_supp,
        IndexMap::make(devices, model.config().device_vocab, d, "pair side devices"), true,
        dropout_seed);
}

Tensor two_sided_loss(const Tensor& si, const Tensor& sj, const Pairs& pairs, float margin) {
    const int32_t P = static_cast<int32_t>(pairs.i.size());
    std::vector<int32_t> pi(P), pj(P);
    for (int32_t k = 0; k < P; ++k) {
        pi[k] = k;
        pj[k] = P + k;
    }
    PairList pl = PairList::make(pi, pj, pairs.sign, 2 * P, si.device());
    return pair_hinge_loss(concat({si, sj}, 0), pl, margin);
}

Tensor pair_loss(const NasflatModel& model, const Tensor& r, const Tensor& supp,
                 const IndexMap& graph_device, const std::vector<Sample>& batch,
                 const Pairs& pairs, const TrainOptions& options, Rng& rng) {
    if (options.scoring == PairScoring::ScoreOnce) {
        Tensor scores = model.head_scores(r, supp, graph_device, true, rng.next_u64());
        PairList pl = PairList::make(pairs.i, pairs.j, pairs.sign,
                                     static_cast<int32_t>(batch.size()), model.device());
        return pair_hinge_loss(scores, pl, options.margin);
    }
    // Two forwards, as the authors: the first members of every pair, then the second members,
    // each with its own dropout masks; pair k compares score k with score P + k. Only the head
    // has dropout, so the graph part (readout) runs once per batch sample and its rows are
    // picked per pair side: the same numbers as two full forward passes over the 2P sides, for
    // n instead of 2P = 8n graphs.
    const uint64_t seed_i = rng.next_u64();
    Tensor si = side_scores(model, r, supp, batch, pairs.i, seed_i);
    Tensor sj = side_scores(model, r, supp, batch, pairs.j, rng.next_u64());
    return two_sided_loss(si, sj, pairs, options.margin);
}

Pairs batch_pairs(const std::vector<Sample>& batch, const TrainOptions& options, Rng& rng) {
    std::vector<float> y;
    for (const Sample& s : batch) y.push_back(s.target);
    return sample_pairs(y, options.pairs_per_sample * static_cast<int>(batch.size()), rng);
}

namespace {

// Loss of one batch whose pairs are drawn, on one thread; records the graph for backward.
Tensor batch_loss(const NasflatModel& model, const ArchTable& table,
                  const std::vector<Sample>& batch, const Pairs& pairs,
                  const TrainOptions& options, Rng& rng) {
    std::vector<int32_t> archs, devs;
    for (const Sample& s : batch) {
        archs.push_back(s.arch);
        devs.push_back(s.device);
    }
    const ModelBatch mb = collate_archs(model, table, archs, devs);
    return pair_loss(model, model.readout(mb), mb.supp, mb.graph_device, batch, pairs, options,
                     rng);
}

// A step can turn weights non-finite while the loss still reads finite (a hinge clamps NaN
// scores to 0): every epoch ends with a look at every weight.
void check_finite_parameters(const NasflatModel& model, int epoch, float lr) {
    const std::vector<float> values = model.params().values_to_host();
    for (size_t i = 0; i < values.size(); ++i) {
        NASFLAT_CHECK(std::isfinite(values[i]), "training diverged at epoch ", epoch + 1,
                      ": the weights became non-finite (NaN or inf); fix: lower the learning "
                      "rate (it is ", lr, ")");
    }
}

}  // namespace

double train(NasflatModel& model, const ArchTable& table, const std::vector<Sample>& samples,
             const TrainOptions& options, Rng& rng, const EpochCallback& on_epoch) {
    NASFLAT_CHECK(options.batch_size >= 2, "train: batch size ", options.batch_size,
                  " must be at least 2 (pairs need two samples)");
    NASFLAT_CHECK(options.epochs >= 0, "train: negative epoch count");
    AdamWOptions adam;
    adam.lr = options.lr;
    adam.weight_decay = options.weight_decay;
    AdamW opt(model.params(), adam);
    std::vector<size_t> order(samples.size());
    ShardedSteps shards(model, options);
    double last_loss = 0.0;
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        opt.set_lr(cosine_lr(options.lr, options.eta_min, epoch, options.epochs));
        for (size_t k = 0; k < order.size(); ++k) order[k] = k;
        rng.shuffle(order);
        double loss_sum = 0.0;
        int batches = 0;
        for (size_t start = 0; start < order.size(); start += options.batch_size) {
            size_t end = std::min(order.size(), start + static_cast<size_t>(options.batch_size));
            if (end - start < 2) continue;
            std::vector<Sample> batch;
            for (size_t k = start; k < end; ++k) batch.push_back(samples[order[k]]);
            model.params().zero_grad();
            const Pairs pairs = batch_pairs(batch, options, rng);
            if (pairs.i.empty()) continue;  // every target tied: nothing to rank
            auto diverged = [&](double value) {
                NASFLAT_CHECK(std::isfinite(value), "training diverged at epoch ", epoch + 1,
                              ": the loss became ", value, "; fix: lower the learning rate (it "
                              "is ", options.lr, ")");
            };
            double value = 0.0;
            if (shards.splits(batch.size())) {
                value = shards.loss_and_gradients(model, table, batch, pairs, options, rng);
                diverged(value);
            } else {
                Tensor loss = batch_loss(model, table, batch, pairs, options, rng);
                value = loss.item();
                diverged(value);
                loss.backward();
            }
            opt.step();
            loss_sum += value;
            ++batches;
        }
        check_finite_parameters(model, epoch, options.lr);
        last_loss = batches ? loss_sum / batches : 0.0;
        if (on_epoch) on_epoch(epoch, last_loss);
    }
    return last_loss;
}

std::vector<float> predict(const NasflatModel& model, const ArchTable& table,
                           const std::vector<int32_t>& archs, int32_t device, int batch_size,
                           int threads) {
    NASFLAT_CHECK(batch_size >= 1, "predict: batch size must be positive");
    NASFLAT_CHECK(threads >= 1, "predict: thread count must be positive, got ", threads);
    const size_t n = archs.size(), bs = static_cast<size_t>(batch_size);
    const size_t batches = (n + bs - 1) / bs;
    std::vector<float> out(n);
    // Batch k into its own slice of out; the same bits for any thread count.
    const int T = model.device() == Device::CPU ? threads : 1;
    run_jobs(batches, T, [&](size_t k, size_t) {
        NoGradGuard no_grad;  // per thread: the switch is thread-local
        const size_t start = k * bs, end = std::min(n, start + bs);
        std::vector<int32_t> chunk(archs.begin() + start, archs.begin() + end);
        std::vector<int32_t> devs(chunk.size(), device);
        std::vector<float> s = model.forward(collate_archs(model, table, chunk, devs)).to_vector();
        std::copy(s.begin(), s.end(), out.begin() + start);
    });
    return out;
}

}  // namespace nasflat::models
