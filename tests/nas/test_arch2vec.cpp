// test_arch2vec.cpp — the arch2vec encoding (nas/predictor/arch2vec.h) on a subset of NB201
// (a few epochs, so the suite stays fast): determinism, training, reconstruction, what the
// encoding keeps of the architectures; its cache file (nas/data/encoding_cache.h); the
// `nasflat encode` verb and the verbs that read the cache.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "kernels/base/rng.h"
#include "nas/base/metrics.h"
#include "nas/data/encoding_cache.h"
#include "nas/predictor/arch2vec.h"
#include "nas/predictor/space_context.h"
#include "tests/nas/cli_test_util.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;
using testing::TempDir;

// Every `stride`-th NB201 architecture's graph (0, stride, 2 stride, ...), `count` of them.
std::vector<models::ArchGraph> subset(int count, int* num_ops, int stride = 1) {
    const std::vector<models::ArchGraph> all = arch2vec_graphs(testing::nb201_space(), num_ops);
    std::vector<models::ArchGraph> g;
    for (int k = 0; k < count; ++k) g.push_back(all[static_cast<size_t>(k * stride)]);
    return g;
}

// Sets an environment variable for the scope (restoring the old value).
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        const char* old = std::getenv(name);
        had_ = old != nullptr;
        if (had_) old_ = old;
        value ? setenv(name, value, 1) : unsetenv(name);
    }
    ~ScopedEnv() { had_ ? setenv(name_, old_.c_str(), 1) : unsetenv(name_); }

  private:
    const char* name_;
    bool had_ = false;
    std::string old_;
};

// One short training on 3000 architectures spread over the space (arch k of the encoding is
// NB201 arch 5 k), shared by the tests that read it.
struct Trained {
    Encoding e;
    Arch2VecReport r;
};
const Trained& trained() {
    static const Trained t = [] {
        int num_ops = 0;
        const auto graphs = subset(3000, &num_ops, 5);
        Arch2VecOptions o;
        o.epochs = 12;
        o.batch = 64;
        Trained out;
        out.e = train_arch2vec(graphs, num_ops, o, &out.r);
        return out;
    }();
    return t;
}

double distance(const Encoding& e, int a, int b) {
    double d = 0;
    for (int c = 0; c < e.dim; ++c) d += std::pow(e.row(a)[c] - e.row(b)[c], 2.0);
    return std::sqrt(d);
}

int shared_ops(int a, int b) {
    const SearchSpace& ss = testing::nb201_space();
    int same = 0;
    a *= 5, b *= 5;  // rows of trained() -> NB201 archs
    for (size_t p = 0; p < ss.ops(a).size(); ++p) same += ss.ops(a)[p] == ss.ops(b)[p];
    return same;
}

using Arch2Vec = testing::RealData;

TEST_F(Arch2Vec, SameSeedSameBitsOtherSeedOtherBits) {
    int num_ops = 0;
    const auto graphs = subset(300, &num_ops);
    Arch2VecOptions o;
    o.epochs = 2;
    const Encoding a = train_arch2vec(graphs, num_ops, o);
    const Encoding b = train_arch2vec(graphs, num_ops, o);
    ASSERT_EQ(a.size(), 300);
    ASSERT_EQ(a.dim, 32);
    EXPECT_EQ(a.values, b.values);
    o.seed = 7;
    EXPECT_NE(train_arch2vec(graphs, num_ops, o).values, a.values);
}

TEST_F(Arch2Vec, TrainingLowersTheLossAndReconstructsHeldOutArchs) {
    const Arch2VecReport& r = trained().r;
    ASSERT_EQ(r.epoch_loss.size(), 12u);
    EXPECT_LT(r.epoch_loss.back(), 0.9 * r.epoch_loss.front());
    EXPECT_EQ(r.num_heldout, 300);
    // Ops: well above the most frequent op's share. Adjacency: above guessing (0.5); the
    // majority class (no edge) is ~0.8 and a short training does not beat it (see arch2vec.h).
    EXPECT_GT(r.ops_accuracy, r.ops_chance + 0.1) << r.ops_accuracy << " vs " << r.ops_chance;
    EXPECT_GT(r.adj_accuracy, 0.5);
    for (float v : trained().e.values) ASSERT_TRUE(std::isfinite(v));
}

