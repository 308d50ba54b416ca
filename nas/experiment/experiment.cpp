// experiment.cpp — the pre-train -> transfer -> score loop of experiment.h.
// Randomness: trial t draws everything from seeds derived from (seed, t) and, per target, from
// (seed, t, target, T): results of one target do not depend on which other targets ran
// (except under the aliasing protocol, which carries weights over on purpose).
#include "nas/experiment/experiment.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/base/metrics.h"
#include "kernels/base/parallel.h"
#include "nas/experiment/help_runner.h"
#include "nas/experiment/multipredict.h"
#include "nas/predictor/calibration.h"
#include "nas/predictor/predictor.h"
#include "nas/predictor/sampling.h"
#include "nas/predictor/training_steps.h"
#include "nas/predictor/transfer.h"
#include "samplers/samplers.h"

namespace nasflat::nas {

PredictorKind parse_predictor(const std::string& s) {
    if (s == "nasflat") return PredictorKind::Nasflat;
    if (s == "multipredict") return PredictorKind::MultiPredict;
    if (s == "help") return PredictorKind::Help;
    fail("unknown predictor '", s, "'; hint: use nasflat, multipredict or help");
}

const char* predictor_name(PredictorKind p) {
    switch (p) {
        case PredictorKind::Nasflat:
            return "nasflat";
        case PredictorKind::MultiPredict:
            return "multipredict";
        case PredictorKind::Help:
            return "help";
    }
    return "?";
}

Protocol parse_protocol(const std::string& s) {
    if (s == "full") return Protocol::Full;
    if (s == "first128") return Protocol::First128;
    if (s == "aliasing") return Protocol::Aliasing;
    fail("unknown protocol '", s, "'; hint: use full, first128 or aliasing");
}

const char* protocol_name(Protocol p) {
    switch (p) {
        case Protocol::Full:
            return "full";
        case Protocol::First128:
            return "first128";
        case Protocol::Aliasing:
            return "aliasing";
    }
    return "?";
}

ScoreMode parse_score_mode(const std::string& s) {
    if (s == "last4") return ScoreMode::LastFour;
    if (s == "final") return ScoreMode::Final;
    fail("unknown score mode '", s, "'; hint: use last4 or final");
}

void ExperimentOptions::resolve() {
    const bool nb = space == Space::NB201;
    if (transfer_epochs < 0) transfer_epochs = nb ? 40 : 30;
    if (transfer_lr < 0.0f) transfer_lr = nb ? 3e-3f : 1e-3f;
    NASFLAT_CHECK(!samples.empty(), "--samples needs at least one value");
    for (int t : samples) {
        NASFLAT_CHECK(t >= 2, "--samples ", t,
                      " is too small; fix: the ranking loss needs at least 2 target samples");
    }
    NASFLAT_CHECK(trials >= 1, "--trials must be at least 1, got ", trials);
    NASFLAT_CHECK(first_trial >= 0, "--first-trial must be >= 0, got ", first_trial);
    PretrainRecipe::resolve();
    NASFLAT_CHECK(transfer_epochs >= 1, "--transfer-epochs must be >= 1");
    NASFLAT_CHECK(transfer_batch_size >= 2, "--transfer-batch-size must be at least 2");
    NASFLAT_CHECK(std::isfinite(transfer_lr) && transfer_lr > 0.0f && transfer_lr <= 1.0f,
                  "--transfer-lr must be a finite number in (0, 1]");
    NASFLAT_CHECK(eval_batch >= 0, "--eval-batch must be positive (0: the default)");
    NASFLAT_CHECK(threads >= 0, "--threads must be >= 0 (0: every core), got ", threads);
    if (eval_batch == 0) eval_batch = default_score_batch(device);
    NASFLAT_CHECK(!also_first128 || protocol == Protocol::Full,
                  "first128 can share a run only with protocol full (aliasing fine-tunes "
                  "differently); fix: run --protocol ",
                  protocol_name(protocol), " alone");
    NASFLAT_CHECK(!samplers.empty(), "--sampler needs at least one value");
    for (const std::string& spec : samplers) parse_sampler_spec(spec, sampler_encoding);
    NASFLAT_CHECK(predictor == PredictorKind::Nasflat || samplers.size() == 1, "--predictor ",
                  predictor_name(predictor),
                  " runs one sampler at a time; fix: give --sampler one value");
    if (predictor == PredictorKind::Help) {
        NASFLAT_CHECK(protocol != Protocol::Aliasing && !also_first128,
                      "--predictor help runs one protocol, full or first128; fix: drop "
                      "--protocol aliasing or the second protocol");
        NASFLAT_CHECK(!self_check,
                      "--self-check blends the NASFLAT model; fix: drop it with "
                      "--predictor help");
        for (int t : samples) {
            NASFLAT_CHECK(t >= 10, "--samples ", t,
                          ": HELP's hardware embedding alone takes "
                          "10 target measurements; fix: T >= 10 with --predictor help");
        }
        help.check();
    }
    if (predictor == PredictorKind::MultiPredict) {
        MultiPredictOptions& m = multipredict;
        if (m.source_samples < 0) m.source_samples = nb ? 900 : 4000;
        NASFLAT_CHECK(protocol != Protocol::Aliasing ||
                          (samplers.size() == 1 && samplers[0] == "random"),
                      "--predictor multipredict --protocol aliasing reproduces the authors' "
                      "run, which drew its samples at random; fix: --sampler random");
        NASFLAT_CHECK(!self_check,
                      "--self-check blends the NASFLAT model; fix: drop it with "
                      "--predictor multipredict");
        NASFLAT_CHECK(m.source_samples >= 1 && m.epochs >= 0 && m.batch_size >= 1 &&
                          m.transfer_epochs >= 0 && m.transfer_batch_size >= 1 &&
                          m.mc_rounds >= 1 && m.hw_dim >= 1,
                      "MultiPredict options: source samples, batch sizes, MC rounds and the "
                      "device width must be >= 1, epochs >= 0");
        NASFLAT_CHECK(std::isfinite(m.lr) && m.lr > 0.0f && m.lr <= 1.0f &&
                          std::isfinite(m.weight_decay) && m.weight_decay >= 0.0f,
                      "MultiPredict options: lr must lie in (0, 1], weight decay >= 0");
    }
}

uint64_t transfer_seed(uint64_t trial_seed, size_t di, size_t ti) {
    return derive_seed(trial_seed, 1000 + 97 * di + ti);
}

size_t result_index(const ExperimentOptions& o, size_t k, size_t si, size_t ti) {
    return (k * o.samplers.size() + si) * o.samples.size() + ti;
}

std::vector<int32_t> choose_transfer_samples(const ExperimentOptions& o, const std::string& sampler,
                                             SpaceContext& ctx, const DeviceData& target, int count,
                                             Rng& rng) {
    return sample_measured(sampler, o.sampler_encoding, ctx, target, count, rng);
}

std::vector<int32_t> eval_archs(Protocol protocol, const DeviceData& target,
                                const std::vector<int32_t>& tf) {
    std::vector<int32_t> out;
    for (int32_t a : target.arch_index) {
        if (protocol == Protocol::Full) {
            if (std::find(tf.begin(), tf.end(), a) == tf.end()) out.push_back(a);
        } else if (a < 128) {
            out.push_back(a);
        }
    }
    return out;
}

Score score_predictions(const std::vector<double>& p, const DeviceData& target,
                        const std::vector<int32_t>& archs) {
    std::vector<double> truth;
    for (int32_t a : archs) truth.push_back(target.value(a));
    return {spearman(p, truth), kendall_tau_b(p, truth)};
}

// Every T must leave at least 2 architectures of every target to score: checked before the
// pre-training, so a bad --samples fails at once rather than after it.
void check_samples_fit_targets(const ExperimentOptions& o, SpaceContext& ctx, const Task& task) {
    for (const std::string& name : task.targets) {
        const DeviceData& target = ctx.device(name);
        const int measured = static_cast<int>(target.arch_index.size());
        const int first128 = static_cast<int>(std::count_if(
            target.arch_index.begin(), target.arch_index.end(), [](int32_t a) { return a < 128; }));
        for (int t : o.samples) {
            const int left = o.protocol == Protocol::Full ? measured - t : first128;
            NASFLAT_CHECK(t <= measured && left >= 2, "--samples ", t, ": target ", name, " has ",
                          measured, " measured architectures, which leaves ", std::max(0, left),
                          " to score; fix: use T <= ", measured - 2);
        }
    }
}

ExperimentResult empty_result(const ExperimentOptions& o, const Task& task) {
    ExperimentResult result;
    result.task = task;
    result.options = o;
    std::vector<Protocol> protocols = {o.protocol};
    if (o.also_first128) protocols.push_back(Protocol::First128);
    for (Protocol p : protocols) {
        for (const std::string& sampler : o.samplers) {
            for (int t : o.samples) result.per_samples.push_back({p, t, sampler, {}});
        }
    }
    for (auto& r : result.per_samples) {
        for (const auto& d : task.targets) r.per_device.push_back({d, {}, {}});
    }
    return result;
}

namespace {

// The fine-tuning of one (trial, target, T), as `nasflat transfer` would run it
// (predictor/transfer.h).
TransferOptions transfer_options(const ExperimentOptions& o) {
    TransferOptions t = transfer_options_from(o.recipe());
    t.epochs = o.transfer_epochs;
    t.lr = o.transfer_lr;
    t.batch_size = o.transfer_batch_size;
    t.init_from_best_source = o.transfer_hwemb;
    return t;
}

Score evaluate(const models::NasflatModel& model, const models::ArchTable& table,
               const DeviceData& target, const std::vector<int32_t>& archs, int row,
               int eval_batch) {
    std::vector<float> pred = models::predict(model, table, archs, row, eval_batch);
    return score_predictions(std::vector<double>(pred.begin(), pred.end()), target, archs);
}

// The final model's predictions of `eval`, in ms by an isotonic calibration fitted on the
// transfer samples (what a user of this predictor would see), beside the measured values.
DevicePredictions kept_predictions(const models::NasflatModel& model,
                                   const models::ArchTable& table, const DeviceData& target,
                                   const std::vector<int32_t>& tf,
                                   const std::vector<double>& tf_latency,
                                   const std::vector<int32_t>& eval, int row, int eval_batch) {
    const std::vector<float> s_tf = models::predict(model, table, tf, row, eval_batch);
    const Calibration cal =
        fit_calibration(std::vector<double>(s_tf.begin(), s_tf.end()), tf_latency, "isotonic");
    DevicePredictions dp;
    dp.device = target.name;
    for (float s : models::predict(model, table, eval, row, eval_batch))
        dp.predicted_ms.push_back(cal(s));
    for (int32_t a : eval) dp.measured_ms.push_back(target.value(a));
    return dp;
}

// The practitioner's transfer (predictor/transfer.h: cross-validated self-check, blend of the
// model with the simple priors over the task's sources) from the T samples, scored on each set of
// `evals` with what it answers: one Score per set.
std::vector<std::vector<Score>> self_checked_scores(Predictor& p, SpaceContext& ctx,
                                                    const ExperimentOptions& o, const Task& task,
                                                    const DeviceData& target,
                                                    const std::vector<int32_t>& tf,
                                                    const std::vector<std::vector<int32_t>>& evals,
                                                    uint64_t seed) {
    p.info = PredictorInfo();
    p.info.space = o.space;
    p.info.graph_mode = ctx.graph_mode();
    p.info.devices = ctx.device_names();
    p.info.sources = task.sources;
    p.info.supp = o.supp;
    Measurements m;
    m.space = o.space;
    m.unit = "ms";
    m.file = "experiment:" + target.name;
    m.arch_index = tf;
    for (int32_t a : tf) m.values.push_back(std::max(target.value(a), kMinValue));
    TransferOptions t = transfer_options(o);
    t.blend_rule = BlendRule::parse(o.blend_rule);
    t.seed = seed;
    std::ostringstream quiet;
    transfer_predictor(p, ctx, m, target.name, t, quiet);
    const int row = p.info.row_of(target.name);
    std::vector<std::vector<Score>> out;
    for (const auto& eval : evals) {
        const std::vector<float> s = predictor_scores(p, ctx, eval, row, o.eval_batch);
        std::vector<double> pred(s.begin(), s.end()), truth;
        for (int32_t a : eval) truth.push_back(target.value(a));
        out.push_back({{spearman(pred, truth), kendall_tau_b(pred, truth)}});
    }
    return out;
}

// One (trial, target, sampler, T) of an experiment and what it gives.
struct TransferJob {
    int trial = 0;
    uint64_t trial_seed = 0;
    size_t di = 0, si = 0, ti = 0;  // target index, sampler index, T index
    bool keep = false;              // keep the predictions (the last trial's last T)
};
struct TransferOutcome {
    std::vector<Score> means;  // one per scored set: the protocol's, then first128
    std::optional<DevicePredictions> predictions;
    std::string line;  // the progress line
};

// Fine-tunes `p` (its model holds the pre-trained weights, or under aliasing the previous
// job's) on the job's T samples and scores it.
TransferOutcome run_transfer(const TransferJob& job, const ExperimentOptions& o, SpaceContext& ctx,
                             const Task& task, const models::ArchTable& table,
                             const std::vector<float>& pretrained, Predictor& p) {
    const auto t_tf = Clock::now();
    models::NasflatModel& model = *p.model;
    const DeviceData& target = ctx.device(task.targets[job.di]);
    const int row = ctx.device_row(task.targets[job.di]);
    const int T = o.samples[job.ti];
    Rng rng(transfer_seed(job.trial_seed, job.di, job.ti));
    if (o.protocol != Protocol::Aliasing) model.params().values_from_host(pretrained);
    const std::string& sampler = o.samplers[job.si];
    std::vector<int32_t> tf = choose_transfer_samples(o, sampler, ctx, target, T, rng);
    std::vector<double> tf_latency;
    for (int32_t a : tf) tf_latency.push_back(target.value(a));
    if (o.transfer_hwemb) {
        int src = best_source_row(ctx, task.sources, tf, tf_latency);
        if (src >= 0) model.copy_device_row(row, src);
    }
    const std::vector<models::Sample> samples = device_samples(tf, tf_latency, row);
    // The scored sets: the protocol's, then (also_first128) archs 0..127.
    std::vector<std::vector<int32_t>> evals = {eval_archs(o.protocol, target, tf)};
    if (o.also_first128) evals.push_back(eval_archs(Protocol::First128, target, tf));
    const models::TrainOptions topt = transfer_options(o).train_options();
    std::vector<std::vector<Score>> scores(evals.size());
    if (o.self_check) {
        model.params().values_from_host(pretrained);
        scores = self_checked_scores(p, ctx, o, task, target, tf, evals,
                                     derive_seed(job.trial_seed, 5000 + 97 * job.di + job.ti));
    } else {
        const int first_scored = o.score == ScoreMode::LastFour ? std::max(0, o.transfer_epochs - 4)
                                                                : o.transfer_epochs - 1;
        // Scoring does not touch the training's random stream or weights.
        models::train(model, table, samples, topt, rng, [&](int epoch, double) {
            if (epoch < first_scored) return;
            for (size_t k = 0; k < evals.size(); ++k) {
                scores[k].push_back(evaluate(model, table, target, evals[k], row, o.eval_batch));
            }
        });
    }
    TransferOutcome out;
    out.means.resize(evals.size());
    for (size_t k = 0; k < evals.size(); ++k) {
        for (const Score& sc : scores[k]) {
            out.means[k].spearman += sc.spearman / scores[k].size();
            out.means[k].kendall += sc.kendall / scores[k].size();
        }
    }
    if (job.keep) {
        out.predictions =
            kept_predictions(model, table, target, tf, tf_latency, evals[0], row, o.eval_batch);
    }
    std::ostringstream line;
    line << "[transfer] " << task.name << " trial " << job.trial + 1 << " " << target.name
         << (o.samplers.size() > 1 ? " " + sampler : std::string()) << " T=" << T << ": spearman "
         << std::fixed << std::setprecision(3) << out.means[0].spearman << " kendall "
         << out.means[0].kendall << " on " << evals[0].size() << " archs";
    if (o.also_first128) line << " (first128: spearman " << out.means[1].spearman << ")";
    line << ", " << std::setprecision(1) << seconds_since(t_tf) << " s\n";
    out.line = line.str();
    return out;
}

// The NASFLAT model's run: pre-train, then per (trial, target, T) a fresh copy fine-tuned.
ExperimentResult run_nasflat_experiment(ExperimentOptions o, SpaceContext& ctx,
                                        std::ostream& progress, const TrialCallback& on_trial) {
    const Task task = get_task(o.space, o.task);
    o.fit_to_sources(task.sources.size());
    ExperimentResult result = empty_result(o, task);
    const auto t_start = Clock::now();

    check_samples_fit_targets(o, ctx, task);
    // Load (or build) every sampler's encoding now, not after the first pre-training.
    for (const std::string& spec : o.samplers) {
        const SamplerSpec s = parse_sampler_spec(spec, o.sampler_encoding);
        if (!s.encoding.empty()) ctx.encoding(s.encoding);
    }
    const models::ModelConfig config = recipe_model_config(o, ctx);
    const models::ArchTable table = arch_table(ctx, o.supp);

    for (int trial = o.first_trial; trial < o.first_trial + o.trials; ++trial) {
        const uint64_t trial_seed = derive_seed(o.seed, static_cast<uint64_t>(trial));
        Predictor predictor;  // the model, and (self_check) what `transfer` needs besides
        predictor.model =
            std::make_unique<models::NasflatModel>(config, derive_seed(trial_seed, 1), o.device);
        models::NasflatModel& model = *predictor.model;
        // 1. pre-train on S archs per source device (the same archs on every source).
        const auto t_pre = Clock::now();
        PretrainRecipe pre = o.recipe();
        pre.train_threads = o.threads;  // the shards of each batch side by side: same bits
        pretrain_on_sources(model, pre, ctx, task.sources, trial_seed, progress,
                            task.name + " trial " + std::to_string(trial + 1) + "/" +
                                std::to_string(o.first_trial + o.trials));
        result.pretrain_seconds += seconds_since(t_pre);
        const std::vector<float> pretrained = model.params().values_to_host();

        // 2. transfer to every target, for every sampler and T: one job per (target, sampler,
        // T), side by side on
        // o.threads CPU threads, each worker with its own copy of the pre-trained predictor.
        // Every job starts from the pre-trained weights and its own seeds, so the results are
        // the same bits for any thread count; the aliasing protocol carries weights from job to
        // job on purpose and runs them in order on one thread.
        const size_t per_target = o.samplers.size() * o.samples.size();
        const size_t jobs = task.targets.size() * per_target;
        const int threads =
            o.protocol == Protocol::Aliasing || o.device != Device::CPU ? 1 : o.threads;
        const size_t workers = job_workers(jobs, threads);
        std::vector<Predictor> extra(workers - 1);
        for (Predictor& w : extra) {
            w.model = std::make_unique<models::NasflatModel>(config, derive_seed(trial_seed, 1),
                                                             o.device);
            w.model->params().values_from_host(pretrained);
        }
        const bool last_trial = trial + 1 == o.first_trial + o.trials;
        std::vector<TransferOutcome> outcomes(jobs);
        OrderedOutput printer(progress, jobs);
        run_jobs(jobs, threads, [&](size_t j, size_t w) {
            TransferJob job{trial, trial_seed, j / per_target, j % per_target / o.samples.size(),
                            j % o.samples.size()};
            job.keep =
                o.keep_predictions && last_trial && job.si == 0 && job.ti + 1 == o.samples.size();
            outcomes[j] = run_transfer(job, o, ctx, task, table, pretrained,
                                       w == 0 ? predictor : extra[w - 1]);
            printer.done(j, outcomes[j].line);
        });
        for (size_t j = 0; j < jobs; ++j) {
            const size_t di = j / per_target, si = j % per_target / o.samples.size(),
                         ti = j % o.samples.size();
            const std::vector<Score>& means = outcomes[j].means;
            for (size_t k = 0; k < means.size(); ++k) {
                DeviceScores& ds = result.per_samples[result_index(o, k, si, ti)].per_device[di];
                ds.spearman.push_back(means[k].spearman);
                ds.kendall.push_back(means[k].kendall);
            }
            if (outcomes[j].predictions) result.predictions.push_back(*outcomes[j].predictions);
        }
        result.completed_trials = trial + 1 - o.first_trial;
        result.seconds = seconds_since(t_start);
        if (on_trial) on_trial(result);
    }
    result.seconds = seconds_since(t_start);
    return result;
}

}  // namespace

ExperimentResult run_experiment(const ExperimentOptions& options_in, SpaceContext& ctx,
                                std::ostream& progress, const TrialCallback& on_trial) {
    ExperimentOptions o = options_in;
    o.resolve();
    NASFLAT_CHECK(ctx.space().space() == o.space, "run_experiment: context holds ",
                  space_name(ctx.space().space()), " but the experiment is on ",
                  space_name(o.space));
    switch (o.predictor) {
        case PredictorKind::Nasflat:
            return run_nasflat_experiment(o, ctx, progress, on_trial);
        case PredictorKind::MultiPredict:
            return run_multipredict_experiment(o, ctx, progress, on_trial);
        case PredictorKind::Help:
            return run_help_experiment(o, ctx, progress, on_trial);
    }
    fail("run_experiment: unknown predictor");
}

}  // namespace nasflat::nas
