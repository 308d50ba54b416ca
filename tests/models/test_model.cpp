// test_model.cpp — model-level properties of the NASFLAT predictor: batch independence,
// relabelling invariance, parameter count, determinism, gradients, and that it learns.
#include <cmath>
#include <cstring>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "models/nasflat_model.h"
#include "tests/models/model_fixtures.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using models::ArchGraph;
using models::Flavor;
using models::ModelConfig;
using models::NasflatModel;

ModelConfig config_for(Flavor flavor, models::LayerType type = models::LayerType::Ensemble) {
    ModelConfig c;
    c.flavor = flavor;
    c.layer_type = type;
    c.none_op = 5;
    return c;
}

std::vector<float> score(const NasflatModel& m, const std::vector<ArchGraph>& gs,
                         const std::vector<int32_t>& devs) {
    NoGradGuard no_grad;
    auto batch = models::collate(pointers(gs), devs, nullptr, 0, m.config(), Device::CPU);
    return m.forward(batch).to_vector();
}

class ModelFlavors : public ::testing::TestWithParam<Flavor> {};

TEST_P(ModelFlavors, AloneEqualsInsideBatch) {
    NasflatModel m(config_for(GetParam()), 1);
    Rng rng(3);
    std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1(), nb201_idx3(), random_dag(rng, 5, 7),
                                 random_dag(rng, 22, 9)};
    std::vector<int32_t> devs = {0, 3, 7, 0, 11};
    std::vector<float> together = score(m, gs, devs);
    for (size_t i = 0; i < gs.size(); ++i) {
        std::vector<float> alone = score(m, {gs[i]}, {devs[i]});
        EXPECT_NEAR(alone[0], together[i], 1e-5f * (1 + std::fabs(together[i]))) << "graph " << i;
    }
}

// A stack fed two distinct rows and the map picking one per node (what the model does) equals
// the same stack fed every node's row: the first layer's products are only computed fewer times.
TEST_P(ModelFlavors, DistinctRowsEqualEveryNodesRow) {
    const ModelConfig c = config_for(GetParam());
    Rng rng(4);
    ParameterStore params;
    const models::LayerStack stack = models::LayerStack::make(params, rng, "s", 6, {5, 4}, c);
    params.pack(Device::CPU);
    std::vector<ArchGraph> gs = {nb201_idx1(), nb201_idx3(), random_dag(rng, 5, 7)};
    const auto batch = models::collate(pointers(gs), {0, 1, 2}, nullptr, 0, c, Device::CPU);
    const Tensor rows = random_tensor(rng, {2, 6});
    const Tensor e_rows = random_tensor(rng, {batch.gate_op_rows.size(), c.gate_dim});
    const models::NodeRows x{rows, &batch.node_type}, e{e_rows, &batch.gate_rows};
    NoGradGuard no_grad;
    const Tensor picked = stack.forward(x, e, batch);
    const Tensor full = stack.forward({x.per_node()}, {e.per_node()}, batch);
    expect_close(picked.to_vector(), full.to_vector(), 1e-6f, 1e-5f, "distinct rows vs every row");
}

// The authors score pair sides in two full forward passes; training runs the readout once per
// sample and picks its rows per side (models/training.cpp). Same scores, dropout masks included,
// and same gradients, with a supplementary encoding and with the device branch of hwemb_to_mlp.
TEST_P(ModelFlavors, PickedReadoutEqualsFullForwardWithDropout) {
    for (bool hw_mlp : {false, true}) {
        ModelConfig c = config_for(GetParam());
        c.supp_dim = 3;
        c.hwemb_to_mlp = hw_mlp;
        NasflatModel m(c, 8);
        Rng rng(6);
        const std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1(), nb201_idx3(),
                                           random_dag(rng, 6, 7)};
        const std::vector<int32_t> devs = {0, 3, 7, 0}, pick = {2, 0, 3, 3, 1, 2};
        const std::vector<float> supp = random_values(rng, 4 * 3);
        std::vector<ArchGraph> picked_gs;
        std::vector<int32_t> picked_devs;
        std::vector<float> picked_supp;
        for (int32_t k : pick) {
            picked_gs.push_back(gs[k]);
            picked_devs.push_back(devs[k]);
            picked_supp.insert(picked_supp.end(), supp.begin() + 3 * k, supp.begin() + 3 * k + 3);
        }
        const Tensor weights = random_tensor(rng, {static_cast<int64_t>(pick.size())});
        auto run = [&](bool full) {
            m.params().zero_grad();
            Tensor s;
            if (full) {
                auto b = models::collate(pointers(picked_gs), picked_devs, picked_supp.data(), 3, c,
                                         Device::CPU);
                s = m.forward(b, true, 99);
            } else {
                auto b = models::collate(pointers(gs), devs, supp.data(), 3, c, Device::CPU);
                const IndexMap rows = IndexMap::make(pick, 4, Device::CPU);
                s = m.head_scores(index_select(m.readout(b), rows), index_select(b.supp, rows),
                                  IndexMap::make(picked_devs, c.device_vocab, Device::CPU), true,
                                  99);
            }
            sum_all(mul(s, weights)).backward();
            std::vector<float> g(static_cast<size_t>(m.params().numel()));
            std::memcpy(g.data(), m.params().gradients(), g.size() * sizeof(float));
            return std::make_pair(s.to_vector(), g);
        };
        const auto [full_scores, full_grads] = run(true);
        const auto [picked_scores, picked_grads] = run(false);
        expect_close(picked_scores, full_scores, 1e-6f, 1e-5f, "picked readout scores");
        expect_close(picked_grads, full_grads, 1e-5f, 1e-4f, "picked readout gradients");
        // Dropout is on: another seed changes the scores (the test would not see masks otherwise).
        auto b = models::collate(pointers(picked_gs), picked_devs, picked_supp.data(), 3, c,
                                 Device::CPU);
        EXPECT_NE(m.forward(b, true, 100).to_vector(), full_scores);
    }
}