TEST_F(Arch2Vec, NearestNeighboursShareMoreOpsThanRandomPairs) {
    const Encoding& e = trained().e;
    Rng rng(3);
    double near = 0, random = 0;
    const int probes = 200;
    for (int k = 0; k < probes; ++k) {
        const int a = static_cast<int>(rng.below(static_cast<uint64_t>(e.size())));
        int best = -1;
        for (int b = 0; b < e.size(); ++b) {
            if (b != a && (best < 0 || distance(e, a, b) < distance(e, a, best))) best = b;
        }
        near += shared_ops(a, best);
        random += shared_ops(a, static_cast<int>(rng.below(static_cast<uint64_t>(e.size()))));
    }
    EXPECT_GT(near / probes, random / probes + 0.5) << near / probes << " vs " << random / probes;
}

TEST_F(Arch2Vec, EncodingDistanceFollowsEditDistance) {
    const Encoding& e = trained().e;
    Rng rng(5);
    std::vector<double> enc, edit;
    for (int k = 0; k < 2000; ++k) {
        const int a = static_cast<int>(rng.below(static_cast<uint64_t>(e.size())));
        const int b = static_cast<int>(rng.below(static_cast<uint64_t>(e.size())));
        enc.push_back(distance(e, a, b));
        edit.push_back(6 - shared_ops(a, b));
    }
    EXPECT_GT(spearman(enc, edit), 0.05);
}

TEST(Arch2VecOptions, BadInputIsRefused) {
    Arch2VecOptions o;
    expect_error([&] { train_arch2vec({}, 3, o); }, {"no architectures"});
    models::ArchGraph g{3, {0, 1, 2}, {{0, 1}, {1, 2}}};
    o.holdout = 1.5f;
    expect_error([&] { train_arch2vec({g}, 3, o); }, {"bad settings"});
    o = {};
    expect_error([&] { train_arch2vec({g}, 2, o); }, {"op 2 outside"});
}

TEST(EncodingCache, FolderFollowsTheEnvironment) {
    ScopedEnv cache("NASFLAT_CACHE", "/tmp/nc"), xdg("XDG_CACHE_HOME", "/tmp/xdg"),
        home("HOME", "/tmp/home");
    EXPECT_EQ(encoding_cache_dir(), "/tmp/nc");
    {
        ScopedEnv no_cache("NASFLAT_CACHE", nullptr);
        EXPECT_EQ(encoding_cache_dir(), "/tmp/xdg/nasflat");
        ScopedEnv no_xdg("XDG_CACHE_HOME", nullptr);
        EXPECT_EQ(encoding_cache_dir(), "/tmp/home/.cache/nasflat");
    }
}

Encoding small_encoding() {
    Encoding e;
    e.name = "arch2vec";
    e.dim = 2;
    e.values = {0.5f, -1.25f, 3.0f, 1e-20f, -0.0f, 7.0f};
    e.columns = {"z0", "z1"};
    e.note = "test";
    return e;
}

