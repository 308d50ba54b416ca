// test_kmeans.cpp — k-means: planted clusters are found (and the KMeans sampler picks one arch
// from each), restarts never lose to a single k-means++ init, the fast Lloyd equals the plain
// reference bit for bit, empty clusters are re-seeded, and degenerate data still works.
// Dims: N points, D dim, K clusters.
#include <cmath>
#include <map>
#include <set>

#include "samplers/kmeans.h"
#include "samplers/kmeans_math.h"
#include "tests/samplers/sampler_fixtures.h"

namespace nasflat::testing {
namespace {

using samplers::KMeansOptions;
using samplers::KMeansResult;
using samplers::Method;

std::vector<float> normal_points(Rng& rng, int64_t n, int d) {
    std::vector<float> x(static_cast<size_t>(n) * d);
    for (auto& v : x) v = static_cast<float>(rng.normal());
    return x;
}

TEST(KMeans, FindsThreePlantedClusters) {
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        const PlantedClusters pc = planted_clusters(seed);
        const int64_t n = static_cast<int64_t>(pc.cluster_of.size());
        Rng rng(seed);
        const KMeansResult r = samplers::kmeans(pc.pool.features.data(), n, pc.pool.dim, 3, rng);
        // Same partition up to renaming: each planted cluster maps to exactly one label.
        std::map<int, std::set<int>> labels_of_cluster;
        for (int64_t i = 0; i < n; ++i) labels_of_cluster[pc.cluster_of[i]].insert(r.labels[i]);
        std::set<int> used;
        for (const auto& [cluster, labels] : labels_of_cluster) {
            EXPECT_EQ(labels.size(), 1u)
                << "seed " << seed << ": planted cluster " << cluster << " split";
            used.insert(*labels.begin());
        }
        EXPECT_EQ(used.size(), 3u) << "seed " << seed << ": two planted clusters merged";
    }
}

TEST(KMeans, SamplerPicksOneArchPerPlantedCluster) {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
        const PlantedClusters pc = planted_clusters(seed, 3, {40, 7, 25});
        Rng rng(seed * 31);
        const auto picks = samplers::sample(Method::KMeans, 3, pc.pool.input(), rng);
        std::set<int> clusters;
        for (int32_t a : picks) clusters.insert(pc.cluster_of[a]);
        EXPECT_EQ(clusters.size(), 3u) << "seed " << seed;
    }
}

TEST(KMeans, RestartsAreNeverWorseThanTheFirstInit) {
    // With the same Rng state the first of ten restarts is exactly the single-init run, so the
    // kept best can only be lower or equal.
    Rng data_rng(4);
    const std::vector<float> x = normal_points(data_rng, 400, 6);
    int strictly_better = 0;
    for (uint64_t seed = 1; seed <= 8; ++seed) {
        Rng one_rng(seed), ten_rng(seed);
        KMeansOptions one;
        one.n_init = 1;
        const double single = samplers::kmeans(x.data(), 400, 6, 8, one_rng, one).inertia;
        const double best = samplers::kmeans(x.data(), 400, 6, 8, ten_rng).inertia;
        EXPECT_LE(best, single) << "seed " << seed;
        strictly_better += best < single;
    }
    EXPECT_GE(strictly_better, 1) << "ten restarts never helped: are they all the same?";
}

TEST(KMeans, FastLloydEqualsReferenceBitForBit) {
    // N = 517 is not a multiple of the SIMD width: the padded tail block is exercised too.
    for (int d : {1, 3, 13, 17, 77}) {
        for (int k : {1, 2, 5, 20}) {
            Rng rng(static_cast<uint64_t>(d * 100 + k));
            const std::vector<float> x = normal_points(rng, 517, d);
            const std::vector<float> init = samplers::kmeans_plusplus(x.data(), 517, d, k, rng);
            const double tol = samplers::kmeans_tolerance(x.data(), 517, d, 1e-4);
            const KMeansResult fast = samplers::kmeans_lloyd(x.data(), 517, d, init, k, 300, tol);
            const KMeansResult ref =
                samplers::kmeans_lloyd_reference(x.data(), 517, d, init, k, 300, tol);
            const std::string label = "d " + std::to_string(d) + " k " + std::to_string(k);
            EXPECT_EQ(fast.labels, ref.labels) << label;
            EXPECT_EQ(fast.centres, ref.centres) << label;
            EXPECT_EQ(fast.iterations, ref.iterations) << label;
            EXPECT_EQ(fast.inertia, ref.inertia) << label;
        }
    }
}

TEST(KMeans, BulkDistancesMatchTheDefinitionExactly) {
    // The rounding contract of kmeans_math.h that the bit-for-bit test above relies on.
    Rng rng(3);
    for (int d : {1, 8, 13, 77}) {
        const int64_t n = 37;
        const std::vector<float> x = normal_points(rng, n, d);
        const std::vector<float> q = normal_points(rng, 6, d);
        const auto pts = samplers::detail::make_point_table(x.data(), n, d);
        std::vector<float> out(6 * pts.n_pad);
        samplers::detail::sq_dists_bulk(pts, q.data(), 6, out.data());
        for (int t = 0; t < 6; ++t)
            for (int64_t i = 0; i < n; ++i)
                ASSERT_EQ(out[t * pts.n_pad + i],
                          samplers::detail::sq_dist(&x[i * d], &q[t * d], d))
                    << "d " << d << " query " << t << " point " << i;
    }
}

