// test_metrics.cpp — Spearman rho (average ranks), Kendall tau-b (O(n log n)) and top-k
// overlap: hand-computed cases, scipy reference values (tests/data/nas/metric_refs.json, made
// once by tests/data/nas/make_metric_refs.py with Debian's python3-scipy 1.10), an O(n^2)
// Kendall on random data with ties, and the n = 15625 running time.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kernels/base/rng.h"
#include "nas/base/metrics.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;

// The definition, pair by pair: (C - D) / sqrt((n0 - ties_a)(n0 - ties_b)).
double kendall_tau_b_naive(const std::vector<double>& a, const std::vector<double>& b) {
    int64_t concordant = 0, discordant = 0, ties_a = 0, ties_b = 0, n0 = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        for (size_t j = i + 1; j < a.size(); ++j) {
            int sa = (a[i] > a[j]) - (a[i] < a[j]), sb = (b[i] > b[j]) - (b[i] < b[j]);
            ++n0;
            ties_a += sa == 0;
            ties_b += sb == 0;
            concordant += sa * sb > 0;
            discordant += sa * sb < 0;
        }
    }
    return (concordant - discordant) / std::sqrt(double(n0 - ties_a) * double(n0 - ties_b));
}

TEST(Metrics, AverageRanks) {
    EXPECT_EQ(average_ranks({10, 20, 20, 5}), (std::vector<double>{2, 3.5, 3.5, 1}));
    EXPECT_EQ(average_ranks({1, 1, 1}), (std::vector<double>{2, 2, 2}));
}

// Worked by hand in the comments.
TEST(Metrics, HandComputed) {
    // d = (1,1,1,1,0): rho = 1 - 6*4/(5*24) = 0.8; 2 discordant of 10 pairs: tau = 0.6.
    EXPECT_NEAR(spearman({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}), 0.8, 1e-15);
    EXPECT_NEAR(kendall_tau_b({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}), 0.6, 1e-15);
    // a has one tie group of 3: ranks (4,4,4,1,2) vs (1..5); sum of products -7, sq 8 and 10:
    // rho = -7/sqrt(80). Pairs: 3 tied in a, 1 concordant, 6 discordant: tau = -5/sqrt(7*10).
    EXPECT_NEAR(spearman({3, 3, 3, 1, 2}, {1, 2, 3, 4, 5}), -7 / std::sqrt(80.0), 1e-15);
    EXPECT_NEAR(kendall_tau_b({3, 3, 3, 1, 2}, {1, 2, 3, 4, 5}), -5 / std::sqrt(70.0), 1e-15);
    // Identical tie structure, reversed order: exactly -1 for both.
    EXPECT_DOUBLE_EQ(spearman({1, 1, 2, 3}, {4, 4, 2, 1}), -1.0);
    EXPECT_DOUBLE_EQ(kendall_tau_b({1, 1, 2, 3}, {4, 4, 2, 1}), -1.0);
    // Any monotone map leaves both at +1.
    EXPECT_DOUBLE_EQ(spearman({0.1, 5, 2, 7}, {1, 1000, 8, 1e6}), 1.0);
    EXPECT_DOUBLE_EQ(kendall_tau_b({0.1, 5, 2, 7}, {1, 1000, 8, 1e6}), 1.0);
}

TEST(Metrics, UndefinedAndBadInput) {
    EXPECT_TRUE(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));  // constant input: NaN, as scipy
    EXPECT_TRUE(std::isnan(kendall_tau_b({1, 2, 3}, {5, 5, 5})));
    expect_error([] { spearman({1, 2}, {1, 2, 3}); }, {"different lengths (2 vs 3)"});
    expect_error([] { kendall_tau_b({1}, {1}); }, {"at least 2 values"});
    expect_error([] { spearman({1, NAN, 3}, {1, 2, 3}); }, {"value 1 is not finite"});
    expect_error([] { kendall_tau_b({1, 2, 3}, {1, INFINITY, 3}); }, {"not finite"});
}

