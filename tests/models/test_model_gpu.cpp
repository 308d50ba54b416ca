// test_model_gpu.cpp — the whole predictor on the GPU against the CPU: forward scores and every
// parameter gradient (<= 1e-4 relative in fp32), and a short training run giving the same
// Spearman to 3 decimals. Skips where no CUDA GPU is visible.
#include <algorithm>
#include <cmath>

#include "autograd/ops.h"
#include "models/training.h"
#include "tests/models/model_fixtures.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using namespace models;

class ModelOnGpu : public ::testing::TestWithParam<Flavor> {
protected:
    void SetUp() override {
        if (!gpu_available()) GTEST_SKIP() << "no CUDA GPU in this process";
    }
};

std::vector<ArchGraph> mixed_graphs(int count) {
    Rng rng(21);
    std::vector<ArchGraph> gs;
    for (int k = 0; k < count; ++k) gs.push_back(random_dag(rng, k % 3 == 0 ? 22 : 8, 7));
    gs.push_back(nb201_idx3());
    return gs;
}

TEST_P(ModelOnGpu, ForwardAndGradientsMatchTheCpu) {
    ModelConfig c;
    c.flavor = GetParam();
    c.none_op = 5;
    NasflatModel cpu(c, 4, Device::CPU), gpu(c, 4, Device::CUDA);
    std::vector<ArchGraph> gs = mixed_graphs(40);
    ArchTable table{&gs, nullptr, 0};
    std::vector<int32_t> archs, devs;
    for (size_t i = 0; i < gs.size(); ++i) {
        archs.push_back(static_cast<int32_t>(i));
        devs.push_back(static_cast<int32_t>(i % 5));
    }
    std::vector<float> y;
    for (size_t i = 0; i < gs.size(); ++i) y.push_back(static_cast<float>((i * 7919) % 101));
    Rng rng(3);
    Pairs p = sample_pairs(y, 4 * static_cast<int>(gs.size()), rng);
    auto loss_of = [&](NasflatModel& m) {
        ModelBatch b = collate_archs(m, table, archs, devs);
        PairList pl = PairList::make(p.i, p.j, p.sign, static_cast<int32_t>(gs.size()), m.device());
        Tensor scores = m.forward(b, true, 99);
        m.params().zero_grad();
        pair_hinge_loss(scores, pl, 0.1f).backward();
        return scores.to_vector();
    };
    std::vector<float> s_cpu = loss_of(cpu), s_gpu = loss_of(gpu);
    expect_close(s_gpu, s_cpu, 1e-5f, 1e-4f, "scores");
    std::vector<float> g_cpu(cpu.params().gradients(), cpu.params().gradients() + cpu.params().numel());
    std::vector<float> g_gpu(g_cpu.size());
    kernels::raw_copy(g_gpu.data(), Device::CPU, gpu.params().gradients(), Device::CUDA,
                      g_gpu.size() * sizeof(float));
    // Gradients sum many terms in different orders on the two devices: compare relative to the
    // largest gradient (1e-4), which is what "1e-4 relative in fp32" means for a whole vector.
    float scale = 0;
    for (float g : g_cpu) scale = std::max(scale, std::fabs(g));
    expect_close(g_gpu, g_cpu, 1e-4f * scale, 1e-4f, "parameter gradients");
}

