// test_self_check.cpp — the transfer that checks itself: ridge regression (planted model,
// leave-one-out penalty), the simple priors, the blend of candidates by out-of-fold evidence,
// hardware families, and the fallback to a simple prior when the fine-tuned model ranks held-out
// samples worse (a constructed case); a blend survives save and load and answers `predict`.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "nas/base/metrics.h"
#include "nas/data/families.h"
#include "nas/predictor/blend.h"
#include "nas/predictor/priors.h"
#include "nas/predictor/ridge.h"
#include "nas/predictor/transfer.h"
#include "tests/nas/nas_test_util.h"
#include "tests/test_util.h"

namespace nasflat::nas {
namespace {

TEST(Ridge, RecoversAPlantedModelWithMoreFeaturesThanSamples) {
    // As with devices: 30 features share one latent factor z (plus noise), y = 2 + 3 z; 20
    // samples. The penalty must pool the features instead of fitting the noise.
    Rng rng(4);
    const int n = 20, p = 30;
    auto draw = [&](std::vector<double>& row) {
        const double z = rng.normal();
        for (int j = 0; j < p; ++j) row[j] = (0.5 + j % 3) * z + 0.5 * rng.normal();
        return 2 + 3 * z;
    };
    std::vector<double> x(n * p), y(n), row(p);
    for (int i = 0; i < n; ++i) {
        y[i] = draw(row);
        std::copy(row.begin(), row.end(), x.begin() + i * p);
    }
    const RidgeFit f = fit_ridge(x, n, p, y);
    std::vector<double> pred, truth;
    for (int k = 0; k < 200; ++k) {
        truth.push_back(draw(row));
        pred.push_back(f(row.data()));
    }
    EXPECT_GT(spearman(pred, truth), 0.9);
    EXPECT_GT(f.lambda, 0.0);
    // A constant feature gets no weight and no NaN.
    std::vector<double> c(n * 2);
    for (int i = 0; i < n; ++i) {
        c[i * 2] = 5;
        c[i * 2 + 1] = i;
    }
    std::vector<double> yc(n);
    for (int i = 0; i < n; ++i) yc[i] = 2.0 * i;
    const RidgeFit g = fit_ridge(c, n, 2, yc);
    EXPECT_EQ(g.coef[0], 0.0);
    EXPECT_GT(g.coef[1], 0.0);
    testing::expect_error([&] { fit_ridge({1, 2}, 2, 2, {1, 2}); }, {"do not match"});
}

TEST(SolveSpd, SolvesAndRefusesIndefinite) {
    const std::vector<double> z = solve_spd({4, 2, 2, 3}, {2, 1}, 2);  // A z = b
    EXPECT_NEAR(4 * z[0] + 2 * z[1], 2, 1e-12);
    EXPECT_NEAR(2 * z[0] + 3 * z[1], 1, 1e-12);
    EXPECT_THROW(solve_spd({1, 2, 2, 1}, {1, 1}, 2), Error);
}

Candidate candidate(const std::string& name, double oof, std::vector<double> scores) {
    Candidate c;
    c.name = name;
    c.prior.kind = name == "predictor" ? "" : name;
    c.oof_spearman = oof;
    c.sample_scores = std::move(scores);
    return c;
}

TEST(Blend, WeightsFollowTheEvidence) {
    const std::vector<Candidate> cands = {candidate("predictor", 0.5, {0, 1, 2}),
                                          candidate("flops", 0.9, {10, 20, 30}),
                                          candidate("params", -0.2, {3, 2, 1})};
    const Blend best = choose_blend(cands, BlendRule::parse("best"));
    ASSERT_EQ(best.members.size(), 1u);
    EXPECT_EQ(best.members[0].name, "flops");
    const Blend p4 = choose_blend(cands, BlendRule::parse("4"));
    ASSERT_EQ(p4.members.size(), 2u) << "a negative candidate gets no weight";
    EXPECT_NEAR(p4.members[0].weight, std::pow(0.5, 4) / (std::pow(0.5, 4) + std::pow(0.9, 4)),
                1e-12);
    EXPECT_NEAR(p4.members[0].weight + p4.members[1].weight, 1.0, 1e-12);
    const Blend p0 = choose_blend(cands, BlendRule::parse("0"));
    EXPECT_NEAR(p0.members[0].weight, 0.5, 1e-12) << "power 0: equal weights";
    // Standardised on the samples: flops 10, 20, 30 -> -1.22, 0, 1.22.
    const std::vector<double> b = blend_scores(best, {{10, 20, 30}});
    EXPECT_NEAR(b[0], -std::sqrt(1.5), 1e-12);
    // No positive evidence at all: the model alone.
    const Blend none = choose_blend({candidate("predictor", -0.1, {1, 2}),
                                     candidate("flops", 0.0, {1, 2})},
                                    BlendRule::parse("4"));
    ASSERT_EQ(none.members.size(), 1u);
    EXPECT_TRUE(none.model_only());
    testing::expect_error([] { BlendRule::parse("-2"); }, {"'best', 'stack' or a number"});
    // JSON round trip, and refusal of weights that do not sum to 1.
    const Blend back = Blend::from_json(p4.to_json(), "x.ckpt");
    EXPECT_EQ(back.describe(), p4.describe());
    nlohmann::json j = p4.to_json();
    j["members"][0]["weight"] = 0.9;
    testing::expect_error([&] { Blend::from_json(j, "x.ckpt"); }, {"x.ckpt", "sum to 1"});
}

TEST(Blend, StackingFitsNonNegativeWeightsToTheOutOfFoldScores) {
    // log(measured) standardised = 0.7 a + 0.3 b exactly, with a and b standardised and
    // uncorrelated; c is anti-correlated and must get weight 0.
    const std::vector<double> a = {-1.5, -0.5, 0.5, 1.5, -1.5, -0.5, 0.5, 1.5};
    const std::vector<double> b = {1, -1, -1, 1, -1, 1, 1, -1};
    std::vector<double> c(8), ms(8);
    for (int i = 0; i < 8; ++i) {
        c[i] = -a[i];
        ms[i] = std::exp(0.7 * a[i] + 0.3 * b[i] * std::sqrt(1.25));
    }
    std::vector<Candidate> cands = {candidate("predictor", 0.5, a), candidate("flops", 0.2, b),
                                    candidate("params", -0.9, c)};
    cands[0].oof_scores = a;
    cands[1].oof_scores = b;
    cands[2].oof_scores = c;
    const Blend s = choose_blend(cands, BlendRule::parse("stack"), ms);
    ASSERT_EQ(s.members.size(), 2u) << s.describe();
    EXPECT_EQ(s.rule, "stack");
    EXPECT_GT(s.members[0].weight, s.members[1].weight);
    EXPECT_NEAR(s.members[0].weight + s.members[1].weight, 1.0, 1e-12);
    testing::expect_error([&] { choose_blend(cands, BlendRule::parse("stack")); },
                          {"needs the measurements"});
}

TEST(Families, HardwareTextWithoutNotesAndPrecision) {
    EXPECT_EQ(hardware_family("NVIDIA Jetson Nano (embedded GPU), fp16"), "NVIDIA Jetson Nano");
    EXPECT_EQ(hardware_family("NVIDIA GeForce GTX 1080 Ti (desktop GPU), fp32"),
              "NVIDIA GeForce GTX 1080 Ti");
    EXPECT_EQ(hardware_family("Google Edge TPU (Coral Dev Board)"), "Google Edge TPU");
    EXPECT_EQ(hardware_family("Qualcomm Snapdragon 855, Kryo 485 CPU, int8"),
              "Qualcomm Snapdragon 855, Kryo 485 CPU");
    EXPECT_EQ(hardware_family("Intel Xeon Gold 6240"), "Intel Xeon Gold 6240");
}

class SelfCheck : public testing::RealData {};

TEST_F(SelfCheck, FamiliesOfTheRealDataFolder) {
    const Manifest m = load_manifest(data_);
    EXPECT_EQ(family_of(m, Space::NB201, "desktop_gpu_gtx_1080ti_fp32"),
              family_of(m, Space::NB201, "1080ti_32"));
    EXPECT_EQ(family_of(m, Space::NB201, "edgegpu", "energy"),
              family_of(m, Space::NB201, "edgegpu"));
    const auto outside = devices_outside_family(m, Space::NB201, "NVIDIA GeForce GTX 1080 Ti");
    for (const auto& d : outside) EXPECT_EQ(d.find("1080ti"), std::string::npos) << d;
    EXPECT_EQ(outside.size(), 42u - 4u);
}

TEST_F(SelfCheck, PriorsScoreLikeWhatTheyStandFor) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Reference);
    const std::vector<int32_t> archs = {3, 70, 700, 2000, 5000, 9000, 12000, 15000};
    std::vector<double> ms;
    for (int32_t a : archs) ms.push_back(ctx->device("gold_6240").value(a));
    const std::vector<std::string> devices = public_devices(*ctx, {"pixel3", "gold_6240", "edgetpu"});
    EXPECT_EQ(devices, (std::vector<std::string>{"pixel3", "gold_6240"})) << "edgetpu covers a subset";
    const Prior dev = fit_prior("device", *ctx, devices, archs, ms);
    EXPECT_EQ(dev.device, "gold_6240");
    const Prior flops = fit_prior("flops", *ctx, devices, archs, ms);
    EXPECT_DOUBLE_EQ(prior_scores(flops, *ctx, {5})[0], std::log1p(ctx->space().flops(5)));
    const Prior ridge = fit_prior("ridge", *ctx, devices, archs, ms);
    const Prior back = Prior::from_json(ridge.to_json(), "x");
    EXPECT_EQ(prior_scores(back, *ctx, archs), prior_scores(ridge, *ctx, archs));
    EXPECT_GT(spearman(prior_scores(ridge, *ctx, archs), ms), 0.9);
}

