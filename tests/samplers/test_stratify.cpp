// test_stratify.cpp — numpy.array_split buckets and the Params / Latency samplers: exactly one
// pick per bucket of the scalar-sorted candidates, ties by arch index, every member reachable.
#include <cmath>
#include <map>
#include <numeric>

#include "samplers/stratify.h"
#include "tests/samplers/sampler_fixtures.h"

namespace nasflat::testing {
namespace {

using samplers::Method;

// numpy.array_split written out independently: section sizes
// [n // count + 1] * (n % count) + [n // count] * (count - n % count).
std::vector<std::vector<int32_t>> numpy_array_split(const std::vector<int32_t>& v, int count) {
    const size_t each = v.size() / count, extras = v.size() % count;
    std::vector<std::vector<int32_t>> out;
    size_t at = 0;
    for (int b = 0; b < count; ++b) {
        const size_t size = each + (static_cast<size_t>(b) < extras ? 1 : 0);
        out.emplace_back(v.begin() + at, v.begin() + at + size);
        at += size;
    }
    return out;
}

// Candidates sorted by (scalar, arch index): what the stratified samplers must bucket.
std::vector<int32_t> sorted_by_scalar(const Pool& pool) {
    std::vector<int32_t> v = pool.candidates;
    std::sort(v.begin(), v.end(), [&](int32_t a, int32_t b) {
        return pool.scalar[a] != pool.scalar[b] ? pool.scalar[a] < pool.scalar[b] : a < b;
    });
    return v;
}

void expect_one_per_bucket(const std::vector<int32_t>& picks,
                           const std::vector<std::vector<int32_t>>& buckets,
                           const std::string& label) {
    ASSERT_EQ(picks.size(), buckets.size()) << label;
    for (size_t b = 0; b < buckets.size(); ++b) {
        int hits = 0;
        for (int32_t a : picks) hits += std::count(buckets[b].begin(), buckets[b].end(), a);
        EXPECT_EQ(hits, 1) << label << ": bucket " << b << " of " << buckets.size();
    }
}

TEST(ArraySplit, MatchesNumpy) {
    EXPECT_EQ(samplers::array_split_offsets(10, 3), (std::vector<int64_t>{0, 4, 7, 10}));
    EXPECT_EQ(samplers::array_split_offsets(5, 1), (std::vector<int64_t>{0, 5}));
    EXPECT_EQ(samplers::array_split_offsets(4, 4), (std::vector<int64_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(samplers::array_split_offsets(15625, 20).back(), 15625);
    for (int n = 1; n <= 40; ++n) {
        std::vector<int32_t> v(n);
        std::iota(v.begin(), v.end(), 0);
        for (int count = 1; count <= n; ++count) {
            const auto offsets = samplers::array_split_offsets(n, count);
            const auto buckets = numpy_array_split(v, count);
            for (int b = 0; b < count; ++b) {
                ASSERT_EQ(offsets[b + 1] - offsets[b], static_cast<int64_t>(buckets[b].size()))
                    << "n " << n << " count " << count << " bucket " << b;
                ASSERT_EQ(offsets[b], buckets[b].front()) << "n " << n << " count " << count;
            }
        }
    }
    EXPECT_THROW(samplers::array_split_offsets(3, 4), Error);
    EXPECT_THROW(samplers::array_split_offsets(3, 0), Error);
}

class ByScalar : public ::testing::TestWithParam<Method> {};

TEST_P(ByScalar, ExactlyOnePickPerBucket) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        const Pool pool = random_pool(100 + seed, 300, 97);
        const std::vector<int32_t> sorted = sorted_by_scalar(pool);
        for (int count : {1, 2, 5, 10, 20, 96, 97}) {
            Rng rng(seed);
            const auto picks = samplers::sample(GetParam(), count, pool.input(), rng);
            expect_one_per_bucket(
                picks, numpy_array_split(sorted, count),
                std::string(samplers::method_name(GetParam())) + " count " + std::to_string(count));
        }
    }
}

TEST_P(ByScalar, TiesAreBrokenByArchIndex) {
    Pool pool = random_pool(7, 60, 30);
    for (auto& v : pool.scalar) v = std::floor(v / 25.0);  // four distinct values, many ties
    std::vector<int32_t> sorted = sorted_by_scalar(pool);
    Rng rng(2);
    const auto picks = samplers::sample(GetParam(), 6, pool.input(), rng);
    expect_one_per_bucket(picks, numpy_array_split(sorted, 6), "ties");
}

TEST_P(ByScalar, EveryBucketMemberIsReachable) {
    const Pool pool = random_pool(8, 30, 10);
    const auto buckets = numpy_array_split(sorted_by_scalar(pool), 2);  // 5 + 5
    std::map<int32_t, int> seen;
    for (uint64_t seed = 0; seed < 300; ++seed) {
        Rng rng(seed);
        for (int32_t a : samplers::sample(GetParam(), 2, pool.input(), rng)) ++seen[a];
    }
    for (const auto& bucket : buckets)
        for (int32_t a : bucket) EXPECT_GT(seen[a], 30) << "arch " << a << " picked too rarely";
}

INSTANTIATE_TEST_SUITE_P(Samplers, ByScalar, ::testing::Values(Method::Params, Method::Latency),
                         [](const auto& info) { return samplers::method_name(info.param); });

TEST(SortByKey, StableAndChecked) {
    EXPECT_EQ(samplers::sort_by_key({4, 1, 9, 2}, {1.0, 0.5, 1.0, -3.0}),
              (std::vector<int32_t>{2, 1, 4, 9}));
    EXPECT_THROW(samplers::sort_by_key({1, 2}, {1.0}), Error);
}

}  // namespace
}  // namespace nasflat::testing
