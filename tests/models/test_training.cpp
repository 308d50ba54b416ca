// test_training.cpp — pair sampling rules, that training lowers the loss and learns a
// planted ranking, in both pair-scoring modes, and that scoring threads change nothing.
#include <algorithm>
#include <cmath>
#include <set>

#include "kernels/base/check.h"
#include "models/training.h"
#include "tests/models/model_fixtures.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using namespace models;

TEST(PairSampling, AllUntiedPairsWhenFewAndExactlyMaxWhenMany) {
    Rng rng(1);
    // n = 5 distinct targets: all 10 pairs (max 20).
    Pairs p = sample_pairs({1, 2, 3, 4, 5}, 20, rng);
    EXPECT_EQ(p.i.size(), 10u);
    // Ties are never paired.
    p = sample_pairs({1, 1, 2}, 20, rng);
    EXPECT_EQ(p.i.size(), 2u);
    // n = 128 distinct: exactly 4n = 512 of the 8128 pairs, all distinct, i < j, sign right.
    std::vector<float> y(128);
    for (int k = 0; k < 128; ++k) y[k] = static_cast<float>((k * 37) % 128);
    p = sample_pairs(y, 512, rng);
    ASSERT_EQ(p.i.size(), 512u);
    std::set<std::pair<int, int>> seen;
    for (size_t k = 0; k < p.i.size(); ++k) {
        EXPECT_LT(p.i[k], p.j[k]);
        EXPECT_TRUE(seen.insert({p.i[k], p.j[k]}).second);
        EXPECT_EQ(p.sign[k], y[p.i[k]] > y[p.j[k]] ? 1.0f : -1.0f);
    }
}

// A planted ranking: latency = number of conv nodes (ops 3, 4) + 0.1 * edges.
std::vector<ArchGraph> planted_graphs(int count, std::vector<float>& latency) {
    Rng rng(5);
    std::vector<ArchGraph> gs;
    for (int k = 0; k < count; ++k) {
        ArchGraph g = random_dag(rng, 8, 7);
        float lat = 0.1f * static_cast<float>(g.edges.size());
        for (int i = 1; i < 7; ++i) lat += (g.ops[i] == 3 || g.ops[i] == 4) ? 1.0f : 0.0f;
        latency.push_back(lat);
        gs.push_back(g);
    }
    return gs;
}

