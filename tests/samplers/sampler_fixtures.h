// sampler_fixtures.h — small synthetic pools for the samplers suite (no data files): a random
// space with features and a scalar, planted clusters, and result checks shared by the tests.
// Dims: S space size, D feature dim, N candidates.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "kernels/base/check.h"
#include "kernels/base/rng.h"
#include "samplers/samplers.h"

namespace nasflat::testing {

// A space of S archs with (S, D) normal features, a uniform scalar per arch, and N candidates
// drawn at random (in random order, so no test relies on sorted candidates).
struct Pool {
    std::vector<float> features;  // (S, D)
    std::vector<double> scalar;   // (S)
    std::vector<int32_t> candidates;
    int dim = 0;

    // The input that points into this pool; keep the Pool alive while it is used.
    samplers::SamplerInput input() const {
        samplers::SamplerInput in;
        in.candidates = candidates;
        in.features = features.data();
        in.dim = dim;
        in.space_size = static_cast<int64_t>(scalar.size());
        in.scalar = &scalar;
        return in;
    }
};

inline Pool random_pool(uint64_t seed, int space_size = 200, int num_candidates = 120,
                        int dim = 5) {
    Rng rng(seed);
    Pool p;
    p.dim = dim;
    p.features.resize(static_cast<size_t>(space_size) * dim);
    for (auto& v : p.features) v = static_cast<float>(rng.normal());
    p.scalar.resize(space_size);
    for (auto& v : p.scalar) v = rng.uniform(0.0, 100.0);
    for (int pos : rng.sample_without_replacement(space_size, num_candidates))
        p.candidates.push_back(pos);
    return p;
}

// Three well-separated Gaussian blobs (centres 100 apart, unit spread) of unequal sizes in D
// dims; cluster_of[arch] says which blob an arch came from. Every arch is a candidate.
struct PlantedClusters {
    Pool pool;
    std::vector<int> cluster_of;
};

inline PlantedClusters planted_clusters(uint64_t seed, int dim = 4,
                                        std::vector<int> sizes = {30, 50, 20}) {
    Rng rng(seed);
    PlantedClusters pc;
    pc.pool.dim = dim;
    int arch = 0;
    for (size_t c = 0; c < sizes.size(); ++c) {
        for (int m = 0; m < sizes[c]; ++m, ++arch) {
            for (int j = 0; j < dim; ++j) {
                const double centre = (j == static_cast<int>(c % dim) ? 100.0 : 0.0) +
                                      (c >= static_cast<size_t>(dim) ? -100.0 : 0.0);
                pc.pool.features.push_back(static_cast<float>(centre + rng.normal()));
            }
            pc.cluster_of.push_back(static_cast<int>(c));
            pc.pool.scalar.push_back(0.0);
            pc.pool.candidates.push_back(arch);
        }
    }
    rng.shuffle(pc.pool.candidates);
    return pc;
}

// The contract every method keeps: `count` results, distinct, all from the candidates.
inline void expect_valid_sample(const std::vector<int32_t>& picks, int count,
                                const std::vector<int32_t>& candidates, const std::string& label) {
    EXPECT_EQ(static_cast<int>(picks.size()), count) << label;
    std::set<int32_t> unique(picks.begin(), picks.end());
    EXPECT_EQ(unique.size(), picks.size()) << label << ": duplicate arch in the result";
    std::set<int32_t> allowed(candidates.begin(), candidates.end());
    for (int32_t a : picks)
        EXPECT_TRUE(allowed.count(a)) << label << ": arch " << a << " is not a candidate";
}

// EXPECTs that `f` throws nasflat::Error whose message contains every one of `parts`.
template <typename F>
void expect_error(F&& f, const std::vector<std::string>& parts, const std::string& label) {
    try {
        f();
        ADD_FAILURE() << label << ": no error thrown";
    } catch (const Error& e) {
        const std::string msg = e.what();
        for (const auto& part : parts)
            EXPECT_NE(msg.find(part), std::string::npos)
                << label << ": message lacks '" << part << "': " << msg;
    }
}

}  // namespace nasflat::testing
