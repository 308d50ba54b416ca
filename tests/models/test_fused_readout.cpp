// test_fused_readout.cpp — the fused readout kernel's CPU twin (kernels/fused/fused_readout.cpp,
// the CUDA kernel's stages run thread by thread) against the op-by-op readout on the CPU reference
// kernels: both flavors, every layer type, hwemb_to_mlp, graphs of 2 to 32 nodes with and
// without edges, batches that end mid-tile; and when readout() may take it.
#include <cmath>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/fused/fused_readout.h"
#include "models/nasflat_model.h"
#include "tests/models/model_fixtures.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using models::ArchGraph;
using models::Flavor;
using models::LayerType;
using models::ModelConfig;
using models::NasflatModel;

struct FusedCase {
    Flavor flavor;
    LayerType type;
    bool hwemb_to_mlp;
};

// Parameters moved off their initial values, so zero-initialised ones (layer-norm beta, the
// shared node embedding) take part too.
void perturb(NasflatModel& m, uint64_t seed) {
    Rng rng(seed);
    float* v = m.params().values();
    for (int64_t i = 0; i < m.params().numel(); ++i) v[i] += static_cast<float>(rng.uniform(-0.1, 0.1));
}

// Graphs of every size the kernel takes, edgeless and complete ones among them.
std::vector<ArchGraph> nasty_graphs(Rng& rng) {
    std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1(), nb201_idx3()};
    ArchGraph two{2, {0, 0}, {}};
    gs.push_back(two);  // no edge at all
    two.edges = {{0, 1}};
    gs.push_back(two);
    ArchGraph complete{12, std::vector<int32_t>(12, 3), {}};
    for (int i = 0; i < 12; ++i)
        for (int j = i + 1; j < 12; ++j) complete.edges.push_back({i, j});
    gs.push_back(complete);
    ArchGraph chain{kernels::kFusedMaxNodes, std::vector<int32_t>(kernels::kFusedMaxNodes, 1), {}};
    for (int i = 0; i + 1 < chain.num_nodes; ++i) chain.edges.push_back({i, i + 1});
    gs.push_back(chain);
    for (int k = 0; k < 30; ++k) gs.push_back(random_dag(rng, 2 + static_cast<int>(rng.below(31)), 7));
    return gs;
}

class FusedReadout : public ::testing::TestWithParam<FusedCase> {};

TEST_P(FusedReadout, TwinEqualsTheOpByOpReadout) {
    CpuBackendGuard reference(kernels::Backend::CpuReference);
    ModelConfig c;
    c.flavor = GetParam().flavor;
    c.layer_type = GetParam().type;
    c.hwemb_to_mlp = GetParam().hwemb_to_mlp;
    c.none_op = 5;
    NasflatModel m(c, 11);
    perturb(m, 12);
    Rng rng(13);
    for (auto gs : {nasty_graphs(rng), std::vector<ArchGraph>(21, nb201_idx1())}) {
        std::vector<int32_t> devs;
        for (size_t i = 0; i < gs.size(); ++i) devs.push_back(static_cast<int32_t>(i % 9));
        auto batch = models::collate(pointers(gs), devs, nullptr, 0, c, Device::CPU);
        ASSERT_TRUE(m.fused_readout_supported(batch));
        NoGradGuard no_grad;
        std::vector<float> ops = m.readout(batch).to_vector();
        m.set_fused_readout(false, 2);
        std::vector<float> fused = m.readout_fused(batch).to_vector();
        float scale = 0;
        for (float x : ops) scale = std::max(scale, std::fabs(x));
        ASSERT_GT(scale, 0.0f);
        expect_close(fused, ops, 2e-5f * scale, 1e-4f, "fused readout v2");
        // v3 (TF32 tensor cores) exists on the GPU only; the twin runs its tiles through the
        // scalar loop, which sums in v2's order: equal up to where the compiler contracts a
        // multiply and an add into one FMA.
        m.set_fused_readout(false, 3);
        expect_close(m.readout_fused(batch).to_vector(), fused, 1e-6f * scale, 1e-6f,
                     "fused readout v3 (the scalar loop on the CPU) vs v2");
    }
}

INSTANTIATE_TEST_SUITE_P(
    Configs, FusedReadout,
    ::testing::Values(FusedCase{Flavor::Reference, LayerType::Ensemble, false},
                      FusedCase{Flavor::Fixed, LayerType::Ensemble, false},
                      FusedCase{Flavor::Reference, LayerType::GraphFlow, false},
                      FusedCase{Flavor::Fixed, LayerType::Attention, false},
                      FusedCase{Flavor::Reference, LayerType::Ensemble, true}));

