// test_help_meta.cpp — the HELP baseline's Meta-SGD (nas/predictor/help_meta.h): the
// second-order meta-gradient of the whole inner loop (Z-modulation, two inner steps, query
// loss plus KL) against central differences on a tiny model; the first-order variant differs;
// on the real data: a short meta-training lowers the query loss and ranks a source device,
// and a whole task run is bit-identical for one seed.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "autograd/grad.h"
#include "nas/base/metrics.h"
#include "nas/predictor/help_meta.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas::testing {
namespace {

// A tiny NB201 problem: random cells, a synthetic device whose latency is a fixed function of
// the ops (so the targets are in [0.05, 0.95] and learnable).
struct Tiny {
    HelpArchs archs;
    DeviceData data;
    HelpDevice device;
};

Tiny make_tiny(int n, uint64_t seed) {
    Rng rng(seed);
    std::vector<std::vector<int>> ops;
    DeviceData data;
    data.name = "tiny";
    for (int i = 0; i < n; ++i) {
        std::vector<int> cell(6);
        double lat = 1.0;
        for (int& op : cell) {
            op = static_cast<int>(rng.below(5));
            lat += op == 3 ? 2.0 : op == 2 ? 0.7 : 0.1;
        }
        ops.push_back(cell);
        data.arch_index.push_back(i);
        data.values.push_back(lat);
    }
    Tiny t{HelpArchs(Space::NB201, ops), data, {}};
    t.device.name = "tiny";
    t.device.data = &t.data;
    t.device.lo = 1.0;
    t.device.hi = 14.0;
    for (int k = 0; k < 10; ++k) t.device.hw.push_back(static_cast<float>(rng.uniform()));
    return t;
}

std::vector<float> flat(const std::vector<Tensor>& ts) {
    std::vector<float> all;
    for (const Tensor& t : ts) {
        const auto v = t.to_vector();
        all.insert(all.end(), v.begin(), v.end());
    }
    return all;
}

TEST(HelpMeta, SecondOrderMetaGradientMatchesFiniteDifferences) {
    CpuBackendGuard reference(kernels::Backend::CpuReference);
    Tiny tiny = make_tiny(12, 5);
    tiny.device.data = &tiny.data;
    HelpOptions o;
    o.width = 3;
    o.alpha_init = 0.3f;  // large: the inner steps move theta measurably
    o.kl_weight = 0.1f;
    HelpMetaLearner learner(tiny.archs, o, 21);
    // Larger GCN weights than HELP's U(+-0.05) and non-negative biases, so that no path of the
    // tiny model is dead. The procedure is piecewise smooth (ReLU): with this seed no ReLU input
    // crosses 0 within +-h of the checked values (other seeds do, and there the differences
    // jump while the engine's derivatives do not: checked down to h = 2e-4 on seed 4).
    Rng init(7);
    for (int k = 0; k < 8; ++k) {
        Tensor t = learner.params().theta()[k];
        t.copy_from(k % 2 == 0 ? nasflat::testing::random_values(init, t.numel(), -0.5f, 0.5f)
                               : nasflat::testing::random_values(init, t.numel(), 0.0f, 0.2f));
    }
    const std::vector<HelpEpisodeTask> tasks = {{&tiny.device, {0, 1, 2, 3}, {4, 5, 6, 7, 8}},
                                                {&tiny.device, {9, 10, 11}, {0, 2, 4, 6}}};
    Rng rng(8);
    const std::vector<std::vector<float>> eps = {learner.draw_eps(rng), learner.draw_eps(rng)};

    // The checked parameters: whole tensors of theta (a GCN weight, the last bias), of alpha
    // (a GCN weight's rates, fc3's bias rates) and of the Z-modulator (its first layer).
    models::HelpParams& p = learner.params();
    const size_t n = p.theta().size();
    const std::vector<Tensor> checked = {p.theta()[2],     p.theta()[n - 1], p.alpha()[0],
                                         p.alpha()[n - 5], p.znet()[0],      p.znet()[1]};
    const Tensor loss = learner.meta_loss(tasks, eps);
    const std::vector<Tensor> engine_t = grad(loss, checked, false);
    const std::vector<float> engine = flat(engine_t);
    for (const Tensor& g : engine_t) {  // every checked tensor takes part (no dead path)
        double norm = 0;
        for (float v : g.to_vector()) norm += std::fabs(v);
        EXPECT_GT(norm, 1e-6) << "a checked parameter gets no meta-gradient";
    }

    const float h = 5e-3f;
    std::vector<float> numeric;
    for (Tensor t : checked) {
        const std::vector<float> values = t.to_vector();
        for (size_t k = 0; k < values.size(); ++k) {
            double side[2];
            for (int s = 0; s < 2; ++s) {
                std::vector<float> moved = values;
                moved[k] += s ? -h : h;
                t.copy_from(moved);
                side[s] = learner.meta_loss(tasks, eps).item();
            }
            t.copy_from(values);
            numeric.push_back(static_cast<float>((side[0] - side[1]) / (2.0 * h)));
        }
    }
    // float32 losses (~0.24) differenced over 1e-2: ~1e-4 rounding noise (the loss's last
    // bits move by ~1e-6), eps^2 truncation below that.
    nasflat::testing::expect_close(engine, numeric, 3e-4f, 3e-2f,
                                   "meta-gradient (theta, alpha, modulator)");

    // First order (inner gradients detached) gives a measurably different meta-gradient.
    o.first_order = true;
    HelpMetaLearner first(tiny.archs, o, 21);
    first.params().store().copy_values_from(learner.params().store());
    const std::vector<Tensor> fchecked = {first.params().theta()[2]};
    const std::vector<float> fo = flat(grad(first.meta_loss(tasks, eps), fchecked, false));
    const std::vector<float> so(engine.begin(), engine.begin() + fo.size());
    double diff = 0, norm = 0;
    for (size_t k = 0; k < fo.size(); ++k) {
        diff += std::fabs(fo[k] - so[k]);
        norm += std::fabs(so[k]);
    }
    EXPECT_GT(diff, 1e-3 * norm);
}

class HelpMetaData : public RealData {};

TEST_F(HelpMetaData, ShortMetaTrainingLowersTheQueryLossAndRanksASource) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Reference);
    const Task task = get_task(Space::NB201, 0);
    HelpOptions o;
    o.width = 32;
    o.query = 50;
    o.meta_lr = 1e-3f;  // a few episodes only
    const HelpArchs archs(ctx->space());
    std::vector<int32_t> first900(900);
    for (int i = 0; i < 900; ++i) first900[i] = i;
    std::vector<HelpDevice> sources;
    for (const std::string& name : {task.sources[0], task.sources[3], task.sources[6]})
        sources.push_back(help_device(Space::NB201, ctx->device(name), first900));
    HelpMetaLearner learner(archs, o, 3);
    Rng held_rng(99);
    const auto held = help_episode(sources, o, 900, held_rng);
    std::vector<std::vector<float>> eps;
    for (size_t t = 0; t < held.size(); ++t) eps.push_back(learner.draw_eps(held_rng));
    double before = 0, after = 0;  // the query MSE alone (the KL falls whatever happens)
    learner.meta_loss(held, eps, &before);
    Rng rng(1);
    for (int e = 0; e < 40; ++e) learner.train_episode(help_episode(sources, o, 900, rng), rng);
    learner.meta_loss(held, eps, &after);
    EXPECT_LT(after, 0.5 * before) << "before " << before << " after " << after;

    // Ranking a source device's archs 1000..1999 from 10 support archs.
    std::vector<int32_t> eval;
    for (int a = 1000; a < 2000; ++a) eval.push_back(a);
    const std::vector<int32_t> support = {3, 50, 120, 260, 333, 480, 512, 640, 777, 890};
    const std::vector<double> pred = learner.predict(sources[0], support, eval, rng);
    std::vector<double> truth;
    for (int32_t a : eval) truth.push_back(sources[0].data->value(a));
    EXPECT_GT(spearman(pred, truth), 0.6);  // random scores: about 0 +- 0.03
}

