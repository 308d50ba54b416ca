// test_farthest.cpp — `sample --more`: farthest-first picks cover what the measured archs left
// out (each planted cluster the measurements missed gets a pick before any cluster gets two),
// never repeat or return a measured arch, equal a brute-force k-center traversal, and refuse
// asking for more than is left.
#include <set>

#include "samplers/farthest.h"
#include "tests/samplers/sampler_fixtures.h"

namespace nasflat::testing {
namespace {

TEST(Farthest, NewPicksGoWhereTheMeasuredLeftAGap) {
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        const PlantedClusters pc = planted_clusters(seed, 5, {20, 20, 20, 20, 20});
        // Measured: three archs of cluster 0. The 4 other clusters must get one pick each.
        std::vector<int32_t> measured;
        for (size_t a = 0; a < pc.cluster_of.size() && measured.size() < 3; ++a)
            if (pc.cluster_of[a] == 0) measured.push_back(static_cast<int32_t>(a));
        const auto picks = samplers::sample_farthest(4, pc.pool.input(), measured);
        std::set<int> clusters;
        for (int32_t a : picks) clusters.insert(pc.cluster_of[a]);
        EXPECT_EQ(clusters, (std::set<int>{1, 2, 3, 4})) << "seed " << seed;
        for (int32_t a : picks) EXPECT_EQ(std::count(measured.begin(), measured.end(), a), 0);
    }
}

TEST(Farthest, EqualsTheBruteForceTraversal) {
    const Pool p = random_pool(7, 150, 90, 4);
    const std::vector<int32_t> measured = {p.candidates[0], p.candidates[1], 3};
    const auto picks = samplers::sample_farthest(10, p.input(), measured);
    expect_valid_sample(picks, 10, p.candidates, "farthest");
    // Brute force: recompute every distance to the chosen set at each step.
    std::vector<int32_t> chosen = measured, want;
    std::vector<int32_t> pool;
    for (int32_t a : p.candidates)
        if (std::count(measured.begin(), measured.end(), a) == 0) pool.push_back(a);
    std::sort(pool.begin(), pool.end());
    for (int k = 0; k < 10; ++k) {
        int32_t best = -1;
        double best_d = -1;
        for (int32_t a : pool) {
            if (std::count(want.begin(), want.end(), a)) continue;
            double nearest = 1e300;
            for (int32_t c : chosen) {
                double s = 0;
                for (int j = 0; j < p.dim; ++j) {
                    const double t = double(p.features[a * p.dim + j]) - p.features[c * p.dim + j];
                    s += t * t;
                }
                nearest = std::min(nearest, s);
            }
            if (nearest > best_d) {
                best_d = nearest;
                best = a;
            }
        }
        want.push_back(best);
        chosen.push_back(best);
    }
    EXPECT_EQ(picks, want);
}

TEST(Farthest, RefusesMoreThanIsLeftAndNeedsFeatures) {
    const Pool p = random_pool(3, 50, 10, 3);
    expect_error([&] { samplers::sample_farthest(9, p.input(), {p.candidates[0], p.candidates[1]}); },
                 {"only 8 candidates"}, "too many");
    samplers::SamplerInput no_features = p.input();
    no_features.features = nullptr;
    expect_error([&] { samplers::sample_farthest(1, no_features, {}); }, {"encoding"}, "features");
    // Nothing measured: still a valid, deterministic traversal.
    EXPECT_EQ(samplers::sample_farthest(5, p.input(), {}), samplers::sample_farthest(5, p.input(), {}));
}

}  // namespace
}  // namespace nasflat::testing