// Scoring without gradients: on the GPU the model takes the fused readout by default; both it
// and the op-by-op path give the CPU's scores.
TEST_P(ModelOnGpu, InferenceMatchesTheCpuFusedOrNot) {
    ModelConfig c;
    c.flavor = GetParam();
    c.none_op = 5;
    NasflatModel cpu(c, 4, Device::CPU), gpu(c, 4, Device::CUDA);
    EXPECT_FALSE(cpu.fused_readout());
    EXPECT_TRUE(gpu.fused_readout());
    std::vector<ArchGraph> gs = mixed_graphs(300);
    ArchTable table{&gs, nullptr, 0};
    std::vector<int32_t> archs;
    for (size_t i = 0; i < gs.size(); ++i) archs.push_back(static_cast<int32_t>(i));
    const std::vector<float> want = predict(cpu, table, archs, 2);
    const std::vector<float> fused = predict(gpu, table, archs, 2);
    gpu.set_fused_readout(false);
    const std::vector<float> by_ops = predict(gpu, table, archs, 2);
    expect_close(fused, want, 1e-5f, 1e-4f, "gpu fused (default) vs cpu");
    expect_close(by_ops, want, 1e-5f, 1e-4f, "gpu by ops vs cpu");
    EXPECT_NE(fused, by_ops);  // a different summation order: the default did take the kernel
}

double rank_corr(const std::vector<float>& a, const std::vector<float>& b) {
    auto ranks = [](const std::vector<float>& v) {
        std::vector<int> idx(v.size());
        for (size_t i = 0; i < v.size(); ++i) idx[i] = static_cast<int>(i);
        std::sort(idx.begin(), idx.end(), [&](int x, int y) { return v[x] < v[y]; });
        std::vector<double> r(v.size());
        for (size_t k = 0; k < idx.size(); ++k) r[idx[k]] = static_cast<double>(k);
        return r;
    };
    auto ra = ranks(a), rb = ranks(b);
    double n = static_cast<double>(a.size()), d2 = 0;
    for (size_t i = 0; i < ra.size(); ++i) d2 += (ra[i] - rb[i]) * (ra[i] - rb[i]);
    return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}

TEST_P(ModelOnGpu, ShortTrainingGivesTheSameSpearman) {
    ModelConfig c;
    c.flavor = GetParam();
    c.none_op = 5;
    Rng g(8);
    std::vector<ArchGraph> gs;
    std::vector<float> lat;
    for (int k = 0; k < 560; ++k) {
        gs.push_back(random_dag(g, 8, 7));
        float l = 0.1f * static_cast<float>(gs.back().edges.size());
        for (int i = 1; i < 7; ++i) l += gs.back().ops[i] >= 3 ? 1.0f : 0.0f;
        lat.push_back(l);
    }
    ArchTable table{&gs, nullptr, 0};
    std::vector<Sample> samples;
    for (int a = 0; a < 160; ++a) samples.push_back({a, 0, lat[a]});
    std::vector<int32_t> held;
    std::vector<float> truth;
    for (int a = 160; a < 560; ++a) {
        held.push_back(a);
        truth.push_back(lat[a]);
    }
    TrainOptions opt;
    // Few epochs: float differences between the devices grow with every step of training.
    opt.epochs = 3;
    opt.batch_size = 32;
    opt.scoring = PairScoring::ScoreOnce;
    double rho[2];
    for (int d = 0; d < 2; ++d) {
        NasflatModel m(c, 5, d == 0 ? Device::CPU : Device::CUDA);
        Rng rng(9);
        train(m, table, samples, opt, rng);
        rho[d] = rank_corr(predict(m, table, held, 0), truth);
    }
    EXPECT_NEAR(rho[0], rho[1], 1e-3) << "cpu " << rho[0] << " gpu " << rho[1];
}

// A CPU and a GPU model with the same parameters, moved off their initial values so that the
// zero-initialised ones (layer-norm beta, the shared node embedding) take part too.
struct ModelPair {
    NasflatModel cpu, gpu;
    explicit ModelPair(const ModelConfig& c) : cpu(c, 4, Device::CPU), gpu(c, 4, Device::CUDA) {
        Rng noise(6);
        float* v = cpu.params().values();
        for (int64_t i = 0; i < cpu.params().numel(); ++i) {
            v[i] += static_cast<float>(noise.uniform(-0.1, 0.1));
        }
        kernels::raw_copy(gpu.params().values(), Device::CUDA, v, Device::CPU,
                          static_cast<size_t>(cpu.params().numel()) * sizeof(float));
    }
};