TEST_F(HelpMetaData, TaskRunIsBitIdenticalForOneSeed) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Reference);
    const Task task = get_task(Space::NB201, 0);
    HelpOptions o;
    o.episodes = 2;
    o.width = 8;
    o.query = 20;
    o.mc_sampling = 2;
    o.log_every = 0;
    o.eval_archs = [](const DeviceData& d, const std::vector<int32_t>& measured) {
        std::vector<int32_t> out;
        for (int32_t a : d.arch_index)
            if (a < 300 && std::find(measured.begin(), measured.end(), a) == measured.end())
                out.push_back(a);
        return out;
    };
    std::ostringstream log1, log2;
    const HelpResult a = run_help_task(o, *ctx, task, 7, 20, log1);
    const HelpResult b = run_help_task(o, *ctx, task, 7, 20, log2);
    ASSERT_EQ(a.per_target.size(), task.targets.size());
    EXPECT_EQ(a.episode_loss, b.episode_loss);
    EXPECT_EQ(a.episode_mse, b.episode_mse);
    for (size_t i = 0; i < a.per_target.size(); ++i) {
        EXPECT_EQ(a.per_target[i].spearman, b.per_target[i].spearman);
        EXPECT_EQ(a.per_target[i].kendall, b.per_target[i].kendall);
        EXPECT_EQ(a.per_target[i].measured, b.per_target[i].measured);
        EXPECT_EQ(a.per_target[i].measured.size(), 20u);  // 10 reference + 10 support
        const auto& m = a.per_target[i].measured;
        const auto below = std::count_if(m.begin(), m.end(), [](int32_t x) { return x < 300; });
        EXPECT_EQ(a.per_target[i].evaluated, 300 - below);  // protocol full minus the measured
    }
    // A different seed draws other support archs.
    std::ostringstream log3;
    const HelpResult c = run_help_task(o, *ctx, task, 8, 20, log3);
    EXPECT_NE(a.per_target[0].measured, c.per_target[0].measured);
    expect_error([&] { run_help_task(o, *ctx, task, 7, 9, log3); }, {"T = 9", "T >= 10"});
}

