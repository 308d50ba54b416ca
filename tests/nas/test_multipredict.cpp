// test_multipredict.cpp — the MultiPredict baseline (nas/experiment/multipredict.h,
// models/multipredict_model.h): the model's shapes and batch independence, the choice of the
// most-correlated source row, and small end-to-end runs on the real data (they run, the same
// seed gives the same bits, an easy task scores far above random, the transfer samples are
// NASFLAT's).
#include <cstring>
#include <set>
#include <sstream>

#include "models/multipredict_model.h"
#include "nas/data/help_encoding.h"
#include "nas/experiment/experiment.h"
#include "nas/experiment/experiment_report.h"
#include "nas/experiment/multipredict.h"
#include "nas/predictor/training_steps.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

TEST(MultiPredict, PicksTheMostCorrelatedSource) {
    const std::vector<double> target = {1, 2, 3, 4, 5};
    const std::vector<std::vector<double>> sources = {{5, 4, 3, 2, 1},   // rho -1
                                                      {1, 3, 2, 4, 5},   // rho 0.9
                                                      {2, 4, 6, 8, 10},  // rho 1: the best
                                                      {1, 2, 3, 5, 4}};  // rho 0.9
    EXPECT_EQ(most_correlated_source(sources, target), 2);
    // Ties go to the first; a constant source (undefined Spearman) is never picked.
    EXPECT_EQ(most_correlated_source({sources[0], sources[3], sources[1]}, target), 1);
    EXPECT_EQ(most_correlated_source({{3, 3, 3, 3, 3}, sources[0]}, target), 1);
    testing::expect_error(
        [&] {
            most_correlated_source({{1, 2}}, target);
        },
        {"source 0 has 2 latencies"});
}

models::MultiPredictBatch graph_batch(const std::vector<std::vector<int>>& cells,
                                      const std::vector<int32_t>& rows, int devices) {
    const int64_t B = static_cast<int64_t>(cells.size());
    std::vector<float> f, a, z;
    for (size_t k = 0; k < cells.size(); ++k) {
        HelpNb201Graph g = help_nb201_graph(cells[k]);
        f.insert(f.end(), g.features.begin(), g.features.end());
        a.insert(a.end(), g.adjacency.begin(), g.adjacency.end());
        for (int c = 0; c < 13; ++c) z.push_back(0.05f * static_cast<float>(k + c));
    }
    models::MultiPredictBatch b;
    b.size = B;
    b.features = Tensor::from_vector(f, {B * 9, 8});
    b.adjacency = Tensor::from_vector(a, {B, 9, 9});
    b.zcp = Tensor::from_vector(z, {B, 13});
    b.devices = IndexMap::make(rows, devices, Device::CPU);
    return b;
}

TEST(MultiPredict, ModelOutputsInZeroOneAndAloneEqualsInBatch) {
    models::MultiPredictConfig c;
    c.num_devices = 3;
    models::MultiPredictModel model(c, 7);
    const std::vector<std::vector<int>> cells = {
        {0, 1, 2, 3, 4, 0}, {3, 3, 3, 3, 3, 3}, {1, 1, 1, 1, 1, 1}};
    const std::vector<float> all = model.forward(graph_batch(cells, {0, 2, 1}, 3)).to_vector();
    ASSERT_EQ(all.size(), 3u);
    for (size_t k = 0; k < cells.size(); ++k) {
        EXPECT_GT(all[k], 0.0f);
        EXPECT_LT(all[k], 1.0f);
    }
    // The second cell alone (its zcp row moves to row 0, so compare the first cell alone).
    const std::vector<float> one = model.forward(graph_batch({cells[0]}, {0}, 3)).to_vector();
    EXPECT_FLOAT_EQ(one[0], all[0]);
    // Same seed, same weights; copy_device_row makes two rows predict alike.
    models::MultiPredictModel twin(c, 7);
    EXPECT_EQ(twin.params().values_to_host(), model.params().values_to_host());
    model.copy_device_row(2, 0);
    const std::vector<float> r0 = model.forward(graph_batch({cells[1]}, {0}, 3)).to_vector();
    const std::vector<float> r2 = model.forward(graph_batch({cells[1]}, {2}, 3)).to_vector();
    EXPECT_EQ(r0, r2);
}