float max_abs(const std::vector<float>& v) {
    float m = 0;
    for (float x : v) m = std::max(m, std::fabs(x));
    return m;
}

// The fused readout kernel against its CPU twin (the same stages run thread by thread) and the
// op-by-op readout, on graphs of 2 to 32 nodes (small enough for compute-sanitizer).
TEST_P(ModelOnGpu, FusedReadoutMatchesTheCpu) {
    for (bool hwemb_to_mlp : {false, true}) {
        ModelConfig c;
        c.flavor = GetParam();
        c.none_op = 5;
        c.hwemb_to_mlp = hwemb_to_mlp;
        ModelPair m(c);
        Rng rng(7);
        std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1(), nb201_idx3(), {2, {0, 0}, {}}};
        for (int k = 0; k < 60; ++k) gs.push_back(random_dag(rng, 2 + static_cast<int>(rng.below(31)), 7));
        std::vector<int32_t> devs;
        for (size_t i = 0; i < gs.size(); ++i) devs.push_back(static_cast<int32_t>(i % 9));
        NoGradGuard no_grad;
        auto cb = collate(pointers(gs), devs, nullptr, 0, c, Device::CPU);
        auto gb = collate(pointers(gs), devs, nullptr, 0, c, Device::CUDA);
        ASSERT_TRUE(m.gpu.fused_readout_supported(gb));
        std::vector<float> ops = m.cpu.readout(cb).to_vector();
        std::vector<float> twin = m.cpu.readout_fused(cb).to_vector();
        const float scale = max_abs(ops);
        for (int version : {2, 3}) {
            m.gpu.set_fused_readout(false, version);
            std::vector<float> fused = m.gpu.readout_fused(gb).to_vector();
            const std::string v = " (v" + std::to_string(version) + ")";
            // v3 rounds GEMM inputs to TF32 (10-bit mantissas): ~1e-3 of the values' scale.
            const float tol = version == 3 ? 1e-2f : 1e-5f;
            expect_close(fused, twin, tol * scale, version == 3 ? 1e-2f : 1e-4f,
                         "gpu fused vs cpu twin" + v);
            expect_close(fused, ops, 2 * tol * scale, version == 3 ? 1e-2f : 1e-4f,
                         "gpu fused vs cpu ops" + v);
        }
    }
}

// Many tiles: 20,000 NB201-sized graphs (5,000 blocks) and 3,000 FBNet-sized ones, fused
// against the GPU's own op-by-op readout.
TEST_P(ModelOnGpu, FusedReadoutManyTiles) {
    ModelConfig c;
    c.flavor = GetParam();
    c.none_op = 5;
    ModelPair m(c);
    Rng rng(8);
    for (int n : {8, 22}) {
        std::vector<ArchGraph> gs;
        for (int k = 0; k < (n == 8 ? 20000 : 3000); ++k) gs.push_back(random_dag(rng, n, 7));
        std::vector<int32_t> devs(gs.size(), 3);
        NoGradGuard no_grad;
        auto b = collate(pointers(gs), devs, nullptr, 0, c, Device::CUDA);
        m.gpu.set_fused_readout(false);  // readout() by ops (on the GPU it is fused by default)
        std::vector<float> ops = m.gpu.readout(b).to_vector();
        for (int version : {2, 3}) {
            m.gpu.set_fused_readout(false, version);
            std::vector<float> fused = m.gpu.readout_fused(b).to_vector();
            const float tol = version == 3 ? 2e-2f : 2e-5f;
            expect_close(fused, ops, tol * max_abs(ops), version == 3 ? 1e-2f : 1e-4f,
                         "gpu fused vs gpu ops (v" + std::to_string(version) + ")");
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Flavors, ModelOnGpu, ::testing::Values(Flavor::Reference, Flavor::Fixed),
                         [](const auto& info) { return std::string(flavor_name(info.param)); });

}  // namespace
}  // namespace nasflat::testing