// The constructed case: an untrained model (no pre-training, one tiny fine-tuning epoch)
// against a device whose latencies are exactly a public device's. The self-check must see on
// held-out folds that the model ranks worse and answer with the prior.
TEST_F(SelfCheck, FallsBackToASimplePriorWhenTheModelIsWorse) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Reference);
    PretrainRecipe o;
    o.source_samples = 0;
    std::ostringstream log;
    Predictor p = pretrain_predictor(o, *ctx, {"1080ti_1", "gold_6240"}, log);
    Rng rng(11);
    Measurements m;
    m.space = Space::NB201;
    m.unit = "ms";
    m.file = "constructed";
    for (int k : rng.sample_without_replacement(15625, 20)) {
        m.arch_index.push_back(k);
        m.values.push_back(ctx->device("gold_6240").value(k));
    }
    TransferOptions t;
    t.epochs = 1;
    t.lr = 1e-6f;
    t.folds = 5;
    const TransferReport r = transfer_predictor(p, *ctx, m, "my_cpu", t, log);
    ASSERT_EQ(r.candidates.size(), 5u);
    EXPECT_EQ(r.candidates[0].name, "predictor");
    double best_prior = -1;
    for (size_t i = 1; i < r.candidates.size(); ++i)
        best_prior = std::max(best_prior, r.candidates[i].oof_spearman);
    EXPECT_GT(best_prior, 0.95);
    EXPECT_LT(r.candidates[0].oof_spearman, best_prior - 0.2) << "the case is not constructed";
    double model_weight = 0;
    for (const auto& mem : p.info.blend.members)
        if (mem.is_predictor()) model_weight = mem.weight;
    EXPECT_LT(model_weight, 0.1) << p.info.blend.describe();
    // The answer on every other architecture follows the device, as the prior does.
    std::vector<int32_t> rest;
    std::vector<double> truth;
    for (int a = 0; a < 15625; a += 7) {
        rest.push_back(a);
        truth.push_back(ctx->device("gold_6240").value(a));
    }
    const std::vector<float> s = predictor_scores(p, *ctx, rest, r.row, 256);
    EXPECT_GT(spearman(std::vector<double>(s.begin(), s.end()), truth), 0.95);
    // Saved and loaded, the checkpoint answers the same.
    testing::TempDir d;
    save_predictor(d.path() + "/c.ckpt", p);
    const Predictor back = load_predictor(d.path() + "/c.ckpt", Device::CPU);
    EXPECT_EQ(predictor_scores(back, *ctx, rest, r.row, 256), s);
    EXPECT_FALSE(r.warning.empty() && best_prior < t.warn_below);
}

TEST_F(SelfCheck, WarnsWhenNothingRanksTheSamples) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Reference);
    PretrainRecipe o;
    o.source_samples = 0;
    std::ostringstream log;
    Predictor p = pretrain_predictor(o, *ctx, {"1080ti_1"}, log);
    Rng rng(5);
    Measurements m;
    m.space = Space::NB201;
    m.unit = "ms";
    m.file = "noise";
    for (int k : rng.sample_without_replacement(15625, 12)) {
        m.arch_index.push_back(k);
        m.values.push_back(1 + rng.uniform(0, 1));  // latency unrelated to anything
    }
    TransferOptions t;
    t.epochs = 1;
    t.folds = 4;
    const TransferReport r = transfer_predictor(p, *ctx, m, "noise", t, log);
    EXPECT_NE(r.warning.find("do not pin noise down"), std::string::npos) << r.warning;
    EXPECT_NE(r.warning.find("nasflat sample --more"), std::string::npos) << r.warning;
}

}  // namespace
}  // namespace nasflat::nas
