// predictor.cpp — see predictor.h.
#include "nas/predictor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <numeric>

#include "kernels/check.h"
#include "nas/metrics.h"
#include "samplers/samplers.h"

namespace nasflat::nas {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Archs measured on every one of `devices`.
std::vector<int32_t> common_archs(SpaceContext& ctx, const std::vector<std::string>& devices) {
    std::vector<int32_t> archs;
    for (int a = 0; a < ctx.space().size(); ++a) {
        bool all = true;
        for (const auto& d : devices) all = all && ctx.device(d).covers(a);
        if (all) archs.push_back(a);
    }
    return archs;
}

// Min-max normalised latencies of `archs` over the whole device file (the authors' targets;
// only order and ties matter to the ranking loss).
std::vector<float> normalised(const DeviceData& d, const std::vector<int32_t>& archs) {
    auto [lo, hi] = std::minmax_element(d.values.begin(), d.values.end());
    const double span = *hi - *lo;
    std::vector<float> y;
    for (int32_t a : archs) y.push_back(static_cast<float>(span > 0 ? (d.value(a) - *lo) / span : 0.0));
    return y;
}

// The S pre-training archs: a uniform draw from the archs every source measured, or the
// chosen sampler over that pool (latency: the authors' metric device).
std::vector<int32_t> choose_source_samples(const ExperimentOptions& o, SpaceContext& ctx,
                                           const std::vector<int32_t>& pool, int count,
                                           Rng& rng) {
    if (o.source_sampler == "random") {
        std::vector<int32_t> chosen;
        for (int k : rng.sample_without_replacement(static_cast<int>(pool.size()), count)) {
            chosen.push_back(pool[k]);
        }
        return chosen;
    }
    const samplers::Method method = samplers::parse_method(o.source_sampler);
    samplers::SamplerInput in;
    in.candidates = pool;
    in.space_size = ctx.space().size();
    std::vector<double> scalar;
    if (samplers::needs_features(method)) {
        const Encoding& e = ctx.encoding(o.sampler_encoding);
        in.features = e.values.data();
        in.dim = e.dim;
    }
    if (method == samplers::Method::Latency) {
        const char* metric_device = o.space == Space::NB201 ? "1080ti_32" : "gold_6240";
        scalar = ctx.device(metric_device).dense(ctx.space().size());
        for (int32_t a : pool) {
            NASFLAT_CHECK(!std::isnan(scalar[a]), "--source-sampler latency: the metric device ",
                          metric_device, " has no measurement of arch ", a);
        }
    }
    if (method == samplers::Method::Params) {
        for (int a = 0; a < ctx.space().size(); ++a) scalar.push_back(ctx.space().params(a));
    }
    if (samplers::needs_scalar(method)) in.scalar = &scalar;
    return samplers::sample(method, count, in, rng);
}

}  // namespace

uint64_t derive_seed(uint64_t a, uint64_t b) { return mix64(a ^ mix64(b)); }

// ---- PredictorInfo --------------------------------------------------------------------------

nlohmann::json PredictorInfo::to_json() const {
    return {{"format", "nasflat-predictor"},
            {"space", space_name(space)},
            {"graph_mode", graph_mode_name(graph_mode)},
            {"devices", devices},
            {"sources", sources},
            {"supp", supp},
            {"supp_normalisation", supp_normalisation},
            {"target", target},
            {"calibration", calibration.to_json()},
            {"pretrain", pretrain},
            {"transfer", transfer}};
}

PredictorInfo PredictorInfo::from_json(const nlohmann::json& j, const std::string& file) {
    PredictorInfo p;
    try {
        NASFLAT_CHECK(j.value("format", "") == "nasflat-predictor", "checkpoint '", file,
                      "' holds a model but no predictor description; fix: write it with "
                      "`nasflat pretrain` or `nasflat transfer`");
        p.space = parse_space(j.at("space").get<std::string>());
        p.graph_mode = parse_graph_mode(j.at("graph_mode").get<std::string>());
        p.devices = j.at("devices").get<std::vector<std::string>>();
        p.sources = j.at("sources").get<std::vector<std::string>>();
        p.supp = j.at("supp").get<std::string>();
        p.supp_normalisation = j.at("supp_normalisation");
        p.target = j.at("target").get<std::string>();
        p.calibration = Calibration::from_json(j.at("calibration"), file);
        p.pretrain = j.value("pretrain", nlohmann::json::object());
        p.transfer = j.value("transfer", nlohmann::json::object());
    } catch (const nlohmann::json::exception& e) {
        fail("checkpoint '", file, "': bad predictor description (", e.what(),
             "); fix: write it again with `nasflat pretrain`");
    }
    for (const auto& s : p.sources) {
        NASFLAT_CHECK(p.row_of(s) >= 0, "checkpoint '", file, "': source device '", s,
                      "' is not in its device table");
    }
    NASFLAT_CHECK(p.target.empty() || p.row_of(p.target) >= 0, "checkpoint '", file,
                  "': target device '", p.target, "' is not in its device table");
    return p;
}