TEST(KMeans, EmptyClusterIsReseededFromTheFarthestPoint) {
    // 1-d points; the centre at 100 attracts nobody, so the M-step moves it onto the point
    // farthest from its own centre: 3 (centre 0 serves {0,1,2,3}; 3 is 3 away).
    const std::vector<float> x = {0, 1, 2, 3, 10, 11, 12};
    const std::vector<float> init = {0, 100, 11};
    for (bool fast : {true, false}) {
        const KMeansResult r =
            fast ? samplers::kmeans_lloyd(x.data(), 7, 1, init, 3, 1, 0.0)
                 : samplers::kmeans_lloyd_reference(x.data(), 7, 1, init, 3, 1, 0.0);
        EXPECT_EQ(r.iterations, 1);
        EXPECT_FLOAT_EQ(r.centres[1], 3.0f) << (fast ? "fast" : "reference");
        EXPECT_FLOAT_EQ(r.centres[0], 1.0f) << "centre 0 loses point 3: mean of {0,1,2}";
        const std::set<int32_t> used(r.labels.begin(), r.labels.end());
        EXPECT_EQ(used.size(), 3u) << "no cluster may stay empty on distinct data";
    }
}

TEST(KMeans, FewerDistinctPointsThanClusters) {
    // 12 points with only two distinct rows and K = 5: clusters must stay empty, not loop or
    // crash; the sampler still returns 5 distinct archs (the shortfall drawn at random).
    std::vector<float> x;
    for (int i = 0; i < 12; ++i) x.insert(x.end(), {i % 2 ? 1.0f : -1.0f, 0.5f});
    Rng rng(1);
    const KMeansResult r = samplers::kmeans(x.data(), 12, 2, 5, rng);
    EXPECT_EQ(r.inertia, 0.0);
    Pool pool;
    pool.features = x;
    pool.dim = 2;
    pool.scalar.assign(12, 0.0);
    for (int i = 0; i < 12; ++i) pool.candidates.push_back(i);
    for (Method m : {Method::KMeans, Method::KMeansCosine}) {
        Rng srng(2);
        expect_valid_sample(samplers::sample(m, 5, pool.input(), srng), 5, pool.candidates,
                            samplers::method_name(m));
    }
    // All rows identical.
    std::fill(pool.features.begin(), pool.features.end(), 3.0f);
    Rng srng(3);
    expect_valid_sample(samplers::sample(Method::KMeans, 12, pool.input(), srng), 12,
                        pool.candidates, "identical rows");
}

TEST(KMeansPlusPlus, CentresAreDistinctDataRows) {
    Rng rng(6);
    const std::vector<float> x = normal_points(rng, 50, 4);
    for (int k : {1, 7, 50}) {
        const std::vector<float> c = samplers::kmeans_plusplus(x.data(), 50, 4, k, rng);
        std::set<int> rows;
        for (int m = 0; m < k; ++m)
            for (int i = 0; i < 50; ++i)
                if (std::equal(&c[m * 4], &c[m * 4] + 4, &x[i * 4])) rows.insert(i);
        EXPECT_EQ(static_cast<int>(rows.size()), k)
            << "k " << k << ": a repeated or foreign centre";
    }
    EXPECT_THROW(samplers::kmeans_plusplus(x.data(), 50, 4, 51, rng), Error);
    EXPECT_THROW(samplers::kmeans_plusplus(x.data(), 50, 4, 0, rng), Error);
}

TEST(KMeans, ToleranceIsRelativeToMeanVariance) {
    // Feature 0: {0, 2} -> variance 1; feature 1: {5, 5} -> 0. Mean variance 0.5.
    const std::vector<float> x = {0, 5, 2, 5};
    EXPECT_DOUBLE_EQ(samplers::kmeans_tolerance(x.data(), 2, 2, 1e-4), 0.5e-4);
}

TEST(KMeans, OptionsAreRespectedAndChecked) {
    Rng rng(2);
    const std::vector<float> x = normal_points(rng, 200, 3);
    KMeansOptions opt;
    opt.max_iter = 2;
    EXPECT_LE(samplers::kmeans(x.data(), 200, 3, 6, rng, opt).iterations, 2);
    opt.n_init = 0;
    EXPECT_THROW(samplers::kmeans(x.data(), 200, 3, 6, rng, opt), Error);
    EXPECT_THROW(samplers::kmeans(x.data(), 200, 3, 201, rng), Error);
    EXPECT_THROW(samplers::kmeans_lloyd(x.data(), 200, 3, {1.0f, 2.0f}, 1, 10, 0.0), Error);
}

}  // namespace
}  // namespace nasflat::testing
