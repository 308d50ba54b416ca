// test_cate.cpp — the CATE encoding (nas/predictor/cate.h) on the real spaces, with short
// trainings: the same seed gives the same bits; held-out masked-op accuracy beats chance;
// encoding distance grows with edit distance; the encoding's columns are not collapsed (their
// variance spectrum is printed, as the one reported CATE collapse was on FBNet).
#include <cmath>
#include <cstring>
#include <sstream>

#include "nas/base/metrics.h"
#include "nas/predictor/cate.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas::testing {
namespace {

class CateData : public RealData {};

CateOptions short_options(int steps) {
    CateOptions o;
    o.steps = steps;
    o.batch_pairs = 32;
    o.lr = 2e-3f;
    o.max_heldout = 300;
    o.log_every = 0;
    return o;
}

// Spearman between the encodings' L2 distance and the edit distance (differing edge or layer
// ops) on `n` seeded random pairs.
double distance_correlation(const SearchSpace& ss, const Encoding& e, int n) {
    Rng rng(3);
    std::vector<double> enc, edit;
    for (int k = 0; k < n; ++k) {
        const int a = static_cast<int>(rng.below(ss.size()));
        const int b = static_cast<int>(rng.below(ss.size()));
        double d = 0;
        for (int c = 0; c < e.dim; ++c) d += std::pow(e.row(a)[c] - e.row(b)[c], 2);
        int diff = 0;
        for (size_t i = 0; i < ss.ops(a).size(); ++i) diff += ss.ops(a)[i] != ss.ops(b)[i];
        enc.push_back(std::sqrt(d));
        edit.push_back(diff);
    }
    return spearman(enc, edit);
}

// `learnable`: whether a short training beats chance. FBNet's 5000 networks draw each layer's
// op independently and uniformly (the most frequent op covers 11.3 % of the 110000 layers, and
// the neighbours add nothing), so a masked op is told only by the FLOPs the pair shares with its
// partner: the default 3000 steps reach 0.18 against chance 0.12, a 200-step run stays near
// chance; there only the encoding's spread and distance are checked.
void expect_trained_encoding(const std::string& data, Space space, int steps, bool learnable,
                             double min_rho) {
    const SearchSpace ss = SearchSpace::load(data, space);
    std::ostringstream log;
    CateStats st;
    const Encoding e = train_cate(ss, short_options(steps), 11, log, &st);
    ASSERT_EQ(e.name, "cate");
    ASSERT_EQ(e.dim, 32);
    ASSERT_EQ(e.size(), ss.size());
    ASSERT_EQ(e.columns.size(), 32u);
    EXPECT_EQ(e.columns[31], "cate_31");
    EXPECT_EQ(e.norms[0].kind, "none");
    for (float v : e.values) ASSERT_TRUE(std::isfinite(v));
    if (learnable) {
        EXPECT_GT(st.heldout_accuracy, st.chance + 0.1) << log.str();
    } else {
        EXPECT_GT(st.heldout_accuracy, 0.5 * st.chance) << log.str();
    }
    const double rho = distance_correlation(ss, e, 2000);
    EXPECT_GT(rho, min_rho) << "encoding distance vs edit distance";
    // Not collapsed: the top column varies, and the 8th strongest keeps at least 1 % of it.
    ASSERT_EQ(st.column_variance.size(), 32u);
    EXPECT_GT(st.column_variance[0], 1e-3);
    EXPECT_GT(st.column_variance[7], 0.01 * st.column_variance[0]);
    std::ostringstream spectrum;
    for (double v : st.column_variance) spectrum << " " << v;
    std::cout << space_name(space) << ": held-out masked-op accuracy " << st.heldout_accuracy
              << " (chance " << st.chance << "), Spearman(encoding distance, edit distance) "
              << rho << ", column variances (descending):" << spectrum.str() << "\n";
}

TEST_F(CateData, SameSeedSameBits) {
    const SearchSpace ss = SearchSpace::load(data_, Space::NB201);
    std::ostringstream log;
    CateOptions o = short_options(5);
    o.batch_pairs = 8;
    const Encoding a = train_cate(ss, o, 7, log), b = train_cate(ss, o, 7, log);
    ASSERT_EQ(a.values.size(), b.values.size());
    EXPECT_EQ(std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)), 0);
    const Encoding c = train_cate(ss, o, 8, log);
    EXPECT_NE(std::memcmp(a.values.data(), c.values.data(), a.values.size() * sizeof(float)), 0);
}

TEST_F(CateData, Nb201ShortTrainingLearnsAndSpreads) {
    expect_trained_encoding(data_, Space::NB201, 300, true, 0.15);
}

TEST_F(CateData, FbnetShortTrainingLearnsAndSpreads) {
    // Edit distances of random FBNet pairs crowd around 19.6 of 22: a weaker correlation.
    expect_trained_encoding(data_, Space::FBNet, 200, false, 0.05);
}

TEST_F(CateData, BadOptionsAreOneLineErrors) {
    const SearchSpace ss = SearchSpace::load(data_, Space::NB201);
    std::ostringstream log;
    CateOptions o = short_options(1);
    o.mask_rate = 0;
    EXPECT_THROW(train_cate(ss, o, 1, log), Error);
    o = short_options(1);
    o.heads = 3;  // does not divide 64
    EXPECT_THROW(train_cate(ss, o, 1, log), Error);
}

}  // namespace
}  // namespace nasflat::nas::testing