int PredictorInfo::row_of(const std::string& device) const {
    for (size_t i = 0; i < devices.size(); ++i) {
        if (devices[i] == device) return static_cast<int>(i);
    }
    return -1;
}

// ---- files ------------------------------------------------------------------------------

Predictor load_predictor(const std::string& path, Device device) {
    models::Checkpoint c = models::load_checkpoint(path);
    Predictor p;
    p.info = PredictorInfo::from_json(c.metadata, path);
    NASFLAT_CHECK(static_cast<int>(p.info.devices.size()) <= c.config.device_vocab,
                  "checkpoint '", path, "': ", p.info.devices.size(), " devices but ",
                  c.config.device_vocab, " embedding rows");
    p.model = c.build(device);
    return p;
}

void save_predictor(const std::string& path, const Predictor& p) {
    models::save_checkpoint(path, *p.model, p.info.to_json());
}

nlohmann::json encoding_normalisation(const Encoding& e) {
    nlohmann::json cols = nlohmann::json::array();
    for (int c = 0; c < e.dim; ++c) {
        cols.push_back({{"column", e.columns[c]},
                        {"kind", e.norms[c].kind},
                        {"shift", e.norms[c].shift},
                        {"scale", e.norms[c].scale}});
    }
    return cols;
}

std::unique_ptr<SpaceContext> load_predictor_context(const std::string& data_dir,
                                                     const Predictor& p) {
    auto ctx = SpaceContext::load(data_dir, p.info.space, p.info.graph_mode);
    const auto& manifest = ctx->device_names();
    for (size_t i = 0; i < manifest.size() && i < p.info.devices.size(); ++i) {
        NASFLAT_CHECK(manifest[i] == p.info.devices[i], "the data folder ", data_dir,
                      " lists device '", manifest[i], "' at embedding row ", i,
                      " but the checkpoint has '", p.info.devices[i],
                      "'; fix: use the data folder the predictor was trained with");
    }
    if (p.info.supp != "none") {
        const nlohmann::json now = encoding_normalisation(ctx->encoding(p.info.supp));
        const nlohmann::json& then = p.info.supp_normalisation;
        bool same = now.size() == then.size();
        for (size_t i = 0; same && i < now.size(); ++i) {
            for (const char* k : {"shift", "scale"}) {
                const double a = now[i][k].get<double>(), b = then[i].value(k, std::nan(""));
                same = same && std::fabs(a - b) <= 1e-9 * (1 + std::fabs(a));
            }
            same = same && now[i]["column"] == then[i].value("column", "") &&
                   now[i]["kind"] == then[i].value("kind", "");
        }
        NASFLAT_CHECK(same, "the '", p.info.supp, "' encoding of the data folder ", data_dir,
                      " is normalised with other constants than the checkpoint's; fix: use "
                      "the data folder it was trained with, or pre-train again");
    }
    return ctx;
}

// ---- training steps shared with the experiment -----------------------------------------------

models::ArchTable arch_table(SpaceContext& ctx, const std::string& supp) {
    models::ArchTable table{&ctx.graphs(), nullptr, 0};
    if (supp != "none") {
        const Encoding& e = ctx.encoding(supp);
        table.supp = e.values.data();
        table.supp_dim = e.dim;
    }
    return table;
}

models::ModelConfig experiment_model_config(const ExperimentOptions& o, SpaceContext& ctx) {
    models::ModelConfig config = model_config_for(o.space, o.flavor);
    config.layer_type = o.layer_type;
    config.hwemb_to_mlp = o.hwemb_to_mlp;
    config.fuse = o.fuse;
    if (o.supp != "none") config.supp_dim = ctx.encoding(o.supp).dim;
    return config;
}