TEST_P(ModelFlavors, RelabellingMiddleNodesKeepsTheScore) {
    NasflatModel m(config_for(GetParam()), 2);
    ArchGraph g = nb201_idx1();
    // Permute nodes 1..6 (input 0 and output 7 stay in place).
    const int perm[8] = {0, 3, 6, 1, 5, 2, 4, 7};
    ArchGraph h;
    h.num_nodes = 8;
    h.ops.assign(8, 0);
    for (int i = 0; i < 8; ++i) h.ops[perm[i]] = g.ops[i];
    for (auto [a, b] : g.edges) h.edges.push_back({perm[a], perm[b]});
    std::vector<float> s = score(m, {g, h}, {4, 4});
    EXPECT_NEAR(s[0], s[1], 1e-5f * (1 + std::fabs(s[0])));
}

TEST_P(ModelFlavors, DeviceEmbeddingChangesTheScore) {
    NasflatModel m(config_for(GetParam()), 3);
    std::vector<float> s = score(m, {nb201_idx0(), nb201_idx0()}, {1, 2});
    EXPECT_GT(std::fabs(s[0] - s[1]), 1e-6f);
    m.copy_device_row(2, 1);
    s = score(m, {nb201_idx0(), nb201_idx0()}, {1, 2});
    EXPECT_EQ(s[0], s[1]);
}

TEST_P(ModelFlavors, SameSeedSameBitsAndIdenticalSteps) {
    auto grads_after_step = [](Flavor f) {
        NasflatModel m(config_for(f), 9);
        Rng rng(4);
        std::vector<ArchGraph> gs;
        for (int i = 0; i < 6; ++i) gs.push_back(random_dag(rng, 8, 7));
        auto batch =
            models::collate(pointers(gs), {0, 1, 2, 0, 1, 2}, nullptr, 0, m.config(), Device::CPU);
        m.params().zero_grad();
        sum_all(m.forward(batch, true, 77)).backward();
        std::vector<float> g1(m.params().gradients(), m.params().gradients() + m.params().numel());
        m.params().zero_grad();
        sum_all(m.forward(batch, true, 77)).backward();
        std::vector<float> g2(m.params().gradients(), m.params().gradients() + m.params().numel());
        EXPECT_EQ(0, std::memcmp(g1.data(), g2.data(), g1.size() * sizeof(float)))
            << "two identical steps after zero_grad must give identical grads";
        return g1;
    };
    std::vector<float> a = grads_after_step(GetParam()), b = grads_after_step(GetParam());
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));
}

INSTANTIATE_TEST_SUITE_P(Flavors, ModelFlavors, ::testing::Values(Flavor::Reference, Flavor::Fixed),
                         [](const auto& info) {
                             return std::string(models::flavor_name(info.param));
                         });

