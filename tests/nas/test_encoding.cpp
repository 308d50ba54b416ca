// test_encoding.cpp — per-architecture encodings: the authors' normalisations on small
// vectors, and zcp / onehot / params / flops on the real data, including the NB201
// live-equivalent fallback for the 6180 cells without proxies.
#include <gtest/gtest.h>

#include <cmath>

#include "nas/data/encoding.h"
#include "nas/data/zcp.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;
using testing::fbnet_space;
using testing::nb201_space;

TEST(Normalise, ThreeKindsAndEdgeCases) {
    std::vector<double> v = {2, 4, 6, NAN};
    normalise(v, ProxyNorm::MinMax, {}, "x");
    EXPECT_EQ(v[0], 0.0);
    EXPECT_EQ(v[1], 0.5);
    EXPECT_EQ(v[2], 1.0);
    EXPECT_TRUE(std::isnan(v[3]));

    v = {0, std::exp(1.0) - 1, std::exp(2.0) - 1};  // log1p -> 0, 1, 2
    normalise(v, ProxyNorm::Log1pMinMax, {}, "x");
    EXPECT_NEAR(v[1], 0.5, 1e-15);
    EXPECT_EQ(v[2], 1.0);

    v = {1, 3, 100};  // statistics over the first two only: mean 2, population std 1
    normalise(v, ProxyNorm::ZScore, {true, true, false}, "x");
    EXPECT_EQ(v, (std::vector<double>{-1, 1, 98}));

    v = {5, 5, 5};
    normalise(v, ProxyNorm::MinMax, {}, "x");
    EXPECT_EQ(v, (std::vector<double>{0, 0, 0}));  // constant column: no information, 0

    v = {1, -2};
    expect_error([&] { normalise(v, ProxyNorm::Log1pMinMax, {}, "grasp"); }, {"grasp", "log1p"});
    EXPECT_EQ(proxy_normalisation("synflow"), ProxyNorm::Log1pMinMax);
    EXPECT_EQ(proxy_normalisation("grasp"), ProxyNorm::ZScore);
    EXPECT_EQ(proxy_normalisation("nwot"), ProxyNorm::MinMax);
    expect_error([] { proxy_normalisation("foo"); }, {"proxy 'foo'"});
}

using EncodingTest = testing::RealData;

TEST_F(EncodingTest, Nb201ZcpWithFallback) {
    const SearchSpace& ss = nb201_space();
    Encoding e = load_encoding(data_, ss, "zcp");
    ASSERT_EQ(e.dim, 13);
    ASSERT_EQ(e.size(), 15625);
    EXPECT_EQ(e.columns, zcp_proxy_names());  // the authors' order: NB201 alphabetical
    EXPECT_NE(e.note.find("9445 rows measured, 6180 from their live-equivalent cell"),
              std::string::npos)
        << e.note;
    for (float x : e.values) ASSERT_TRUE(std::isfinite(x));
    // Min-max columns lie in [0, 1]; grasp (z-score, column 4) has mean 0 / std 1 over the
    // measured cells.
    ZcpTable z = load_zcp(data_, Space::NB201, 15625);
    double sum = 0, sq = 0;
    for (int32_t i : z.arch_index) {
        for (int c = 0; c < 13; ++c) {
            if (c != 4) {
                ASSERT_TRUE(e.row(i)[c] >= 0.0f && e.row(i)[c] <= 1.0f) << c;
            }
        }
        sum += e.row(i)[4];
        sq += double(e.row(i)[4]) * e.row(i)[4];
    }
    EXPECT_NEAR(sum / z.arch_index.size(), 0.0, 1e-5);
    EXPECT_NEAR(sq / z.arch_index.size(), 1.0, 1e-4);
    // A cell with dead ops copies its live equivalent's proxies, except the exact flops and
    // params (columns 2 and 8), which count the dead convs too.
    int dead = ss.parse_arch("0,3,3,3,3,3");  // node 1 has no input: edges 1->2, 1->3 dead
    int live = ss.parse_arch("0,3,0,3,0,3");
    for (int c = 0; c < 13; ++c) {
        if (c == 2 || c == 8) {
            EXPECT_GT(e.row(dead)[c], e.row(live)[c]) << e.columns[c];
        } else {
            EXPECT_EQ(e.row(dead)[c], e.row(live)[c]) << e.columns[c];
        }
    }
    // The all-none cell's failed proxies (zen, epe_nas, jacov, nwot) are 0.
    const float* none = e.row(1651);
    for (int c : {0, 5, 7, 12}) EXPECT_EQ(none[c], 0.0f) << e.columns[c];
}