TEST(FusedReadoutUse, ReadoutTakesItOnlyWithoutGradientsAndWhenOn) {
    ModelConfig c;
    c.none_op = 5;
    NasflatModel m(c, 3);
    perturb(m, 4);
    std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1(), nb201_idx3()};
    auto batch = models::collate(pointers(gs), {0, 1, 2}, nullptr, 0, c, Device::CPU);
    std::vector<float> fused, by_ops, when_on;
    {
        NoGradGuard no_grad;
        fused = m.readout_fused(batch).to_vector();
        by_ops = m.readout(batch).to_vector();  // off by default
        m.set_fused_readout(true);
        when_on = m.readout(batch).to_vector();
    }
    EXPECT_EQ(when_on, fused);  // bit for bit: the same kernel
    EXPECT_NE(by_ops, fused);   // different summation order: not the same bits
    // Recording gradients: the op-by-op graph, even when on.
    Tensor r = m.readout(batch);
    EXPECT_TRUE(r.requires_grad());
}

// On the GPU the model takes the fused kernel by default only where it measured faster: not for
// FBNet's reference flavor, whose every node attends to all ~22 nodes of its graph.
TEST(FusedReadoutUse, DefaultRuleFollowsTheAttentionSetSize) {
    Rng rng(12);
    std::vector<ArchGraph> nb, fb;
    for (int k = 0; k < 20; ++k) {
        nb.push_back(random_dag(rng, 8, 7));
        fb.push_back(random_dag(rng, 22, 7));
    }
    for (Flavor flavor : {Flavor::Reference, Flavor::Fixed}) {
        ModelConfig c;
        c.flavor = flavor;
        c.none_op = 5;
        const std::vector<int32_t> devs(20, 0);
        const bool nb_pays = NasflatModel::fused_pays(
            models::collate(pointers(nb), devs, nullptr, 0, c, Device::CPU));
        const bool fb_pays = NasflatModel::fused_pays(
            models::collate(pointers(fb), devs, nullptr, 0, c, Device::CPU));
        EXPECT_TRUE(nb_pays) << flavor_name(flavor);
        EXPECT_EQ(fb_pays, flavor == Flavor::Fixed) << flavor_name(flavor);
    }
}

// The CUDA kernel's stages run on kFusedThreads (128) threads at once; the twin runs them one
// after another. Shuffling that order per stage must not change a bit: no stage reads what
// another thread writes in the same stage (what compute-sanitizer racecheck checks on the GPU).
TEST(FusedReadoutUse, ThreadOrderDoesNotMatter) {
    for (Flavor flavor : {Flavor::Reference, Flavor::Fixed}) {
        ModelConfig c;
        c.flavor = flavor;
        c.none_op = 5;
        NasflatModel m(c, 3);
        perturb(m, 4);
        Rng rng(9);
        std::vector<ArchGraph> gs = nasty_graphs(rng);
        std::vector<int32_t> devs(gs.size(), 2);
        auto batch = models::collate(pointers(gs), devs, nullptr, 0, c, Device::CPU);
        NoGradGuard no_grad;
        for (int version : {2, 3}) {  // 3: the scalar GEMM loop on the CPU
            m.set_fused_readout(false, version);
            const std::vector<float> in_order = m.readout_fused(batch).to_vector();
            for (uint64_t seed : {1, 2}) {
                kernels::set_fused_twin_thread_order(seed);
                const std::vector<float> shuffled = m.readout_fused(batch).to_vector();
                kernels::set_fused_twin_thread_order(0);
                EXPECT_EQ(shuffled, in_order) << "version " << version << ", order seed " << seed;
            }
        }
    }
}