TEST(Model, ParameterCountMatchesHandCount) {
    NasflatModel m(config_for(Flavor::Reference), 1);
    // Hand count (NB201 defaults, no supplementary encoding):
    //   embeddings 128*40 + 128*8 + 40 + 8 + 48 + 48                       = 6288
    //   x_hidden 48*96 + 96                                                = 4704
    //   ensemble layer in->128: dgf (in*128 + 128 + 48*128 + 128) + gat (in*128 + 128
    //     + 48*128 + 128 + 256): 96 -> 2*96*128 + 2*6272 + 512 = 37632; 128 -> 45824
    //   op-update 37632 + 45824 = 83456; main 37632 + 2 * 45824 = 129280
    //   output MLP 3 * (128*128 + 128) = 49536; update MLP 176*128 + 128 + 128*48 + 48 = 28848
    //   head 128*200 + 200 + 2 * (200*200 + 200) + 200 + 1 = 106401
    //   total 408513 (the authors' count: ~433k, with a 24.5k ZCP embedder it never uses)
    EXPECT_EQ(m.params().numel(), 6288 + 4704 + 83456 + 129280 + 49536 + 28848 + 106401);
}

TEST(Model, SupplementaryEncodingAndHwembToMlp) {
    ModelConfig c = config_for(Flavor::Reference);
    c.supp_dim = 13;
    c.hwemb_to_mlp = true;
    NasflatModel m(c, 5);
    std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1()};
    std::vector<float> supp(26, 0.25f);
    NoGradGuard no_grad;
    auto batch = models::collate(pointers(gs), {0, 1}, supp.data(), 13, c, Device::CPU);
    std::vector<float> s = m.forward(batch).to_vector();
    EXPECT_EQ(s.size(), 2u);
    EXPECT_TRUE(std::isfinite(s[0]) && std::isfinite(s[1]));
    EXPECT_THROW(models::collate(pointers(gs), {0, 1}, nullptr, 0, c, Device::CPU), Error);
}

TEST(Model, MlpFuseBuildsLearnsAndRoundTrips) {
    ModelConfig c = config_for(Flavor::Reference);
    c.fuse = models::Fuse::Mlp;
    NasflatModel m(c, 8);
    // Five ensemble layers, each with Linear(256 -> 128) and Linear(128 -> 128) for the fuse.
    NasflatModel plain(config_for(Flavor::Reference), 8);
    EXPECT_EQ(m.params().numel() - plain.params().numel(), 5 * (256 * 128 + 128 + 128 * 128 + 128));
    std::vector<float> s = score(m, {nb201_idx0(), nb201_idx1()}, {0, 0});
    EXPECT_TRUE(std::isfinite(s[0]) && std::isfinite(s[1]));
    EXPECT_NE(s[0], s[1]);
}

TEST(Model, SingleBranchAblationsRun) {
    for (auto type : {models::LayerType::GraphFlow, models::LayerType::Attention}) {
        NasflatModel m(config_for(Flavor::Fixed, type), 6);
        std::vector<float> s = score(m, {nb201_idx0(), nb201_idx3()}, {0, 0});
        EXPECT_TRUE(std::isfinite(s[0]) && std::isfinite(s[1]));
    }
}

TEST(Model, WholeModelGradientMatchesFiniteDifferences) {
    // Probe a few parameters of a small model through the full forward (reference kernels).
    CpuBackendGuard reference(kernels::Backend::CpuReference);
    ModelConfig c = config_for(Flavor::Reference);
    c.op_update_dims = {16, 16};
    c.main_dims = {16, 16};
    c.output_mlp_dims = {16, 16};
    c.update_hidden = 16;
    c.head_dims = {16};
    c.hidden_dim = 12;
    c.head_dropout = 0.0f;
    NasflatModel m(c, 11);
    std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1(), nb201_idx3()};
    auto batch = models::collate(pointers(gs), {0, 1, 2}, nullptr, 0, c, Device::CPU);
    Tensor weights = Tensor::from_vector({0.3f, -0.7f, 1.1f}, {3});
    auto loss = [&] { return sum_all(mul(m.forward(batch), weights)); };
    m.params().zero_grad();
    loss().backward();
    float* values = m.params().values();
    const float* grads = m.params().gradients();
    Rng rng(12);
    for (int probe = 0; probe < 40; ++probe) {
        int64_t i = static_cast<int64_t>(rng.below(static_cast<uint64_t>(m.params().numel())));
        float saved = values[i];
        const float eps = 1e-2f;
        NoGradGuard no_grad;
        values[i] = saved + eps;
        double up = loss().item();
        values[i] = saved - eps;
        double down = loss().item();
        values[i] = saved;
        double numeric = (up - down) / (2 * eps);
        double scale = std::max({std::fabs(numeric), std::fabs(double(grads[i])), 1.0});
        EXPECT_LE(std::fabs(numeric - grads[i]), 2e-2 * scale) << "parameter " << i;
    }
}

}  // namespace
}  // namespace nasflat::testing