TEST(MultiPredict, VectorBranchShapes) {
    models::MultiPredictConfig c;
    c.input = models::MultiPredictInput::Vector;
    c.vector_dim = 145;
    c.num_devices = 2;
    models::MultiPredictModel model(c, 1);
    models::MultiPredictBatch b;
    b.size = 4;
    b.vector = Tensor::full({4, 145}, 0.5f);
    b.devices = IndexMap::make({0, 1, 1, 0}, 2, Device::CPU);
    EXPECT_EQ(model.forward(b).to_vector().size(), 4u);
    b.vector = Tensor::full({4, 100}, 0.5f);
    testing::expect_error([&] { model.forward(b); }, {"vector", "145"});
}

class MultiPredictRun : public testing::RealData {};

ExperimentOptions tiny(Space space, uint64_t seed) {
    ExperimentOptions o;
    o.predictor = PredictorKind::MultiPredict;
    o.space = space;
    o.task = 0;
    o.samples = {20};
    o.trials = 1;
    o.seed = seed;
    o.multipredict.source_samples = 200;
    o.multipredict.epochs = 3;
    o.multipredict.transfer_epochs = 5;
    o.multipredict.mc_rounds = 2;
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

// FBNet F0 (0.5 s a run): deterministic, far above random, the JSON names the predictor.
TEST_F(MultiPredictRun, FbnetRunsDeterministicallyAndRanks) {
    auto ctx = SpaceContext::load(data_, Space::FBNet, GraphMode::Fixed);
    std::ostringstream log;
    const ExperimentResult a = run_experiment(tiny(Space::FBNet, 7), *ctx, log);
    const ExperimentResult b = run_experiment(tiny(Space::FBNet, 7), *ctx, log);
    const ExperimentResult c = run_experiment(tiny(Space::FBNet, 8), *ctx, log);
    ASSERT_EQ(a.per_samples.size(), 1u);
    ASSERT_EQ(a.per_samples[0].per_device.size(), 3u);  // F0: fpga, raspi4, eyeriss
    const std::vector<double> va = all_scores(a), vb = all_scores(b);
    ASSERT_EQ(va.size(), vb.size());
    EXPECT_EQ(0, std::memcmp(va.data(), vb.data(), va.size() * sizeof(double)));
    EXPECT_NE(va, all_scores(c));
    EXPECT_GT(summarise(a.per_samples[0]).spearman_mean, 0.3);  // random ranks: ~0
    const std::string json = experiment_json(a);
    EXPECT_NE(json.find("\"predictor\": \"multipredict\""), std::string::npos);
    EXPECT_NE(json.find("\"mc_rounds\": 2"), std::string::npos);
    EXPECT_NE(log.str().find("(multipredict"), std::string::npos);
}

// NB201 N0 (the graph branch), scored on archs 0..127 to keep it quick: runs and ranks.
TEST_F(MultiPredictRun, Nb201GraphBranchRanks) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    std::ostringstream log;
    ExperimentOptions o = tiny(Space::NB201, 3);
    o.protocol = Protocol::First128;
    o.multipredict.mc_rounds = 1;
    const ExperimentResult r = run_experiment(o, *ctx, log);
    ASSERT_EQ(r.per_samples[0].per_device.size(), 6u);
    EXPECT_GT(summarise(r.per_samples[0]).spearman_mean, 0.3);
}

// Both runners draw the T samples of (trial, target, T) with choose_transfer_samples from
// Rng(transfer_seed(...)): the same indices for the same seed whatever the predictor, and
// different ones for another target or trial.
TEST_F(MultiPredictRun, TransferSamplesDependOnlyOnSeedTrialTargetAndT) {
    auto ctx = SpaceContext::load(data_, Space::FBNet, GraphMode::Fixed);
    ExperimentOptions mp = tiny(Space::FBNet, 11), nasflat = mp;
    nasflat.predictor = PredictorKind::Nasflat;
    const DeviceData& target = ctx->device("raspi4");
    auto draw = [&](const ExperimentOptions& o, uint64_t trial, size_t di) {
        Rng rng(transfer_seed(derive_seed(o.seed, trial), di, 0));
        return choose_transfer_samples(o, o.samplers[0], *ctx, target, 20, rng);
    };
    EXPECT_EQ(draw(mp, 0, 1), draw(nasflat, 0, 1));
    EXPECT_EQ(draw(mp, 0, 1).size(), 20u);
    EXPECT_NE(draw(mp, 0, 1), draw(mp, 0, 2));
    EXPECT_NE(draw(mp, 0, 1), draw(mp, 1, 1));
}

