// test_cosine.cpp — cosine samplers: the O(N D) mean-similarity score equals the O(N^2 D)
// definition (zero rows included), planted outliers fill the first bucket, the greedy chain
// follows "least similar to the last pick" without ever repeating, and KMeansCosine composes
// its two halves without duplicates (count == 1 included).
// Dims: N points, D dim.
#include <cmath>
#include <set>

#include "samplers/cosine.h"
#include "samplers/stratify.h"
#include "tests/samplers/sampler_fixtures.h"

namespace nasflat::testing {
namespace {

using samplers::Method;

double cosine(const float* a, const float* b, int d) {
    double dot = 0, na = 0, nb = 0;
    for (int j = 0; j < d; ++j) {
        dot += static_cast<double>(a[j]) * b[j];
        na += static_cast<double>(a[j]) * a[j];
        nb += static_cast<double>(b[j]) * b[j];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

// 40 "typical" archs pointing roughly along (1, 1, 0, 0, 0, 0) and 4 planted outliers along
// other axes; the outliers are archs 10, 21, 32, 43.
Pool typical_plus_outliers(uint64_t seed) {
    Rng rng(seed);
    Pool pool;
    pool.dim = 6;
    for (int a = 0; a < 44; ++a) {
        const bool outlier = a % 11 == 10;
        for (int j = 0; j < 6; ++j) {
            double v = 0.05 * rng.normal();
            if (!outlier && j < 2) v += 1.0;
            if (outlier && j == 2 + a / 11) v += 1.0;
            pool.features.push_back(static_cast<float>(v));
        }
        pool.scalar.push_back(0.0);
        pool.candidates.push_back(a);
    }
    return pool;
}
const std::set<int32_t> kOutliers = {10, 21, 32, 43};

TEST(CosineScores, MatchTheQuadraticDefinition) {
    Rng rng(5);
    for (int d : {1, 4, 13}) {
        std::vector<float> x(60 * d);
        for (auto& v : x) v = static_cast<float>(rng.normal());
        std::fill(&x[7 * d], &x[8 * d], 0.0f);  // a zero row
        const auto fast = samplers::mean_cosine_scores(x.data(), 60, d);
        const auto ref = samplers::mean_cosine_scores_reference(x.data(), 60, d);
        for (int i = 0; i < 60; ++i)
            EXPECT_NEAR(fast[i], ref[i], 1e-12) << "d " << d << " row " << i;
        EXPECT_EQ(fast[7], 0.0) << "a zero row is similar to nothing";
        double by_hand = 0;
        for (int k = 0; k < 60; ++k) by_hand += cosine(&x[3 * d], &x[k * d], d);
        EXPECT_NEAR(fast[3], by_hand / 60, 1e-12);
    }
}

TEST(CosineSampler, PlantedOutliersFillTheFirstBucket) {
    const Pool pool = typical_plus_outliers(1);
    const auto scores = samplers::mean_cosine_scores(pool.features.data(), 44, 6);
    const auto order = samplers::sort_by_key(pool.candidates, scores);
    EXPECT_EQ(std::set<int32_t>(order.begin(), order.begin() + 4), kOutliers);
    // 44 candidates in 11 buckets of 4: the first bucket is exactly the outliers, so exactly one
    // pick is an outlier, and it comes first (results are in bucket order).
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        Rng rng(seed);
        const auto picks = samplers::sample(Method::Cosine, 11, pool.input(), rng);
        EXPECT_TRUE(kOutliers.count(picks[0])) << "seed " << seed;
        int outliers = 0;
        for (int32_t a : picks) outliers += static_cast<int>(kOutliers.count(a));
        EXPECT_EQ(outliers, 1) << "seed " << seed;
    }
}

TEST(CosineGreedy, ChainsLeastSimilarToTheLastPickWithoutRepeats) {
    // A and -A are each other's least similar rows: the authors' chain bounced A, -A, A, ...
    Rng rng(2);
    std::vector<float> x = {1, 0, -1, 0};
    for (int i = 0; i < 10; ++i) {
        x.push_back(static_cast<float>(rng.normal()));
        x.push_back(static_cast<float>(rng.normal()));
    }
    const int64_t n = 12;
    for (uint64_t seed = 0; seed < 6; ++seed) {
        Rng pick_rng(seed);
        const auto chain = samplers::cosine_greedy_positions(x.data(), n, 2, 12, pick_rng);
        EXPECT_EQ(std::set<int64_t>(chain.begin(), chain.end()).size(), 12u) << "a repeat";
        std::set<int64_t> taken = {chain[0]};
        for (size_t s = 1; s < chain.size(); ++s) {
            for (int64_t i = 0; i < n; ++i) {
                if (taken.count(i)) continue;
                EXPECT_LE(cosine(&x[chain[s] * 2], &x[chain[s - 1] * 2], 2),
                          cosine(&x[i * 2], &x[chain[s - 1] * 2], 2) + 1e-6)
                    << "step " << s << ": row " << i << " was less similar to the last pick";
            }
            taken.insert(chain[s]);
        }
    }
}

TEST(KMeansCosine, KMeansHalfThenCosineHalfWithoutDuplicates) {
    const PlantedClusters pc = planted_clusters(3, 4, {30, 30, 30, 30, 30});
    for (int count : {1, 2, 5, 10, 149, 150}) {
        Rng a(7), b(7);
        const auto picks = samplers::sample(Method::KMeansCosine, count, pc.pool.input(), a);
        expect_valid_sample(picks, count, pc.pool.candidates, "count " + std::to_string(count));
        if (count / 2 > 0) {  // the prefix is exactly the KMeans sampler's answer
            const auto km = samplers::sample(Method::KMeans, count / 2, pc.pool.input(), b);
            EXPECT_TRUE(std::equal(km.begin(), km.end(), picks.begin())) << "count " << count;
        }
    }
}

TEST(KMeansCosine, CountOneIsOneCosinePick) {
    const Pool pool = typical_plus_outliers(4);
    Rng a(9), b(9);
    EXPECT_EQ(samplers::sample(Method::KMeansCosine, 1, pool.input(), a),
              samplers::sample(Method::Cosine, 1, pool.input(), b));
}

}  // namespace
}  // namespace nasflat::testing
