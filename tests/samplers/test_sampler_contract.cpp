// test_sampler_contract.cpp — what every sampling method promises, run for all seven: count
// respected, distinct, only candidates, deterministic per seed, order-independent, and loud
// errors for bad input. Plus the method names.
#include <cmath>
#include <numeric>

#include "tests/samplers/sampler_fixtures.h"

namespace nasflat::testing {
namespace {

using samplers::Method;

class EveryMethod : public ::testing::TestWithParam<Method> {
  protected:
    std::string name() const { return samplers::method_name(GetParam()); }
};

TEST_P(EveryMethod, ReturnsCountDistinctCandidates) {
    const Pool pool = random_pool(11);
    const int n = static_cast<int>(pool.candidates.size());
    for (int count : {1, 2, 3, 7, 30, n - 1, n}) {
        Rng rng(5);
        auto picks = samplers::sample(GetParam(), count, pool.input(), rng);
        expect_valid_sample(picks, count, pool.candidates,
                            name() + " count " + std::to_string(count));
    }
}

TEST_P(EveryMethod, AllCandidatesWhenCountIsN) {
    const Pool pool = random_pool(12, 40, 25, 3);
    Rng rng(9);
    auto picks = samplers::sample(GetParam(), 25, pool.input(), rng);
    std::sort(picks.begin(), picks.end());
    std::vector<int32_t> all = pool.candidates;
    std::sort(all.begin(), all.end());
    EXPECT_EQ(picks, all) << name();
}

TEST_P(EveryMethod, SameSeedSameResultOtherSeedsDiffer) {
    const Pool pool = random_pool(13);
    Rng a(42), b(42);
    const auto first = samplers::sample(GetParam(), 7, pool.input(), a);
    EXPECT_EQ(first, samplers::sample(GetParam(), 7, pool.input(), b)) << name();
    int differing = 0;
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        Rng other(seed);
        differing += samplers::sample(GetParam(), 7, pool.input(), other) != first;
    }
    EXPECT_GE(differing, 4) << name() << ": the seed barely matters";
}

TEST_P(EveryMethod, CandidateOrderDoesNotMatter) {
    const Pool pool = random_pool(14);
    samplers::SamplerInput shuffled = pool.input();
    Rng shuffler(3);
    shuffler.shuffle(shuffled.candidates);
    Rng a(8), b(8);
    EXPECT_EQ(samplers::sample(GetParam(), 9, pool.input(), a),
              samplers::sample(GetParam(), 9, shuffled, b))
        << name();
}

TEST_P(EveryMethod, CountOutOfRangeIsAnError) {
    const Pool pool = random_pool(15, 50, 10, 3);
    for (int count : {0, -1, 11}) {
        Rng rng(1);
        expect_error([&] { samplers::sample(GetParam(), count, pool.input(), rng); },
                     {name(), std::to_string(count), "10 candidates"}, name());
    }
    samplers::SamplerInput empty = pool.input();
    empty.candidates.clear();
    Rng rng(1);
    expect_error([&] { samplers::sample(GetParam(), 1, empty, rng); }, {name(), "0 candidates"},
                 name() + " empty");
}

TEST_P(EveryMethod, BadCandidatesAreErrors) {
    const Pool pool = random_pool(16, 50, 10, 3);
    Rng rng(1);
    samplers::SamplerInput twice = pool.input();
    twice.candidates.push_back(twice.candidates[3]);
    expect_error([&] { samplers::sample(GetParam(), 2, twice, rng); },
                 {name(), "appears twice", std::to_string(pool.candidates[3])}, name());
    for (int32_t bad : {-1, 50}) {
        samplers::SamplerInput outside = pool.input();
        outside.candidates.push_back(bad);
        expect_error([&] { samplers::sample(GetParam(), 2, outside, rng); },
                     {name(), "outside the space", std::to_string(bad)}, name());
    }
}

TEST_P(EveryMethod, MissingOrBadFeaturesAndScalar) {
    const Pool pool = random_pool(17, 50, 10, 3);
    Rng rng(1);
    samplers::SamplerInput no_features = pool.input();
    no_features.features = nullptr;
    samplers::SamplerInput no_scalar = pool.input();
    no_scalar.scalar = nullptr;
    if (samplers::needs_features(GetParam())) {
        expect_error([&] { samplers::sample(GetParam(), 2, no_features, rng); },
                     {name(), "needs an encoding", "SamplerInput.features"}, name());
        Pool nan_pool = pool;
        nan_pool.features[static_cast<size_t>(pool.candidates[4]) * pool.dim + 1] = NAN;
        expect_error([&] { samplers::sample(GetParam(), 2, nan_pool.input(), rng); },
                     {name(), "not finite", std::to_string(pool.candidates[4])}, name());
    } else {
        EXPECT_NO_THROW(samplers::sample(GetParam(), 2, no_features, rng)) << name();
    }
    if (samplers::needs_scalar(GetParam())) {
        expect_error([&] { samplers::sample(GetParam(), 2, no_scalar, rng); },
                     {name(), "needs SamplerInput.scalar"}, name());
        Pool nan_pool = pool;
        nan_pool.scalar[pool.candidates[2]] = NAN;
        expect_error([&] { samplers::sample(GetParam(), 2, nan_pool.input(), rng); },
                     {name(), "NaN = unknown", std::to_string(pool.candidates[2])}, name());
        std::vector<double> short_scalar(3, 1.0);
        samplers::SamplerInput too_short = pool.input();
        too_short.scalar = &short_scalar;
        expect_error([&] { samplers::sample(GetParam(), 2, too_short, rng); },
                     {name(), "scalar has 3 values"}, name());
    } else {
        EXPECT_NO_THROW(samplers::sample(GetParam(), 2, no_scalar, rng)) << name();
    }
}

TEST_P(EveryMethod, UnknownValueOutsideTheCandidatesIsFine) {
    Pool pool = random_pool(18, 50, 10, 3);
    std::vector<bool> is_candidate(50, false);
    for (int32_t a : pool.candidates) is_candidate[a] = true;
    for (int a = 0; a < 50; ++a) {
        if (is_candidate[a]) continue;
        pool.scalar[a] = NAN;
        for (int j = 0; j < pool.dim; ++j) pool.features[a * pool.dim + j] = NAN;
    }
    Rng rng(1);
    expect_valid_sample(samplers::sample(GetParam(), 4, pool.input(), rng), 4, pool.candidates,
                        name());
}

INSTANTIATE_TEST_SUITE_P(Samplers, EveryMethod, ::testing::ValuesIn(samplers::all_methods()),
                         [](const auto& info) {
                             std::string s = samplers::method_name(info.param);
                             s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
                             return s;
                         });

TEST(MethodNames, RoundTripAndFlags) {
    const std::vector<std::string> names = {"random", "params",        "latency",    "kmeans",
                                            "cosine", "cosine_greedy", "kmeancosine"};
    ASSERT_EQ(samplers::all_methods().size(), names.size());
    for (const auto& text : names) {
        const Method m = samplers::parse_method(text);
        EXPECT_EQ(samplers::method_name(m), text);
        const bool scalar = text == "params" || text == "latency";
        EXPECT_EQ(samplers::needs_scalar(m), scalar) << text;
        EXPECT_EQ(samplers::needs_features(m), !scalar && text != "random") << text;
    }
}

TEST(MethodNames, UnknownNameListsTheValidOnes) {
    std::vector<std::string> parts = {"unknown sampling method 'k-means'",
                                      "random",
                                      "params",
                                      "latency",
                                      "kmeans",
                                      "cosine_greedy",
                                      "kmeancosine"};
    expect_error([] { samplers::parse_method("k-means"); }, parts, "parse_method");
    expect_error([] { samplers::parse_method("KMeans"); }, {"'KMeans'"}, "case matters");
}

}  // namespace
}  // namespace nasflat::testing