TEST(Metrics, ScipyReferenceValues) {
    std::ifstream in(testing::fixture("metric_refs.json"));
    ASSERT_TRUE(in) << "missing tests/data/nas/metric_refs.json";
    nlohmann::json refs = nlohmann::json::parse(in);
    ASSERT_GE(refs["cases"].size(), 8u);
    for (const auto& c : refs["cases"]) {
        std::vector<double> a = c["a"], b = c["b"];
        const std::string name = c["name"];
        EXPECT_NEAR(spearman(a, b), c["spearman"].get<double>(), 1e-12) << name;
        EXPECT_NEAR(kendall_tau_b(a, b), c["kendall_tau_b"].get<double>(), 1e-12) << name;
    }
}

// Random data with many ties (values drawn from small integer ranges), several sizes.
TEST(Metrics, KendallMatchesQuadraticVersion) {
    Rng rng(11);
    for (int n : {2, 3, 7, 64, 500, 1500}) {
        for (int levels : {2, 5, 50, 100000}) {
            std::vector<double> a(n), b(n);
            for (int i = 0; i < n; ++i) {
                a[i] = static_cast<double>(rng.below(levels));
                b[i] = rng.uniform() < 0.5 ? a[i] : static_cast<double>(rng.below(levels));
            }
            double fast = kendall_tau_b(a, b), slow = kendall_tau_b_naive(a, b);
            if (std::isnan(slow)) {
                EXPECT_TRUE(std::isnan(fast)) << n << " " << levels;
            } else {
                EXPECT_NEAR(fast, slow, 1e-12) << "n " << n << " levels " << levels;
            }
        }
    }
}

// O(n log n): n = 15625 (all of NB201) well under 50 ms. Timed only in optimised builds
// without sanitizers, where the bound means something.
TEST(Metrics, KendallIsFastOnWholeSpace) {
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
    GTEST_SKIP() << "timing is meaningless under sanitizers / without optimisation";
#endif
    Rng rng(3);
    const int n = 15625;
    std::vector<double> a(n), b(n);
    for (int i = 0; i < n; ++i) {
        a[i] = std::round(rng.uniform(0, 100) * 10) / 10;  // ~1000 levels: ties
        b[i] = a[i] + rng.normal();
    }
    std::vector<double> ms;
    double tau = 0;
    for (int rep = 0; rep < 5; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        tau = kendall_tau_b(a, b);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    EXPECT_GT(tau, 0.9);
    EXPECT_LT(ms[2], 50.0) << "median of 5 runs, ms";
    std::printf("kendall_tau_b n=%d: median %.2f ms\n", n, ms[2]);
}

TEST(Metrics, TopKOverlap) {
    std::vector<double> pred = {5, 1, 3, 2, 4}, truth = {4, 2, 1, 3, 5};
    // Smallest 2: pred {1, 3}, truth {2, 1} -> 1 common.
    EXPECT_DOUBLE_EQ(top_k_overlap(pred, truth, 2), 0.5);
    // Largest 2: pred {0, 4}, truth {4, 0}.
    EXPECT_DOUBLE_EQ(top_k_overlap(pred, truth, 2, TopK::Largest), 1.0);
    EXPECT_DOUBLE_EQ(top_k_overlap(pred, truth, 5), 1.0);
    EXPECT_DOUBLE_EQ(top_k_overlap(pred, truth, 1), 0.0);  // pred picks 1, truth picks 2
    // Ties at the cut go to the lower index: top-2 of (1,1,1,1) is {0, 1}.
    EXPECT_DOUBLE_EQ(top_k_overlap({1, 1, 1, 1}, {0, 0, 9, 9}, 2), 1.0);
    EXPECT_DOUBLE_EQ(top_k_overlap({1, 1, 1, 1}, {9, 9, 0, 0}, 2), 0.0);
    expect_error([&] { top_k_overlap(pred, truth, 0); }, {"k = 0", "1 <= k <= n"});
    expect_error([&] { top_k_overlap(pred, truth, 6); }, {"k = 6"});
    expect_error([&] { top_k_overlap(pred, {1, 2}, 1); }, {"different lengths"});
}

}  // namespace
}  // namespace nasflat::nas