models::TrainOptions pretrain_train_options(const ExperimentOptions& o) {
    models::TrainOptions t;
    t.epochs = o.epochs;
    t.batch_size = o.batch_size;
    t.lr = o.lr;
    t.eta_min = o.eta_min;
    t.weight_decay = o.weight_decay;
    t.scoring = o.scoring;
    return t;
}

models::TrainOptions transfer_train_options(const ExperimentOptions& o) {
    models::TrainOptions t = pretrain_train_options(o);
    t.epochs = o.transfer_epochs;
    t.batch_size = o.transfer_batch_size;
    t.lr = o.transfer_lr;
    return t;
}

double pretrain_on_sources(models::NasflatModel& model, const ExperimentOptions& o,
                           SpaceContext& ctx, const std::vector<std::string>& sources,
                           uint64_t trial_seed, std::ostream& progress,
                           const std::string& label) {
    if (o.source_samples <= 0 || o.epochs <= 0) return std::nan("");
    const auto t0 = Clock::now();
    const std::vector<int32_t> pool = common_archs(ctx, sources);
    NASFLAT_CHECK(static_cast<int>(pool.size()) >= o.source_samples, "pre-training: only ",
                  pool.size(), " archs are measured on every source device; hint: lower "
                  "--source-samples");
    Rng pick(derive_seed(trial_seed, 2));
    const std::vector<int32_t> chosen =
        choose_source_samples(o, ctx, pool, o.source_samples, pick);
    std::vector<models::Sample> samples;
    for (const auto& s : sources) {
        const DeviceData& d = ctx.device(s);
        const int row = ctx.device_row(s);
        const std::vector<float> y = normalised(d, chosen);
        for (size_t k = 0; k < chosen.size(); ++k) samples.push_back({chosen[k], row, y[k]});
    }
    Rng train_rng(derive_seed(trial_seed, 3));
    const models::ArchTable table = arch_table(ctx, o.supp);
    const double loss =
        models::train(model, table, samples, pretrain_train_options(o), train_rng);
    progress << "[pretrain] " << label << ": " << samples.size() << " samples x " << o.epochs
             << " epochs, loss " << loss << ", " << std::fixed << std::setprecision(1)
             << seconds_since(t0) << " s" << std::defaultfloat << std::endl;
    return loss;
}

int best_source_row(SpaceContext& ctx, const std::vector<std::string>& sources,
                    const std::vector<int32_t>& archs, const std::vector<double>& latency,
                    std::string* name) {
    int best = -1;
    double best_rho = -2.0;
    for (const auto& s : sources) {
        const DeviceData& d = ctx.device(s);
        std::vector<double> a, b;
        for (size_t k = 0; k < archs.size(); ++k) {
            if (!d.covers(archs[k])) continue;
            a.push_back(d.value(archs[k]));
            b.push_back(latency[k]);
        }
        if (a.size() < 2) continue;
        const double rho = spearman(a, b);
        if (std::isfinite(rho) && rho > best_rho) {
            best_rho = rho;
            best = ctx.device_row(s);
            if (name) *name = s;
        }
    }
    return best;
}

std::vector<models::Sample> device_samples(const std::vector<int32_t>& archs,
                                           const std::vector<double>& latency, int row) {
    NASFLAT_CHECK(archs.size() == latency.size(), "device_samples: ", archs.size(), " archs, ",
                  latency.size(), " latencies");
    std::vector<models::Sample> samples;
    if (archs.empty()) return samples;
    auto [lo, hi] = std::minmax_element(latency.begin(), latency.end());
    const double span = *hi - *lo;
    for (size_t k = 0; k < archs.size(); ++k) {
        samples.push_back({archs[k], row, static_cast<float>(span > 0 ? (latency[k] - *lo) / span
                                                                      : 0.0)});
    }
    return samples;
}

// ---- the verbs' steps ---------------------------------------------------------------------