// N1's sources and targets include HW-NAS-Bench devices that lack 21 of the first 900 cells:
// episodes draw from the cells each source measured, and the run completes.
TEST_F(HelpMetaData, SourcesMissingSomeMetaTrainArchsDrawFromWhatTheyMeasured) {
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Reference);
    const Task task = get_task(Space::NB201, 1);
    HelpOptions o;
    o.episodes = 3;
    o.width = 8;
    o.query = 50;
    o.mc_sampling = 1;
    o.log_every = 0;
    o.eval_archs = [](const DeviceData& d, const std::vector<int32_t>& measured) {
        std::vector<int32_t> out;
        for (int32_t a : d.arch_index)
            if (a < 2000 && std::find(measured.begin(), measured.end(), a) == measured.end())
                out.push_back(a);
        return out;
    };
    std::ostringstream log;
    const HelpResult r = run_help_task(o, *ctx, task, 5, 20, log);
    ASSERT_EQ(r.per_target.size(), task.targets.size());
    for (const HelpTargetScore& s : r.per_target) {
        EXPECT_TRUE(std::isfinite(s.spearman)) << s.device;
        for (int32_t a : s.measured) EXPECT_TRUE(ctx->device(s.device).covers(a)) << a;
    }
    // The pool of a source that lacks cells holds only measured ones.
    const DeviceData& tpu = ctx->device("embedded_tpu_edge_tpu_int8");
    std::vector<int32_t> first900(900);
    for (int i = 0; i < 900; ++i) first900[i] = i;
    const HelpDevice d = help_device(Space::NB201, tpu, first900);
    EXPECT_LT(d.lo, d.hi);
    EXPECT_FALSE(tpu.covers(10));
}

}  // namespace
}  // namespace nasflat::nas::testing