TEST(EncodingCache, RoundTripsAndRefusesCorruptOrMismatchingFiles) {
    TempDir dir;
    const EncodingKey key{"nb201", "arch2vec", "settings A", "00ff"};
    const std::string path = dir.path() + "/sub/x.enc";
    write_encoding_file(path, small_encoding(), key);
    const Encoding back = read_encoding_file(path, key);
    EXPECT_EQ(back.values, small_encoding().values);
    EXPECT_EQ(back.columns, small_encoding().columns);
    EXPECT_EQ(back.size(), 3);

    EncodingKey other = key;
    other.settings = "settings B";
    expect_error([&] { read_encoding_file(path, other); },
                 {path, "settings", "delete the file", "nasflat encode"});
    other = key;
    other.fingerprint = "0100";
    expect_error([&] { read_encoding_file(path, other); }, {path, "fingerprint"});

    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto write = [&](const std::string& b) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << b;
    };
    std::string flipped = bytes;
    flipped[flipped.size() - 3] ^= 0x10;
    write(flipped);
    expect_error([&] { read_encoding_file(path, key); }, {path, "checksum", "nasflat encode"});
    write(bytes.substr(0, bytes.size() - 4));
    expect_error([&] { read_encoding_file(path, key); }, {path, "size"});
    write("hello\n");
    expect_error([&] { read_encoding_file(path, key); }, {path, "not a nasflat encoding"});
}

TEST_F(Arch2Vec, ContextAndSamplerReadTheCacheAndDataRefusesToTrain) {
    TempDir dir;
    ScopedEnv cache("NASFLAT_CACHE", dir.path().c_str());
    const SearchSpace& ss = testing::nb201_space();
    expect_error([&] { load_encoding(data_, ss, "arch2vec"); }, {"learned", "nasflat encode"});
    // A file at the default settings' path is read, not rebuilt.
    Encoding e;
    e.name = "arch2vec";
    e.dim = 32;
    e.values.resize(static_cast<size_t>(ss.size()) * 32);
    for (size_t i = 0; i < e.values.size(); ++i) e.values[i] = static_cast<float>(i % 97) / 97;
    for (int c = 0; c < 32; ++c) e.columns.push_back("z" + std::to_string(c));
    const EncodingKey key = encoding_key(ss, "arch2vec", Arch2VecOptions().settings());
    write_encoding_file(encoding_cache_path(key), e, key);
    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    EXPECT_EQ(ctx->encoding("arch2vec").values, e.values);

    CliResult r = run_cli("sample --space nb201 --count 4 --sampler kmeans --encoding arch2vec",
                          "NASFLAT_CACHE='" + dir.path() + "' NASFLAT_DATA='" + data_ + "'");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err.find("training"), std::string::npos) << r.err;

    std::ofstream(encoding_cache_path(key), std::ios::app) << "x";
    auto fresh = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    expect_error([&] { fresh->encoding("arch2vec"); }, {"size", "nasflat encode"});
}

TEST_F(Arch2Vec, EncodeVerbWritesTheCacheAndTheCopy) {
    TempDir dir;
    const std::string out = dir.path() + "/copy.enc";
    CliResult r = run_cli("encode --space nb201 --method arch2vec --epochs 1 --seed 3 --out '" +
                              out + "'",
                          "NASFLAT_CACHE='" + dir.path() + "/cache' NASFLAT_DATA='" + data_ + "'");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(has(r.err, "epoch 1/1 loss")) << r.err;
    EXPECT_TRUE(has(r.out, dir.path() + "/cache/nb201-arch2vec-s")) << r.out;
    EXPECT_TRUE(has(r.out, "ops accuracy")) << r.out;
    Arch2VecOptions o;
    o.epochs = 1;
    o.seed = 3;
    const Encoding e = read_encoding_file(
        out, encoding_key(testing::nb201_space(), "arch2vec", o.settings()));
    EXPECT_EQ(e.size(), testing::nb201_space().size());
}

TEST(Arch2VecCli, BadFlagsGiveOneLineErrors) {
    for (const char* args : {"encode --space nb201 --method arch2vecc", "encode --method arch2vec",
                             "encode --space nb201 --epochs 0", "encode --space nb201 --lr -1",
                             "encode --space nb201 --seed -3"}) {
        CliResult r = run_cli(args);
        EXPECT_EQ(r.code, 2) << args;
        expect_one_error_line(r, {});
    }
}

}  // namespace
}  // namespace nasflat::nas
