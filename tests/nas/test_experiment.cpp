// test_experiment.cpp — the experiment runner on the real data: a tiny end-to-end transfer on
// an easy device pair reaches a high Spearman within seconds, and the same seed gives the same
// numbers bit for bit (a different seed does not).
#include <cmath>
#include <cstring>
#include <sstream>

#include "models/training.h"
#include "nas/base/metrics.h"
#include "nas/experiment/experiment.h"
#include "nas/experiment/experiment_report.h"
#include "nas/predictor/training_steps.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::RealData;

class Experiment : public RealData {};

// Pre-train on 1080ti_1, transfer to titanx_1 (two GPUs at batch 1: an easy pair).
TEST_F(Experiment, EasyPairEndToEnd) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    models::ModelConfig config = model_config_for(Space::NB201, models::Flavor::Fixed);
    models::NasflatModel model(config, 3);
    models::ArchTable table{&ctx->graphs(), nullptr, 0};
    Rng rng(5);
    const DeviceData& src = ctx->device("1080ti_1");
    const DeviceData& dst = ctx->device("titanx_1");
    std::vector<models::Sample> pre;
    for (int a : rng.sample_without_replacement(15625, 192)) {
        pre.push_back({a, ctx->device_row("1080ti_1"), static_cast<float>(src.value(a))});
    }
    models::TrainOptions opt;
    opt.epochs = 8;
    opt.batch_size = 64;
    opt.scoring = models::PairScoring::ScoreOnce;
    models::train(model, table, pre, opt, rng);
    const int row = ctx->device_row("titanx_1");
    model.copy_device_row(row, ctx->device_row("1080ti_1"));
    std::vector<models::Sample> few;
    for (int a : rng.sample_without_replacement(15625, 20)) {
        few.push_back({a, row, static_cast<float>(dst.value(a))});
    }
    opt.epochs = 10;
    opt.batch_size = 16;
    opt.lr = 3e-3f;
    models::train(model, table, few, opt, rng);
    std::vector<int32_t> eval;
    std::vector<double> truth;
    for (int a : rng.sample_without_replacement(15625, 1500)) {
        eval.push_back(a);
        truth.push_back(dst.value(a));
    }
    std::vector<float> pred = models::predict(model, table, eval, row);
    const double rho = spearman(std::vector<double>(pred.begin(), pred.end()), truth);
    EXPECT_GT(rho, 0.8);
}

ExperimentOptions tiny(uint64_t seed) {
    ExperimentOptions o;
    o.space = Space::NB201;
    o.task = 1;
    o.samples = {5, 10};
    o.trials = 2;
    o.source_samples = 24;
    o.epochs = 2;
    o.transfer_epochs = 3;
    o.flavor = models::Flavor::Fixed;
    o.scoring = models::PairScoring::ScoreOnce;
    o.score = ScoreMode::Final;
    o.samplers = {"cosine"};
    o.sampler_encoding = "zcp";
    o.protocol = Protocol::First128;  // scoring 128 archs keeps the test fast
    o.seed = seed;
    return o;
}

std::vector<double> all_scores(const ExperimentResult& r) {
    std::vector<double> v;
    for (const auto& s : r.per_samples) {
        for (const auto& d : s.per_device) {
            v.insert(v.end(), d.spearman.begin(), d.spearman.end());
            v.insert(v.end(), d.kendall.begin(), d.kendall.end());
        }
    }
    return v;
}

TEST_F(Experiment, SameSeedSameNumbers) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log;
    int callbacks = 0;
    ExperimentResult a = run_experiment(tiny(7), *ctx, log, [&](const auto&) { ++callbacks; });
    ExperimentResult b = run_experiment(tiny(7), *ctx, log);
    ExperimentResult c = run_experiment(tiny(8), *ctx, log);
    EXPECT_EQ(callbacks, 2);
    EXPECT_EQ(a.completed_trials, 2);
    ASSERT_EQ(a.per_samples.size(), 2u);
    EXPECT_EQ(a.per_samples[0].per_device.size(), 5u);  // N1 has 5 targets
    std::vector<double> va = all_scores(a), vb = all_scores(b), vc = all_scores(c);
    ASSERT_EQ(va.size(), vb.size());
    EXPECT_EQ(0, std::memcmp(va.data(), vb.data(), va.size() * sizeof(double)));
    EXPECT_NE(va, vc);
    EXPECT_NE(log.str().find("[pretrain] N1 trial 1/2"), std::string::npos);
}

