// multipredict.cpp — the MultiPredict baseline's pre-training, transfer and scoring; see
// multipredict.h for the protocol and where it departs from the authors' code.
// Dims: A archs of the space, B batch, N = 9 nodes, F = 8 node features, Z = 13 proxies.
#include "nas/experiment/multipredict.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <memory>

#include "kernels/base/check.h"
#include "models/multipredict_model.h"
#include "nas/base/metrics.h"
#include "nas/data/encoding.h"
#include "nas/data/help_encoding.h"
#include "nas/predictor/training_steps.h"

namespace nasflat::nas {

namespace {

// Every architecture's inputs, built once per run.
struct Inputs {
    models::MultiPredictInput kind = models::MultiPredictInput::Graph;
    std::vector<float> features;   // graph: (A, N F)
    std::vector<float> adjacency;  // graph: (N N), the same for every NB201 cell
    std::vector<float> zcp;        // graph: (A, Z) to the head
    std::vector<float> vector;     // vector: (A, 132 + Z)
    int zcp_dim = 0, vector_dim = 0;
};

Inputs build_inputs(SpaceContext& ctx) {
    const SearchSpace& ss = ctx.space();
    const Encoding z = load_zcp_minmax(ctx.data_dir(), ss);
    Inputs in;
    in.zcp_dim = z.dim;
    if (ss.space() == Space::NB201) {
        in.kind = models::MultiPredictInput::Graph;
        in.zcp = z.values;
        for (int a = 0; a < ss.size(); ++a) {
            HelpNb201Graph g = help_nb201_graph(ss.ops(a));
            in.features.insert(in.features.end(), g.features.begin(), g.features.end());
            if (a == 0) in.adjacency = g.adjacency;
        }
    } else {
        in.kind = models::MultiPredictInput::Vector;
        in.vector_dim = kHelpFbnetDim + z.dim;
        for (int a = 0; a < ss.size(); ++a) {
            std::vector<float> v = help_fbnet_vector(ss.ops(a));
            in.vector.insert(in.vector.end(), v.begin(), v.end());
            in.vector.insert(in.vector.end(), z.row(a), z.row(a) + z.dim);
        }
    }
    return in;
}

// The rows of `archs` (with the device row of each) as one model batch.
models::MultiPredictBatch make_batch(const Inputs& in, const std::vector<int32_t>& archs,
                                     const std::vector<int32_t>& rows, int num_devices,
                                     Device device) {
    const int64_t B = static_cast<int64_t>(archs.size());
    models::MultiPredictBatch b;
    b.size = B;
    b.devices = IndexMap::make(rows, num_devices, device, "multipredict device rows");
    auto gather = [&](const std::vector<float>& table, int64_t width) {
        std::vector<float> out;
        out.reserve(static_cast<size_t>(B * width));
        for (int32_t a : archs) {
            const float* r = table.data() + static_cast<size_t>(a) * width;
            out.insert(out.end(), r, r + width);
        }
        return out;
    };
    if (in.kind == models::MultiPredictInput::Graph) {
        const int64_t N = kHelpNb201Nodes, F = kHelpNb201Features;
        b.features = Tensor::from_vector(gather(in.features, N * F), {B * N, F}, device);
        std::vector<float> adj;
        adj.reserve(static_cast<size_t>(B * N * N));
        for (int64_t k = 0; k < B; ++k) {
            adj.insert(adj.end(), in.adjacency.begin(), in.adjacency.end());
        }
        b.adjacency = Tensor::from_vector(adj, {B, N, N}, device);
        b.zcp = Tensor::from_vector(gather(in.zcp, in.zcp_dim), {B, in.zcp_dim}, device);
    } else {
        b.vector =
            Tensor::from_vector(gather(in.vector, in.vector_dim), {B, in.vector_dim}, device);
    }
    return b;
}

struct Sample {
    int32_t arch = 0, row = 0;
    float target = 0.0f;  // min-max normalised latency
};

// Fits every parameter on `samples`: fresh AdamW, cosine from lr to 0 over `epochs` (stepped
// per epoch), shuffled batches, L1 summed over each batch. Returns the last epoch's mean loss.
double fit(models::MultiPredictModel& model, const Inputs& in, const std::vector<Sample>& samples,
           int epochs, int batch_size, const MultiPredictOptions& m, Rng& rng) {
    AdamWOptions adam;
    adam.lr = m.lr;
    adam.weight_decay = m.weight_decay;
    AdamW opt(model.params(), adam);
    const Device device = model.device();
    const int V = model.config().num_devices;
    std::vector<size_t> order(samples.size());
    double last = 0.0;
    for (int epoch = 0; epoch < epochs; ++epoch) {
        opt.set_lr(cosine_lr(m.lr, 0.0f, epoch, epochs));
        for (size_t k = 0; k < order.size(); ++k) order[k] = k;
        rng.shuffle(order);
        double sum = 0.0;
        int batches = 0;
        for (size_t start = 0; start < order.size(); start += batch_size) {
            const size_t end = std::min(order.size(), start + static_cast<size_t>(batch_size));
            std::vector<int32_t> archs, rows;
            std::vector<float> y;
            for (size_t k = start; k < end; ++k) {
                const Sample& s = samples[order[k]];
                archs.push_back(s.arch);
                rows.push_back(s.row);
                y.push_back(s.target);
            }
            model.params().zero_grad();
            const Tensor pred = model.forward(make_batch(in, archs, rows, V, device));
            const Tensor target = Tensor::from_vector(y, {static_cast<int64_t>(y.size())}, device);
            Tensor loss = l1_loss(pred, target);
            const double value = loss.item();
            NASFLAT_CHECK(std::isfinite(value), "MultiPredict training diverged at epoch ",
                          epoch + 1, ": the loss became ", value, "; fix: lower the lr (it is ",
                          m.lr, ")");
            loss.backward();
            opt.step();
            sum += value;
            ++batches;
        }
        last = batches ? sum / batches : 0.0;
    }
    return last;
}

std::vector<double> predict(const models::MultiPredictModel& model, const Inputs& in,
                            const std::vector<int32_t>& archs, int32_t row, int batch) {
    NoGradGuard no_grad;
    std::vector<double> out;
    out.reserve(archs.size());
    for (size_t start = 0; start < archs.size(); start += batch) {
        const size_t end = std::min(archs.size(), start + static_cast<size_t>(batch));
        std::vector<int32_t> chunk(archs.begin() + start, archs.begin() + end);
        std::vector<int32_t> rows(chunk.size(), row);
        for (float p :
             model.forward(make_batch(in, chunk, rows, model.config().num_devices, model.device()))
                 .to_vector()) {
            out.push_back(p);
        }
    }
    return out;
}

// (x - min) / (max - min) over `values` (all 0 when constant).
std::vector<float> min_max(const std::vector<double>& values, const std::vector<double>& over) {
    const auto [lo, hi] = std::minmax_element(over.begin(), over.end());
    const double span = *hi - *lo;
    std::vector<float> out;
    for (double v : values) out.push_back(static_cast<float>(span > 0 ? (v - *lo) / span : 0.0));
    return out;
}

// Pre-training: S archs drawn once (the same on every source), every source's latencies on
// them, min-max over the source's whole file.
std::vector<Sample> source_samples(SpaceContext& ctx, const std::vector<std::string>& sources,
                                   const std::vector<int32_t>& pool, int count, Rng& pick) {
    std::vector<int32_t> chosen;
    for (int k : pick.sample_without_replacement(static_cast<int>(pool.size()), count)) {
        chosen.push_back(pool[k]);
    }
    std::vector<Sample> samples;
    for (size_t s = 0; s < sources.size(); ++s) {
        const DeviceData& d = ctx.device(sources[s]);
        std::vector<double> lat;
        for (int32_t a : chosen) lat.push_back(d.value(a));
        const std::vector<float> y = min_max(lat, d.values);
        for (size_t k = 0; k < chosen.size(); ++k) {
            samples.push_back({chosen[k], static_cast<int32_t>(s), y[k]});
        }
    }
    return samples;
}

// The authors' pre-training data (round_robin_archs), latency min-max over the source's whole
// file; archs a source lacks are left out.
std::vector<Sample> round_robin_samples(SpaceContext& ctx, const std::vector<std::string>& sources,
                                        int count) {
    const std::vector<std::vector<int32_t>> per_source =
        round_robin_archs(count, static_cast<int>(sources.size()));
    std::vector<Sample> samples;
    for (size_t s = 0; s < per_source.size(); ++s) {
        const DeviceData& d = ctx.device(sources[s]);
        for (int32_t arch : per_source[s]) {
            if (!d.covers(arch)) continue;
            samples.push_back(
                {arch, static_cast<int32_t>(s), min_max({d.value(arch)}, d.values)[0]});
        }
    }
    return samples;
}

// The source (index into sources) to start the target's row from: the best Spearman on
// the transfer samples among the sources that measured all of them; 0 when none did.
int best_source(SpaceContext& ctx, const std::vector<std::string>& sources,
                const std::vector<int32_t>& tf, const std::vector<double>& tf_latency) {
    std::vector<std::vector<double>> lat;
    std::vector<int> index;
    for (size_t s = 0; s < sources.size(); ++s) {
        const DeviceData& d = ctx.device(sources[s]);
        std::vector<double> v;
        for (int32_t a : tf) {
            if (d.covers(a)) v.push_back(d.value(a));
        }
        if (v.size() != tf.size()) continue;
        lat.push_back(v);
        index.push_back(static_cast<int>(s));
    }
    return lat.empty() ? 0 : index[most_correlated_source(lat, tf_latency)];
}

// The T samples of one (target, T), drawn as the NASFLAT run draws them.
std::vector<int32_t> own_transfer_samples(const ExperimentOptions& o, SpaceContext& ctx,
                                          const DeviceData& target, uint64_t trial_seed, size_t di,
                                          size_t ti, int T) {
    Rng rng(transfer_seed(trial_seed, di, ti));
    return choose_transfer_samples(o, o.samplers[0], ctx, target, T, rng);
}

// The authors' T samples: uniformly random, drawn once for the last target and used for every
// target (from the archs every target measured).
std::vector<int32_t> authors_transfer_samples(const std::vector<int32_t>& target_pool,
                                              uint64_t trial_seed, const Task& task, size_t ti,
                                              int T) {
    NASFLAT_CHECK(static_cast<int>(target_pool.size()) >= T, "MultiPredict: only ",
                  target_pool.size(), " archs are measured on every target, fewer than T = ", T);
    Rng rng(transfer_seed(trial_seed, task.targets.size() - 1, ti));
    std::vector<int32_t> tf;
    for (int k : rng.sample_without_replacement(static_cast<int>(target_pool.size()), T)) {
        tf.push_back(target_pool[k]);
    }
    return tf;
}

}  // namespace

std::vector<std::vector<int32_t>> round_robin_archs(int count, int sources) {
    NASFLAT_CHECK(count >= 1 && sources >= 1, "round_robin_archs: count ", count, ", sources ",
                  sources, " must be >= 1");
    std::vector<std::vector<int32_t>> out(sources);
    for (int64_t p = 0; p < static_cast<int64_t>(count) * sources; ++p) {
        out[p % sources].push_back(static_cast<int32_t>(p % count));
    }
    return out;
}

int most_correlated_source(const std::vector<std::vector<double>>& source_latency,
                           const std::vector<double>& target_latency) {
    NASFLAT_CHECK(!source_latency.empty(), "most_correlated_source: no source devices");
    int best = 0;
    double best_rho = -2.0;
    for (size_t s = 0; s < source_latency.size(); ++s) {
        NASFLAT_CHECK(source_latency[s].size() == target_latency.size(),
                      "most_correlated_source: source ", s, " has ", source_latency[s].size(),
                      " latencies, the target ", target_latency.size());
        const double rho = spearman(source_latency[s], target_latency);
        if (std::isnan(rho)) continue;  // a constant vector says nothing
        if (rho > best_rho) {
            best_rho = rho;
            best = static_cast<int>(s);
        }
    }
    return best;
}

struct MultiPredict::State {
    MultiPredictOptions options;
    std::vector<std::string> sources;
    Inputs in;
    std::unique_ptr<models::MultiPredictModel> model;
    std::vector<float> pretrained;
    int eval_batch = 0;
};

MultiPredict::MultiPredict(const MultiPredictOptions& m, SpaceContext& ctx,
                           const std::vector<std::string>& sources, int target_rows, uint64_t seed,
                           bool authors, Device device, int eval_batch)
    : state_(std::make_unique<State>()), ctx_(ctx) {
    NASFLAT_CHECK(m.source_samples > 0 && !sources.empty() && target_rows >= 1,
                  "MultiPredict: options not resolved, or no sources / target rows");
    State& st = *state_;
    st.options = m;
    st.sources = sources;
    st.eval_batch = eval_batch;
    st.in = build_inputs(ctx);
    models::MultiPredictConfig config;
    config.input = st.in.kind;
    config.zcp_dim = st.in.kind == models::MultiPredictInput::Graph ? st.in.zcp_dim : 0;
    config.vector_dim = st.in.vector_dim > 0 ? st.in.vector_dim : config.vector_dim;
    config.hw_dim = m.hw_dim;
    config.num_devices = static_cast<int>(sources.size()) + target_rows;
    st.model = std::make_unique<models::MultiPredictModel>(config, derive_seed(seed, 1), device);
    const auto t0 = Clock::now();
    std::vector<Sample> pre;
    if (authors) {
        pre = round_robin_samples(ctx, sources, m.source_samples);
    } else {
        const std::vector<int32_t> pool = common_archs(ctx, sources);
        NASFLAT_CHECK(static_cast<int>(pool.size()) >= m.source_samples, "MultiPredict: only ",
                      pool.size(), " archs are measured on every source device, fewer than the ",
                      m.source_samples, " asked for");
        Rng pick(derive_seed(seed, 2));
        pre = source_samples(ctx, sources, pool, m.source_samples, pick);
    }
    Rng train_rng(derive_seed(seed, 3));
    pretrain_loss = fit(*st.model, st.in, pre, m.epochs, m.batch_size, m, train_rng);
    pretrain_samples = static_cast<int>(pre.size());
    pretrain_seconds = seconds_since(t0);
    st.pretrained = st.model->params().values_to_host();
}

MultiPredict::~MultiPredict() = default;

MultiPredict::Transfer MultiPredict::transfer(const DeviceData& target, int target_row,
                                              const std::vector<int32_t>& tf,
                                              const std::vector<int32_t>& archs, uint64_t seed,
                                              bool authors) {
    State& st = *state_;
    const MultiPredictOptions& m = st.options;
    const int row = static_cast<int>(st.sources.size()) + target_row;
    NASFLAT_CHECK(target_row >= 0 && row < st.model->config().num_devices,
                  "MultiPredict: target row ", target_row, " out of range");
    std::vector<double> tf_latency;
    for (int32_t a : tf) tf_latency.push_back(target.value(a));
    Transfer out;
    out.source = best_source(ctx_, st.sources, tf, tf_latency);
    const std::vector<float> y = min_max(tf_latency, authors ? target.values : tf_latency);
    std::vector<Sample> samples;
    for (size_t k = 0; k < tf.size(); ++k) samples.push_back({tf[k], row, y[k]});
    // MC rounds from the pre-trained state (the authors': each continuing the last, and on from
    // the last transfer); the predictions averaged.
    out.pred.assign(archs.size(), 0.0);
    for (int r = 0; r < m.mc_rounds; ++r) {
        if (!authors) st.model->params().values_from_host(st.pretrained);
        if (!authors || r == 0) st.model->copy_device_row(row, out.source);
        Rng ft(derive_seed(seed, 100 + r));
        fit(*st.model, st.in, samples, m.transfer_epochs, m.transfer_batch_size, m, ft);
        const std::vector<double> p = predict(*st.model, st.in, archs, row, st.eval_batch);
        for (size_t k = 0; k < archs.size(); ++k) out.pred[k] += p[k] / m.mc_rounds;
    }
    return out;
}

ExperimentResult run_multipredict_experiment(const ExperimentOptions& o, SpaceContext& ctx,
                                             std::ostream& progress,
                                             const TrialCallback& on_trial) {
    NASFLAT_CHECK(o.predictor == PredictorKind::MultiPredict && o.multipredict.source_samples > 0,
                  "run_multipredict_experiment: options not resolved for MultiPredict");
    const MultiPredictOptions& m = o.multipredict;
    const Task task = get_task(o.space, o.task);
    ExperimentResult result = empty_result(o, task);
    const auto t_start = Clock::now();
    check_samples_fit_targets(o, ctx, task);
    // Protocol aliasing: the authors' run, leaks and all (multipredict.h).
    const bool authors = o.protocol == Protocol::Aliasing;
    const std::vector<int32_t> target_pool = common_archs(ctx, task.targets);

    for (int trial = o.first_trial; trial < o.first_trial + o.trials; ++trial) {
        const uint64_t trial_seed = derive_seed(o.seed, static_cast<uint64_t>(trial));
        // 1. pre-train on the sources; one device row per target after theirs.
        MultiPredict mp(m, ctx, task.sources, static_cast<int>(task.targets.size()), trial_seed,
                        authors, o.device, o.eval_batch);
        result.pretrain_seconds += mp.pretrain_seconds;
        progress << "[pretrain] " << task.name << " trial " << trial + 1
                 << " (multipredict): " << mp.pretrain_samples << " samples x " << m.epochs
                 << " epochs, loss " << std::setprecision(4) << mp.pretrain_loss << ", "
                 << std::fixed << std::setprecision(1) << mp.pretrain_seconds << " s"
                 << std::defaultfloat << std::endl;

        // 2. transfer to every target, for every T.
        for (size_t di = 0; di < task.targets.size(); ++di) {
            const DeviceData& target = ctx.device(task.targets[di]);
            for (size_t ti = 0; ti < o.samples.size(); ++ti) {
                const auto t_tf = Clock::now();
                const int T = o.samples[ti];
                const std::vector<int32_t> tf =
                    authors ? authors_transfer_samples(target_pool, trial_seed, task, ti, T)
                            : own_transfer_samples(o, ctx, target, trial_seed, di, ti, T);
                std::vector<std::vector<int32_t>> evals = {
                    authors ? target.arch_index : eval_archs(o.protocol, target, tf)};
                if (o.also_first128) evals.push_back(eval_archs(Protocol::First128, target, tf));
                std::vector<int32_t> all;
                for (const auto& e : evals) all.insert(all.end(), e.begin(), e.end());
                std::sort(all.begin(), all.end());
                all.erase(std::unique(all.begin(), all.end()), all.end());
                const MultiPredict::Transfer t =
                    mp.transfer(target, static_cast<int>(di), tf, all,
                                transfer_seed(trial_seed, di, ti), authors);
                std::vector<Score> scores;
                for (size_t k = 0; k < evals.size(); ++k) {
                    std::vector<double> pred;
                    for (int32_t a : evals[k]) {
                        const auto at = std::lower_bound(all.begin(), all.end(), a) - all.begin();
                        pred.push_back(t.pred[at]);
                    }
                    scores.push_back(score_predictions(pred, target, evals[k]));
                    DeviceScores& ds = result.per_samples[ti + k * o.samples.size()].per_device[di];
                    ds.spearman.push_back(scores[k].spearman);
                    ds.kendall.push_back(scores[k].kendall);
                }
                progress << "[transfer] " << task.name << " trial " << trial + 1 << " "
                         << target.name << " T=" << T << " (multipredict, row from "
                         << task.sources[t.source] << "): spearman " << std::fixed
                         << std::setprecision(3) << scores[0].spearman << " kendall "
                         << scores[0].kendall << " on " << evals[0].size() << " archs, "
                         << std::setprecision(1) << seconds_since(t_tf) << " s" << std::defaultfloat
                         << std::endl;
            }
        }
        result.completed_trials = trial + 1 - o.first_trial;
        result.seconds = seconds_since(t_start);
        if (on_trial) on_trial(result);
    }
    result.seconds = seconds_since(t_start);
    return result;
}

}  // namespace nasflat::nas