Predictor pretrain_predictor(const ExperimentOptions& options, SpaceContext& ctx,
                             const std::vector<std::string>& sources, std::ostream& progress) {
    ExperimentOptions o = options;
    o.resolve();
    NASFLAT_CHECK(!sources.empty(), "pretrain: no source devices; fix: pass --task or --devices");
    for (const auto& s : sources) ctx.device_row(s);  // unknown names -> error listing them
    const auto t0 = Clock::now();
    Predictor p;
    const uint64_t trial_seed = derive_seed(o.seed, 0);
    p.model = std::make_unique<models::NasflatModel>(experiment_model_config(o, ctx),
                                                     derive_seed(trial_seed, 1), o.device);
    const double loss =
        pretrain_on_sources(*p.model, o, ctx, sources, trial_seed, progress, "sources");
    p.info.space = o.space;
    p.info.graph_mode = ctx.graph_mode();
    p.info.devices = ctx.device_names();
    p.info.sources = sources;
    p.info.supp = o.supp;
    if (o.supp != "none") p.info.supp_normalisation = encoding_normalisation(ctx.encoding(o.supp));
    p.info.pretrain = {{"source_samples", o.source_samples},
                       {"epochs", o.epochs},
                       {"lr", o.lr},
                       {"batch_size", o.batch_size},
                       {"weight_decay", o.weight_decay},
                       {"eta_min", o.eta_min},
                       {"source_sampler", o.source_sampler},
                       {"score_once", o.scoring == models::PairScoring::ScoreOnce},
                       {"seed", o.seed},
                       {"final_loss", std::isfinite(loss) ? nlohmann::json(loss) : nullptr},
                       {"seconds", seconds_since(t0)}};
    return p;
}

namespace {

// Fine-tunes p's model from `base` on the samples `idx` of (archs, ms) for embedding `row`,
// the row first copied from the best-correlated source (when asked). Returns that source.
std::string fit_subset(Predictor& p, SpaceContext& ctx, const std::vector<float>& base,
                       const std::vector<int32_t>& archs, const std::vector<double>& ms,
                       const std::vector<size_t>& idx, int row, const TransferOptions& o,
                       const models::TrainOptions& topt, uint64_t seed) {
    std::vector<int32_t> a;
    std::vector<double> y;
    for (size_t i : idx) {
        a.push_back(archs[i]);
        y.push_back(ms[i]);
    }
    p.model->params().values_from_host(base);
    std::string source;
    if (o.init_from_best_source) {
        const int src = best_source_row(ctx, p.info.sources, a, y, &source);
        if (src >= 0 && src != row) p.model->copy_device_row(row, src);
    }
    Rng rng(seed);
    models::train(*p.model, arch_table(ctx, p.info.supp), device_samples(a, y, row), topt, rng);
    return source;
}

}  // namespace