// Several samplers share each trial's pre-training: every (sampler, T) scores exactly what a
// run with that sampler alone scores, and "method:encoding" is the method over that encoding.
TEST_F(Experiment, SeveralSamplersShareThePretrainingAndMatchRunsOfOne) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log;
    ExperimentOptions o = tiny(3);
    o.trials = 1;
    o.samplers = {"random", "cosine:zcp", "params"};
    const ExperimentResult all = run_experiment(o, *ctx, log);
    ASSERT_EQ(all.per_samples.size(), 6u);  // 3 samplers x 2 T
    for (size_t si = 0; si < o.samplers.size(); ++si) {
        ExperimentOptions one = o;
        one.samplers = {si == 1 ? std::string("cosine") : o.samplers[si]};
        const ExperimentResult r = run_experiment(one, *ctx, log);
        ExperimentResult part = r;
        part.per_samples.clear();
        for (size_t ti = 0; ti < o.samples.size(); ++ti) {
            const SampleResult& sr = all.per_samples[result_index(o, 0, si, ti)];
            EXPECT_EQ(sr.sampler, o.samplers[si]);
            EXPECT_EQ(sr.samples, o.samples[ti]);
            part.per_samples.push_back(sr);
        }
        EXPECT_EQ(all_scores(part), all_scores(r)) << o.samplers[si];
    }
    // The samplers chose differently, so their scores differ.
    EXPECT_NE(all.per_samples[0].per_device[0].spearman, all.per_samples[2].per_device[0].spearman);
}

// Threads fine-tune a trial's (target, T) pairs side by side, each from its own copy of the
// pre-trained weights: the same bits, the same progress lines (wall times aside) and the same
// kept predictions as one thread.
TEST_F(Experiment, ThreadsGiveTheSameBitsAsOne) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log1, log3;
    ExperimentOptions o = tiny(11);
    o.trials = 1;
    o.keep_predictions = true;
    o.threads = 1;
    const ExperimentResult one = run_experiment(o, *ctx, log1);
    o.threads = 3;  // more workers than cores on a 2-core machine, fewer than the 10 jobs
    const ExperimentResult three = run_experiment(o, *ctx, log3);
    std::vector<double> a = all_scores(one), b = all_scores(three);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(double)));
    ASSERT_EQ(one.predictions.size(), three.predictions.size());
    for (size_t d = 0; d < one.predictions.size(); ++d) {
        EXPECT_EQ(one.predictions[d].device, three.predictions[d].device);
        EXPECT_EQ(one.predictions[d].predicted_ms, three.predictions[d].predicted_ms);
    }
    auto without_times = [](const std::string& s) {
        std::string out;
        std::istringstream in(s);
        for (std::string line; std::getline(in, line);)
            out += line.substr(0, line.rfind(", ")) + "\n";
        return out;
    };
    EXPECT_EQ(without_times(log1.str()), without_times(log3.str()));
}

// `--predictor help` runs HELP's meta-learner (predictor/help_meta.h) per trial and T with the
// trial's seed and the runner's protocol, and reports it like NASFLAT.
TEST_F(Experiment, HelpRunsThroughTheRunner) {
    auto ctx = SpaceContext::load(data_, Space::FBNet, GraphMode::Reference);
    ExperimentOptions o;
    o.space = Space::FBNet;
    o.task = 0;
    o.predictor = PredictorKind::Help;
    o.samples = {12};
    o.trials = 1;
    o.protocol = Protocol::First128;
    o.help.episodes = 2;
    o.help.width = 8;
    o.help.query = 20;
    o.help.mc_sampling = 1;
    o.help.log_every = 0;
    std::ostringstream log;
    const ExperimentResult r = run_experiment(o, *ctx, log);
    ASSERT_EQ(r.per_samples.size(), 1u);
    ASSERT_EQ(r.per_samples[0].per_device.size(), 3u);  // F0: fpga, raspi4, eyeriss
    HelpOptions h = o.help;
    h.eval_archs = [](const DeviceData& d, const std::vector<int32_t>& measured) {
        return eval_archs(Protocol::First128, d, measured);
    };
    std::ostringstream direct_log;
    const HelpResult direct = run_help_task(h, *ctx, get_task(Space::FBNet, 0),
                                            derive_seed(derive_seed(o.seed, 0), 7), 12, direct_log);
    for (size_t d = 0; d < 3; ++d) {
        const DeviceScores& ds = r.per_samples[0].per_device[d];
        ASSERT_EQ(ds.spearman.size(), 1u);
        EXPECT_EQ(ds.spearman[0], direct.per_target[d].spearman) << ds.device;
        EXPECT_EQ(ds.kendall[0], direct.per_target[d].kendall) << ds.device;
    }
    EXPECT_NE(log.str().find("[transfer] F0 trial 1 raspi4 T=12 (help)"), std::string::npos)
        << log.str();
    const std::string json = experiment_json(r);
    EXPECT_NE(json.find("\"predictor\": \"help\""), std::string::npos);
    EXPECT_NE(json.find("\"support_archs\": 2"), std::string::npos);
    o.samples = {9};
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"--samples 9", "T >= 10"});
    o.samples = {12};
    o.also_first128 = true;
    o.protocol = Protocol::Full;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"one protocol"});
}