double spearman_simple(const std::vector<float>& a, const std::vector<float>& b) {
    auto ranks = [](const std::vector<float>& v) {
        std::vector<int> idx(v.size());
        for (size_t i = 0; i < v.size(); ++i) idx[i] = static_cast<int>(i);
        std::sort(idx.begin(), idx.end(), [&](int x, int y) { return v[x] < v[y]; });
        std::vector<double> r(v.size());
        for (size_t i = 0; i < idx.size();) {
            size_t j = i;
            while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
            for (size_t k = i; k <= j; ++k) r[idx[k]] = (i + j) / 2.0;
            i = j + 1;
        }
        return r;
    };
    auto ra = ranks(a), rb = ranks(b);
    double ma = 0, mb = 0;
    for (size_t i = 0; i < ra.size(); ++i) ma += ra[i], mb += rb[i];
    ma /= ra.size();
    mb /= rb.size();
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

// `count` planted graphs with their latencies and a fresh model (seeded) to fit or score them.
struct Planted {
    std::vector<float> latency;
    std::vector<ArchGraph> graphs;
    NasflatModel model;
    Planted(int count, uint64_t seed)
        : graphs(planted_graphs(count, latency)), model(config(), seed) {}
    ArchTable table() const { return {&graphs, nullptr, 0}; }
    static ModelConfig config() {
        ModelConfig c;
        c.none_op = 5;
        return c;
    }
};

class Learning : public ::testing::TestWithParam<PairScoring> {};

TEST_P(Learning, LossFallsAndRankingIsLearned) {
    Planted p(300, 3);
    const std::vector<float>& latency = p.latency;
    const ArchTable table = p.table();
    NasflatModel& model = p.model;
    std::vector<Sample> samples;
    for (int a = 0; a < 128; ++a) samples.push_back({a, 0, latency[a]});
    TrainOptions opt;
    opt.epochs = 12;
    opt.batch_size = 32;
    opt.scoring = GetParam();
    Rng rng(7);
    std::vector<double> losses;
    train(model, table, samples, opt, rng, [&](int, double l) { losses.push_back(l); });
    ASSERT_EQ(losses.size(), 12u);
    EXPECT_LT(losses.back(), 0.5 * losses.front()) << "loss should fall on a learnable problem";
    std::vector<int32_t> held_out;
    std::vector<float> truth;
    for (int a = 200; a < 300; ++a) {  // never trained on
        held_out.push_back(a);
        truth.push_back(latency[a]);
    }
    std::vector<float> pred = predict(model, table, held_out, 0, 64);
    EXPECT_GT(spearman_simple(pred, truth), 0.8);
}

INSTANTIATE_TEST_SUITE_P(Scoring, Learning,
                         ::testing::Values(PairScoring::TwoForwards, PairScoring::ScoreOnce),
                         [](const auto& info) {
                             return std::string(info.param == PairScoring::ScoreOnce
                                                    ? "ScoreOnce" : "TwoForwards");
                         });

// Scoring threads split the batches, not the architectures: the same bits for any count, in
// the caller's order, with a last batch shorter than the others.
TEST(Training, DivergenceIsAnErrorAtTheFirstBadEpoch) {
    // A learning rate no flag accepts (the CLI refuses it) reaches train() only from code; the
    // loop must stop at the first non-finite loss or weight, not save a NaN model.
    Planted p(64, 3);
    std::vector<Sample> samples;
    for (int a = 0; a < 64; ++a) samples.push_back({a, 0, p.latency[a]});
    TrainOptions opt;
    opt.epochs = 5;
    opt.batch_size = 16;
    opt.lr = 1e30f;
    Rng rng(3);
    int epochs_done = 0;
    try {
        train(p.model, p.table(), samples, opt, rng, [&](int, double) { ++epochs_done; });
        ADD_FAILURE() << "no error";
    } catch (const nasflat::Error& e) {
        EXPECT_NE(std::string(e.what()).find("training diverged at epoch 1"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("lower the learning rate"), std::string::npos);
    }
    EXPECT_EQ(epochs_done, 0);
}

// Data parallelism (models/shards.h): a batch split in shards trains to the same bits on any
// thread count, in both pair scorings and with a supplementary encoding (its rows are joined
// from the shards), and the last shard may be short (a batch of 50 in shards of 16).
class Shards : public ::testing::TestWithParam<PairScoring> {};

// 120 planted graphs, a 3-wide supplementary encoding and 100 samples on two device rows.
struct ShardFixture {
    std::vector<float> latency, supp;
    std::vector<ArchGraph> graphs = planted_graphs(120, latency);
    std::vector<Sample> samples;
    ShardFixture() {
        Rng r(11);
        for (int a = 0; a < 120 * 3; ++a) supp.push_back(static_cast<float>(r.uniform()));
        for (int a = 0; a < 100; ++a) samples.push_back({a, a % 2, latency[a]});
    }
    ArchTable table() const { return {&graphs, supp.data(), 3}; }
    static ModelConfig config(bool hwemb_to_mlp = false) {
        ModelConfig c = Planted::config();
        c.supp_dim = 3;
        c.device_vocab = 2;
        c.hwemb_to_mlp = hwemb_to_mlp;  // the head reads the device embedding too
        return c;
    }
};

TEST_P(Shards, SameBitsForAnyThreadCount) {
    ShardFixture f;
    TrainOptions opt;
    opt.epochs = 2;
    opt.batch_size = 50;
    opt.shard_size = 16;
    opt.scoring = GetParam();
    std::vector<float> one;
    for (int threads : {1, 2, 3, 8}) {
        NasflatModel model(ShardFixture::config(), 5);
        opt.threads = threads;
        Rng rng(9);
        train(model, f.table(), f.samples, opt, rng);
        const std::vector<float> values = model.params().values_to_host();
        if (threads == 1) {
            one = values;
            continue;
        }
        EXPECT_EQ(values, one) << threads << " threads";
    }
}

// A split step computes the unsplit step's loss and gradient (float rounding apart): after
// one epoch of one batch, the gradients left in the store are that batch's. With the device
// embedding read by the head too, its gradient comes from the heads and the shards.
TEST_P(Shards, SplitStepComputesTheUnsplitGradient) {
    for (bool hwemb_to_mlp : {false, true}) {
        SCOPED_TRACE(hwemb_to_mlp ? "hwemb_to_mlp" : "gates only");
        ShardFixture f;
        std::vector<Sample> batch(f.samples.begin(), f.samples.begin() + 50);
        TrainOptions opt;
        opt.epochs = 1;
        opt.batch_size = 50;
        opt.scoring = GetParam();
        std::vector<std::vector<float>> grads;
        std::vector<double> losses;
        for (int shard : {0, 16}) {
            NasflatModel model(ShardFixture::config(hwemb_to_mlp), 5);
            opt.shard_size = shard;
            opt.threads = 2;
            Rng rng(9);
            losses.push_back(train(model, f.table(), batch, opt, rng));
            const float* g = model.params().gradients();
            grads.emplace_back(g, g + model.params().numel());
        }
        EXPECT_NEAR(losses[1], losses[0], 1e-6 * std::fabs(losses[0]));
        float largest = 0;
        for (float v : grads[0]) largest = std::max(largest, std::fabs(v));
        ASSERT_GT(largest, 0.0f);
        int nonzero = 0;
        for (size_t i = 0; i < grads[0].size(); ++i) {
            ASSERT_NEAR(grads[1][i], grads[0][i], 1e-5f * largest) << "parameter value " << i;
            nonzero += grads[0][i] != 0.0f;
        }
        EXPECT_GT(nonzero, static_cast<int>(grads[0].size() / 2)) << "most weights get a gradient";
    }
}

INSTANTIATE_TEST_SUITE_P(Scoring, Shards,
                         ::testing::Values(PairScoring::TwoForwards, PairScoring::ScoreOnce),
                         [](const auto& info) {
                             return std::string(info.param == PairScoring::ScoreOnce
                                                    ? "ScoreOnce" : "TwoForwards");
                         });

TEST(Predict, SameScoresForAnyThreadCount) {
    Planted p(41, 5);
    const ArchTable table = p.table();
    const NasflatModel& model = p.model;
    std::vector<int32_t> archs;
    for (int a = 40; a >= 0; a -= 2) archs.push_back(a);  // 21 archs, not in table order
    for (int a = 1; a < 41; a += 4) archs.push_back(a);
    const std::vector<float> one = predict(model, table, archs, 0, 4, 1);
    ASSERT_EQ(one.size(), archs.size());
    for (int threads : {2, 3, 8, 64}) {
        EXPECT_EQ(predict(model, table, archs, 0, 4, threads), one) << threads << " threads";
    }
    EXPECT_THROW(predict(model, table, archs, 0, 4, 0), std::exception);
}

// A bad architecture fails the call with the error a single thread would raise: that of the
// first bad batch, even when a lower-numbered thread also fails (on a later batch).
TEST(Predict, ThreadsReportTheFirstBadBatch) {
    Planted p(30, 5);
    p.graphs[10].ops[1] = 999;  // batch 3 (archs 9-11) of 3, graph 1 of its batch
    p.graphs[20].ops[1] = 999;  // batch 6 (archs 18-20), graph 2: thread 2 of 4 fails there
    const ArchTable table = p.table();
    const NasflatModel& model = p.model;
    std::vector<int32_t> archs(30);
    for (int a = 0; a < 30; ++a) archs[a] = a;
    for (int threads : {1, 4}) {
        try {
            predict(model, table, archs, 0, 3, threads);
            ADD_FAILURE() << "bad ops should fail, " << threads << " threads";
        } catch (const std::exception& e) {
            EXPECT_NE(std::string(e.what()).find("graph 1 node 1 has op 999"), std::string::npos)
                << threads << " threads: " << e.what();
        }
    }
}

}  // namespace
}  // namespace nasflat::testing