// The authors' split: 900 archs over 9 sources gives each source 100 distinct archs (9 times
// each); 900 over 7 (not a divisor) gives each every arch, 7 list positions apart.
TEST(MultiPredict, RoundRobinSplitIsTheAuthors) {
    const auto nine = round_robin_archs(900, 9);
    ASSERT_EQ(nine.size(), 9u);
    for (size_t s = 0; s < nine.size(); ++s) {
        ASSERT_EQ(nine[s].size(), 900u);
        const std::set<int32_t> distinct(nine[s].begin(), nine[s].end());
        EXPECT_EQ(distinct.size(), 100u);
        for (int32_t a : distinct) EXPECT_EQ(a % 9, static_cast<int32_t>(s));
    }
    const auto seven = round_robin_archs(900, 7);
    EXPECT_EQ(std::set<int32_t>(seven[3].begin(), seven[3].end()).size(), 900u);
    EXPECT_EQ(seven[3][0], 3);
    EXPECT_EQ(seven[3][1], 10);
    testing::expect_error([] { round_robin_archs(0, 3); }, {"count 0"});
}

// Protocol aliasing, the authors' run: deterministic, scored on every arch of the target (the
// T samples included), and not the honest run's numbers.
TEST_F(MultiPredictRun, AuthorsRunScoresEveryArch) {
    auto ctx = SpaceContext::load(data_, Space::FBNet, GraphMode::Fixed);
    std::ostringstream log1, log2, log3;
    ExperimentOptions o = tiny(Space::FBNet, 7);
    o.protocol = Protocol::Aliasing;
    const ExperimentResult a = run_experiment(o, *ctx, log1);
    const ExperimentResult b = run_experiment(o, *ctx, log2);
    EXPECT_EQ(all_scores(a), all_scores(b));
    const ExperimentResult full = run_experiment(tiny(Space::FBNet, 7), *ctx, log3);
    EXPECT_NE(all_scores(a), all_scores(full));
    const int archs = static_cast<int>(ctx->device("raspi4").arch_index.size());
    EXPECT_NE(log1.str().find("on " + std::to_string(archs) + " archs"), std::string::npos)
        << log1.str();
    EXPECT_NE(log3.str().find("on " + std::to_string(archs - 20) + " archs"), std::string::npos);
    EXPECT_GT(summarise(a.per_samples[0]).spearman_mean, 0.3);
    EXPECT_NE(experiment_json(a).find("\"protocol\": \"aliasing\""), std::string::npos);
}

TEST_F(MultiPredictRun, BadOptionsAreClearErrors) {
    auto ctx = SpaceContext::load(data_, Space::FBNet, GraphMode::Fixed);
    std::ostringstream log;
    ExperimentOptions o = tiny(Space::FBNet, 1);
    o.protocol = Protocol::Aliasing;
    o.samplers = {"params"};
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"aliasing", "random"});
    o = tiny(Space::FBNet, 1);
    o.multipredict.mc_rounds = 0;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"MC rounds"});
    o = tiny(Space::FBNet, 1);
    o.multipredict.source_samples = 6000;
    testing::expect_error([&] { run_experiment(o, *ctx, log); }, {"6000"});
    EXPECT_EQ(parse_predictor("multipredict"), PredictorKind::MultiPredict);
    EXPECT_EQ(std::string(predictor_name(PredictorKind::Nasflat)), "nasflat");
    testing::expect_error([] { parse_predictor("helpp"); }, {"unknown predictor 'helpp'", "help"});
    EXPECT_EQ(parse_predictor("help"), PredictorKind::Help);
}

}  // namespace
}  // namespace nasflat::nas