// A run split over processes (--first-trial) gives each trial exactly the numbers it has in
// one long run, so the pieces merge (scripts/paper/merge_trials.py).
TEST_F(Experiment, SplitTrialsMatchOneLongRun) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log;
    ExperimentOptions o = tiny(5);
    o.samples = {5};
    const ExperimentResult both = run_experiment(o, *ctx, log);
    o.trials = 1;
    o.first_trial = 1;
    const ExperimentResult second = run_experiment(o, *ctx, log);
    EXPECT_EQ(second.completed_trials, 1);
    ASSERT_EQ(second.per_samples[0].per_device.size(), both.per_samples[0].per_device.size());
    std::vector<double> first, other;
    for (size_t d = 0; d < both.per_samples[0].per_device.size(); ++d) {
        const DeviceScores& b = both.per_samples[0].per_device[d];
        const DeviceScores& s = second.per_samples[0].per_device[d];
        ASSERT_EQ(b.spearman.size(), 2u);
        ASSERT_EQ(s.spearman.size(), 1u);
        EXPECT_EQ(s.spearman[0], b.spearman[1]) << b.device;
        EXPECT_EQ(s.kendall[0], b.kendall[1]) << b.device;
        first.push_back(b.spearman[0]);
        other.push_back(b.spearman[1]);
    }
    EXPECT_NE(first, other);  // the two trials are different draws
    EXPECT_NE(log.str().find("[pretrain] N1 trial 2/2"), std::string::npos);
    EXPECT_NE(experiment_json(second).find("\"first_trial\": 1"), std::string::npos);
}

// full and first128 fine-tune identically, so one run scoring both gives each protocol
// exactly the numbers of its own run.
TEST_F(Experiment, FullAndFirst128ShareOneRun) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log;
    ExperimentOptions o = tiny(9);
    o.trials = 1;
    o.samples = {5};
    o.protocol = Protocol::Full;  // scored on ~15.6k archs: the one costly part of this test
    const ExperimentResult full = run_experiment(o, *ctx, log);
    o.protocol = Protocol::First128;
    const ExperimentResult first = run_experiment(o, *ctx, log);
    o.protocol = Protocol::Full;
    o.also_first128 = true;
    const ExperimentResult both = run_experiment(o, *ctx, log);
    ASSERT_EQ(both.per_samples.size(), 2u);
    EXPECT_EQ(both.per_samples[0].protocol, Protocol::Full);
    EXPECT_EQ(both.per_samples[1].protocol, Protocol::First128);
    EXPECT_EQ(all_scores(full), all_scores({o, full.task, 1, {both.per_samples[0]}, {}, 0, 0}));
    EXPECT_EQ(all_scores(first), all_scores({o, full.task, 1, {both.per_samples[1]}, {}, 0, 0}));
    EXPECT_NE(all_scores(full), all_scores(first));
    const std::string json = experiment_json(both);
    EXPECT_NE(json.find("\"protocol\": \"first128\""), std::string::npos);
    // Aliasing fine-tunes differently: it cannot share.
    o.protocol = Protocol::Aliasing;
    EXPECT_THROW(run_experiment(o, *ctx, log), Error);
}

TEST_F(Experiment, KeepsCalibratedPredictionsForThePlot) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log;
    ExperimentOptions o = tiny(3);
    o.trials = 1;
    o.keep_predictions = true;
    const ExperimentResult r = run_experiment(o, *ctx, log);
    ASSERT_EQ(r.predictions.size(), 5u);  // one per N1 target, at the last T
    for (const DevicePredictions& d : r.predictions) {
        ASSERT_EQ(d.predicted_ms.size(), d.measured_ms.size());
        EXPECT_GT(d.predicted_ms.size(), 100u);  // archs 0..127 measured on the target
        for (double ms : d.predicted_ms) EXPECT_TRUE(std::isfinite(ms) && ms >= 0) << ms;
    }
    const std::vector<Panel> panels = experiment_plot(r);
    ASSERT_EQ(panels.size(), 2u);
    ASSERT_EQ(panels[0].series.size(), 6u);  // task mean + 5 devices
    EXPECT_EQ(panels[0].series[0].x, (std::vector<double>{5, 10}));
    EXPECT_EQ(panels[1].series.size(), 5u);
    EXPECT_EQ(render_svg(panels).rfind("<svg", 0), 0u);
    // Without the option nothing is kept.
    o.keep_predictions = false;
    EXPECT_TRUE(run_experiment(o, *ctx, log).predictions.empty());
}

TEST_F(Experiment, BadOptionsAreClearErrors) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log;
    ExperimentOptions o = tiny(1);
    o.samples = {1};
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"--samples", "at least 2"});
    o = tiny(1);
    o.trials = 0;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"--trials"});
    o = tiny(1);
    o.samplers = {"kmeanz"};
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"kmeanz"});
    o.samplers = {"random:zcp"};  // random reads no encoding
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"random:zcp", "reads no"});
    o.samplers = {"kmeancosine:nope"};
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"nope"});
    o.samplers = {"random", "params"};
    o.predictor = PredictorKind::MultiPredict;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"one sampler"});
    o = tiny(1);
    o.task = 9;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"9"});
    o = tiny(1);
    o.source_samples = 20000;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"--source-samples"});
    o = tiny(1);
    o.space = Space::FBNet;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"nb201", "fbnet"});
}

}  // namespace
}  // namespace nasflat::nas
