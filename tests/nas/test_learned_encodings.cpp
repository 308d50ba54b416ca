// test_learned_encodings.cpp — CATE through the encoding cache and CAZ
// (nas/predictor/learned_encodings.h): a cached CATE file at the default settings is read, not
// retrained; CAZ joins arch2vec, CATE and the proxies column by column; `nasflat encode
// --method cate` writes the file the other verbs read.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "nas/data/encoding_cache.h"
#include "nas/predictor/arch2vec.h"
#include "nas/predictor/learned_encodings.h"
#include "nas/predictor/space_context.h"
#include "tests/nas/cli_test_util.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::TempDir;

// NASFLAT_CACHE for the scope.
class CacheDir {
  public:
    explicit CacheDir(const std::string& dir) {
        const char* old = std::getenv("NASFLAT_CACHE");
        had_ = old != nullptr;
        if (had_) old_ = old;
        setenv("NASFLAT_CACHE", dir.c_str(), 1);
    }
    ~CacheDir() { had_ ? setenv("NASFLAT_CACHE", old_.c_str(), 1) : unsetenv("NASFLAT_CACHE"); }

  private:
    bool had_ = false;
    std::string old_;
};

// A 32-column encoding of every architecture of `ss` with values from `salt`.
Encoding fake(const SearchSpace& ss, const std::string& name, int salt) {
    Encoding e;
    e.name = name;
    e.dim = 32;
    e.values.resize(static_cast<size_t>(ss.size()) * 32);
    for (size_t i = 0; i < e.values.size(); ++i)
        e.values[i] = static_cast<float>((i * 7 + salt) % 101) / 101.0f;
    for (int c = 0; c < 32; ++c) e.columns.push_back(name + "_" + std::to_string(c));
    e.norms.assign(32, ColumnNorm{"none", 0, 1});
    return e;
}

class LearnedEncodings : public testing::RealData {};

TEST_F(LearnedEncodings, CateIsReadFromTheCacheAndCazJoinsTheThree) {
    TempDir dir;
    CacheDir cache(dir.path());
    const SearchSpace& ss = testing::nb201_space();
    const Encoding a2v = fake(ss, "arch2vec", 1), cate = fake(ss, "cate", 2);
    const EncodingKey ka = encoding_key(ss, "arch2vec", Arch2VecOptions().settings());
    const EncodingKey kc = encoding_key(ss, "cate", cate_settings(CateOptions(), kEncodingSeed));
    write_encoding_file(encoding_cache_path(ka), a2v, ka);
    write_encoding_file(encoding_cache_path(kc), cate, kc);
    testing::expect_error([&] { load_encoding(data_, ss, "cate"); },
                          {"learned", "nasflat encode --method cate"});

    auto ctx = SpaceContext::load(data_, Space::NB201, GraphMode::Fixed);
    EXPECT_EQ(ctx->encoding("cate").values, cate.values);
    const Encoding& caz = ctx->encoding("caz");
    const Encoding zcp = load_encoding(data_, ss, "zcp");
    ASSERT_EQ(caz.dim, 32 + 32 + 13);
    ASSERT_EQ(caz.size(), ss.size());
    EXPECT_EQ(caz.columns[0], "arch2vec:arch2vec_0");
    EXPECT_EQ(caz.columns[32], "cate:cate_0");
    EXPECT_EQ(caz.columns[64], "zcp:" + zcp.columns[0]);
    EXPECT_EQ(caz.norms.size(), 77u);
    for (int a : {0, 1, 777, ss.size() - 1}) {
        for (int c = 0; c < 32; ++c) {
            EXPECT_EQ(caz.row(a)[c], a2v.row(a)[c]);
            EXPECT_EQ(caz.row(a)[32 + c], cate.row(a)[c]);
        }
        for (int c = 0; c < 13; ++c) EXPECT_EQ(caz.row(a)[64 + c], zcp.row(a)[c]);
    }

    // The verbs take caz as a supplementary encoding and a sampler encoding, from the cache.
    const std::string env = "NASFLAT_CACHE='" + dir.path() + "' NASFLAT_DATA='" + data_ + "'";
    CliResult r = run_cli("sample --space nb201 --count 4 --sampler kmeans --encoding caz", env);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err.find("training"), std::string::npos) << r.err;
}

TEST_F(LearnedEncodings, EncodeVerbTrainsCateIntoTheCache) {
    TempDir dir;
    const std::string env = "NASFLAT_CACHE='" + dir.path() + "/cache' NASFLAT_DATA='" + data_ + "'";
    CliResult r = run_cli(
        "encode --space nb201 --method cate --steps 20 --seed 4 --out '" + dir.path() + "/c.enc'",
        env);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find(dir.path() + "/cache/nb201-cate-s"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("masked-op accuracy"), std::string::npos) << r.out;
    CateOptions o;
    o.steps = 20;
    const Encoding e = read_encoding_file(
        dir.path() + "/c.enc", encoding_key(testing::nb201_space(), "cate", cate_settings(o, 4)));
    EXPECT_EQ(e.size(), testing::nb201_space().size());
    EXPECT_EQ(e.dim, 32);
    CliResult bad = run_cli("encode --space nb201 --method cate --steps 0", env);
    EXPECT_EQ(bad.code, 2);
}

// What `nasflat encode` builds with its default seed is what the other verbs read: the cache
// file is found, not retrained with another seed (the two defaults once differed).
TEST_F(LearnedEncodings, EncodeDefaultSeedIsTheOneTheVerbsRead) {
    TempDir dir;
    CacheDir cache(dir.path());
    const std::string env = "NASFLAT_CACHE='" + dir.path() + "' NASFLAT_DATA='" + data_ + "'";
    CliResult r = run_cli("encode --space nb201 --method cate --steps 20", env);
    ASSERT_EQ(r.code, 0) << r.err;
    CateOptions o;
    o.steps = 20;
    const SearchSpace& ss = testing::nb201_space();
    const EncodingKey key = encoding_key(ss, "cate", cate_settings(o, kEncodingSeed));
    const Encoding built = read_encoding_file(encoding_cache_path(key), key);
    const Encoding loaded = load_or_build_cate(ss, o);
    EXPECT_EQ(loaded.values, built.values);
    EXPECT_EQ(Arch2VecOptions().seed, kEncodingSeed);
}

}  // namespace
}  // namespace nasflat::nas