TEST_F(EncodingTest, FbnetZcpOrderAndRange) {
    Encoding e = load_encoding(data_, fbnet_space(), "zcp");
    ASSERT_EQ(e.size(), 5000);
    EXPECT_EQ(e.columns.front(), "synflow");  // the authors' order: FBNet differs from NB201
    EXPECT_EQ(e.columns[1], "zen");
    EXPECT_EQ(e.columns.back(), "snip");
    EXPECT_NE(e.note.find("5000 rows measured, 0 from"), std::string::npos) << e.note;
    float lo = 1, hi = 0;
    for (int i = 0; i < e.size(); ++i) {
        lo = std::min(lo, e.row(i)[0]);
        hi = std::max(hi, e.row(i)[0]);
    }
    EXPECT_EQ(lo, 0.0f);
    EXPECT_EQ(hi, 1.0f);
}

TEST_F(EncodingTest, OnehotParamsFlops) {
    for (const SearchSpace* ss : {&nb201_space(), &fbnet_space()}) {
        const bool nb = ss->space() == Space::NB201;
        Encoding oh = load_encoding(data_, *ss, "onehot");
        EXPECT_EQ(oh.dim, nb ? 30 : 198);
        EXPECT_EQ(oh.columns.front(), nb ? "edge0-1:none" : "layer0:k3_e1");
        for (int i = 0; i < ss->size(); i += 97) {
            float total = 0;
            for (int c = 0; c < oh.dim; ++c) total += oh.row(i)[c];
            EXPECT_EQ(total, nb ? 6.0f : 22.0f);
            EXPECT_EQ(oh.row(i)[ss->ops(i)[0]], 1.0f);
        }
        for (const char* name : {"params", "flops"}) {
            Encoding e = load_encoding(data_, *ss, name);
            ASSERT_EQ(e.dim, 1);
            ASSERT_EQ(e.size(), ss->size());
            for (int i = 1; i < ss->size(); ++i) {
                double raw_i = name == std::string("params") ? ss->params(i) : ss->flops(i);
                double raw_0 = name == std::string("params") ? ss->params(0) : ss->flops(0);
                // Monotone in the count (float rounding may merge near-equal counts).
                if (raw_i < raw_0) {
                    ASSERT_LE(e.values[i], e.values[0]);
                } else if (raw_i > raw_0) {
                    ASSERT_GE(e.values[i], e.values[0]);
                }
                ASSERT_TRUE(e.values[i] >= 0.0f && e.values[i] <= 1.0f);
            }
        }
    }
    EXPECT_EQ(list_encodings(Space::FBNet),
              (std::vector<std::string>{"zcp", "onehot", "params", "flops", "arch2vec", "cate", "caz"}));
    expect_error([&] { load_encoding(data_, nb201_space(), "zcps"); },
                 {"unknown encoding 'zcps'", "did you mean 'zcp'", "onehot"});
}

TEST_F(EncodingTest, OpListsAreEncodedAsTheirArchitectures) {
    // encode_ops serves a search's candidates outside the data folder: on the architectures of
    // the folder it must give load_encoding's rows bit for bit (the model sees the same input).
    for (const SearchSpace* ss : {&nb201_space(), &fbnet_space()}) {
        for (const char* name : {"params", "flops", "onehot"}) {
            const Encoding e = load_encoding(data_, *ss, name);
            std::vector<std::vector<int>> ops;
            std::vector<int> index;
            for (int i = 0; i < ss->size(); i += 37) {
                ops.push_back(ss->ops(i));
                index.push_back(i);
            }
            const std::vector<float> got = encode_ops(*ss, name, e.norms, ops);
            ASSERT_EQ(got.size(), ops.size() * e.dim) << name;
            for (size_t k = 0; k < index.size(); ++k) {
                for (int c = 0; c < e.dim; ++c) {
                    ASSERT_EQ(got[k * e.dim + c], e.row(index[k])[c]) << name << " arch "
                                                                      << index[k];
                }
            }
        }
    }
    // An FBNet network outside the 5000 sampled: FLOPs beyond the folder's range extrapolate.
    const Encoding f = load_encoding(data_, fbnet_space(), "flops");
    const std::vector<float> big = encode_ops(fbnet_space(), "flops", f.norms,
                                              {std::vector<int>(22, 5)});
    EXPECT_TRUE(std::isfinite(big[0]));
    EXPECT_FALSE(encodes_any_ops("zcp"));
    const Encoding z = load_encoding(data_, nb201_space(), "zcp");
    expect_error([&] { encode_ops(nb201_space(), "zcp", z.norms, {nb201_space().ops(0)}); },
                 {"'zcp' encoding is measured per architecture", "fix:"});
}

}  // namespace
}  // namespace nasflat::nas