TransferReport transfer_predictor(Predictor& p, SpaceContext& ctx, const Measurements& m,
                                  const std::string& device, const TransferOptions& options,
                                  std::ostream& progress) {
    const auto t0 = Clock::now();
    TransferOptions o = options;
    const bool nb = p.info.space == Space::NB201;
    if (o.epochs < 0) o.epochs = nb ? 40 : 30;
    if (o.lr < 0) o.lr = nb ? 3e-3f : 1e-3f;
    NASFLAT_CHECK(m.space == p.info.space, m.file, ": measurements of ", space_name(m.space),
                  " but the checkpoint is a ", space_name(p.info.space), " predictor");
    NASFLAT_CHECK(o.epochs >= 1 && o.lr > 0 && o.batch_size >= 2 && o.folds >= 0,
                  "transfer: epochs >= 1, lr > 0, batch size >= 2 and folds >= 0 required");
    NASFLAT_CHECK(m.arch_index.size() >= 2, m.file, ": transfer needs at least 2 measured "
                  "architectures, got ", m.arch_index.size());
    NASFLAT_CHECK(!device.empty(), "transfer: the device needs a name; fix: pass --name");
    std::vector<double> ms = m.latency;
    const double to_ms = m.unit == "us" ? 1e-3 : m.unit == "s" ? 1e3 : 1.0;
    for (double& v : ms) v *= to_ms;
    NASFLAT_CHECK(*std::max_element(ms.begin(), ms.end()) > *std::min_element(ms.begin(), ms.end()),
                  m.file, ": every latency is the same, so there is no ranking to learn; fix: "
                  "measure architectures of different sizes");

    int row = p.info.row_of(device);
    if (row < 0) {
        row = static_cast<int>(p.info.devices.size());
        NASFLAT_CHECK(row < p.model->config().device_vocab, "transfer: the checkpoint's ",
                      p.model->config().device_vocab, " device rows are all used");
        p.info.devices.push_back(device);
    }
    models::TrainOptions topt;
    topt.epochs = o.epochs;
    topt.batch_size = o.batch_size;
    topt.lr = o.lr;
    topt.weight_decay = o.weight_decay;
    topt.eta_min = o.eta_min;
    topt.scoring = o.scoring;
    const std::vector<float> base = p.model->params().values_to_host();
    const std::vector<int32_t>& archs = m.arch_index;
    const size_t n = archs.size();
    const int eval_batch = 1024;

    TransferReport r;
    r.device = device;
    r.row = row;
    r.samples = static_cast<int>(n);
    r.archs = archs;
    r.measured_ms = ms;
    r.cv_ms.assign(n, std::nan(""));
    r.cv_spearman = r.cv_kendall = r.cv_mape = std::nan("");
    // Cross-validation: k folds of a seeded permutation, each fitted without its archs.
    const int k = std::min<int>(o.folds, static_cast<int>(n / 2));
    if (k >= 2) {
        Rng perm_rng(derive_seed(o.seed, 7));
        std::vector<int> perm = perm_rng.sample_without_replacement(static_cast<int>(n), static_cast<int>(n));
        std::vector<double> cv_score(n);
        for (int f = 0; f < k; ++f) {
            std::vector<size_t> train_idx, test_idx;
            for (size_t i = 0; i < n; ++i) (i % k == static_cast<size_t>(f) ? test_idx : train_idx).push_back(perm[i]);
            fit_subset(p, ctx, base, archs, ms, train_idx, row, o, topt, derive_seed(o.seed, 100 + f));
            const std::vector<float> s = predictor_scores(p, ctx, archs, row, eval_batch);
            std::vector<double> ts, tm;
            for (size_t i : train_idx) {
                ts.push_back(s[i]);
                tm.push_back(ms[i]);
            }
            const Calibration cal = fit_calibration(ts, tm, o.calibration);
            for (size_t i : test_idx) {
                cv_score[i] = s[i];
                r.cv_ms[i] = cal(s[i]);
            }
        }
        r.folds = k;
        r.cv_spearman = spearman(cv_score, ms);
        r.cv_kendall = kendall_tau_b(cv_score, ms);
        r.cv_mape = mape(r.cv_ms, ms);
        progress << "[transfer] " << device << ": " << k << "-fold cross-validation on " << n
                 << " samples: spearman " << std::fixed << std::setprecision(3) << r.cv_spearman
                 << ", kendall " << r.cv_kendall << ", MAPE " << std::setprecision(1) << r.cv_mape
                 << " %" << std::defaultfloat << std::endl;
    }
    // The predictor itself: every sample.
    std::vector<size_t> all(n);
    std::iota(all.begin(), all.end(), size_t{0});
    r.init_source = fit_subset(p, ctx, base, archs, ms, all, row, o, topt, derive_seed(o.seed, 1000));
    const std::vector<float> s = predictor_scores(p, ctx, archs, row, eval_batch);
    p.info.calibration = fit_calibration(std::vector<double>(s.begin(), s.end()), ms, o.calibration);
    p.info.target = device;
    r.seconds = seconds_since(t0);
    auto finite_or_null = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; };
    p.info.transfer = {{"device", device},
                       {"row", row},
                       {"measurements", m.file},
                       {"samples", n},
                       {"archs", archs},
                       {"epochs", o.epochs},
                       {"lr", o.lr},
                       {"batch_size", o.batch_size},
                       {"init_source", r.init_source},
                       {"folds", r.folds},
                       {"cv_spearman", finite_or_null(r.cv_spearman)},
                       {"cv_kendall", finite_or_null(r.cv_kendall)},
                       {"cv_mape_percent", finite_or_null(r.cv_mape)},
                       {"calibration", o.calibration},
                       {"seed", o.seed}};
    progress << "[transfer] " << device << ": fitted on " << n << " samples (row " << row
             << ", initialised from " << (r.init_source.empty() ? "its own row" : r.init_source)
             << "), " << std::fixed << std::setprecision(1) << r.seconds << " s"
             << std::defaultfloat << std::endl;
    return r;
}

std::vector<float> predictor_scores(const Predictor& p, SpaceContext& ctx,
                                    const std::vector<int32_t>& archs, int row, int batch) {
    return models::predict(*p.model, arch_table(ctx, p.info.supp), archs, row, batch);
}

}  // namespace nasflat::nas