TEST(FusedReadoutUse, UnsupportedModelsAndBatchesFallBack) {
    ModelConfig c;
    c.none_op = 5;
    c.main_dims = {128, 64};
    NasflatModel narrow(c, 3);
    std::vector<ArchGraph> gs = {nb201_idx0()};
    auto batch = models::collate(pointers(gs), {0}, nullptr, 0, c, Device::CPU);
    EXPECT_FALSE(narrow.fused_readout_supported(batch));
    try {
        NoGradGuard no_grad;
        narrow.readout_fused(batch);
        ADD_FAILURE() << "readout_fused accepted a model with a 64-wide layer";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("does not fit the fused kernel"), std::string::npos)
            << e.what();
    }

    NasflatModel no_such_version(ModelConfig{}, 3);
    for (int version : {1, 4}) {  // 1 lost to 2 and lives in the bench only
        no_such_version.set_fused_readout(true, version);
        EXPECT_THROW(no_such_version.readout_fused(models::collate(pointers(gs), {0}, nullptr, 0,
                                                                   ModelConfig{}, Device::CPU)),
                     Error)
            << "version " << version;
    }

    ModelConfig mlp;
    mlp.fuse = models::Fuse::Mlp;
    NasflatModel fused_by_mlp(mlp, 3);
    EXPECT_FALSE(fused_by_mlp.fused_readout_supported(
        models::collate(pointers(gs), {0}, nullptr, 0, mlp, Device::CPU)));

    // A 33-node graph is beyond the kernel's neighbour masks: readout() falls back to the ops.
    ModelConfig plain;
    NasflatModel m(plain, 3);
    Rng rng(5);
    std::vector<ArchGraph> big = {random_dag(rng, kernels::kFusedMaxNodes + 1, 7)};
    auto big_batch = models::collate(pointers(big), {0}, nullptr, 0, plain, Device::CPU);
    EXPECT_FALSE(m.fused_readout_supported(big_batch));
    m.set_fused_readout(true);
    NoGradGuard no_grad;
    EXPECT_EQ(m.readout(big_batch).dim(0), 1);
}

TEST(FusedReadoutUse, EmptyBatch) {
    ModelConfig c;
    NasflatModel m(c, 3);
    auto batch = models::collate({}, {}, nullptr, 0, c, Device::CPU);
    NoGradGuard no_grad;
    Tensor r = m.readout_fused(batch);
    EXPECT_EQ(r.dim(0), 0);
    EXPECT_EQ(r.dim(1), kernels::kFusedFeat);
}

// The kernel never builds the op-update pass's gate vectors: launching without their tables
// (or with a table in the main pass, whose gate vectors are per node) is refused.
TEST(FusedReadoutUse, ArgsWithoutGateTablesAreRefused) {
    const float w[1] = {0.0f};
    const int32_t rows[1] = {0};
    kernels::FusedReadoutArgs a;
    EXPECT_THROW(kernels::fused_readout_cpu(a), std::exception);  // no gate rows, no table
    a.gate_rows = rows;
    a.upd_table = w;
    kernels::fused_readout_cpu(a);  // no layers, no graphs: nothing to do
    a.op_update.num_layers = 1;
    a.op_update.layers[0].flow_gate_w = w;
    EXPECT_THROW(kernels::fused_readout_cpu(a), std::exception);
    a.op_update.layers[0].flow_gate_table = w;
    kernels::fused_readout_cpu(a);
    a.main.num_layers = 1;
    a.main.layers[0].att_gate_table = w;
    EXPECT_THROW(kernels::fused_readout_cpu(a), std::exception);
    a.main.layers[0].att_gate_table = nullptr;
    a.version = 1;  // lost to v2; the bench alone still runs it
    EXPECT_THROW(kernels::fused_readout_cpu(a), std::exception);
}

// v3's tensor-core loads need 32-byte aligned weights and a gate width that is a multiple of 8;
// a model without them runs v2, and says so on stderr (not a silent fallback).
TEST(FusedReadoutUse, Tf32FallbackIsReported) {
    ModelConfig c;
    c.none_op = 5;
    c.gate_dim = 44;  // C % 8 != 0
    NasflatModel m(c, 3);
    perturb(m, 4);
    std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1(), nb201_idx3()};
    auto batch = models::collate(pointers(gs), {0, 1, 2}, nullptr, 0, c, Device::CPU);
    ASSERT_TRUE(m.fused_readout_supported(batch));
    NoGradGuard no_grad;
    m.set_fused_readout(false, 2);
    const std::vector<float> v2 = m.readout_fused(batch).to_vector();
    m.set_fused_readout(false, 3);
    ::testing::internal::CaptureStderr();
    const std::vector<float> v3 = m.readout_fused(batch).to_vector();
    const std::string note = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(v3, v2);  // v2 ran, bit for bit
    EXPECT_NE(note.find("v3 (TF32) cannot run"), std::string::npos) << note;
    EXPECT_NE(note.find("using v2"), std::string::npos) << note;
}

}  // namespace
}  // namespace nasflat::testing
