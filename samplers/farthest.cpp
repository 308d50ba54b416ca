// farthest.cpp — see farthest.h. Squared Euclidean distances in double; O(count N D).
#include "samplers/farthest.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include "kernels/base/check.h"

namespace nasflat::samplers {

namespace {

double sq_distance(const float* a, const float* b, int d) {
    double s = 0;
    for (int j = 0; j < d; ++j) {
        const double t = static_cast<double>(a[j]) - b[j];
        s += t * t;
    }
    return s;
}

}  // namespace

std::vector<int32_t> sample_farthest(int count, const SamplerInput& input,
                                     const std::vector<int32_t>& measured) {
    NASFLAT_CHECK(input.features != nullptr && input.dim > 0,
                  "sample_farthest: needs an encoding");
    const std::unordered_set<int32_t> taken(measured.begin(), measured.end());
    std::vector<int32_t> pool;
    for (int32_t a : input.candidates) {
        NASFLAT_CHECK(a >= 0 && a < input.space_size, "sample_farthest: candidate ", a,
                      " outside the space");
        if (!taken.count(a)) pool.push_back(a);
    }
    std::sort(pool.begin(), pool.end());
    NASFLAT_CHECK(count >= 1 && count <= static_cast<int>(pool.size()), "sample: ", count,
                  " more architectures asked, but only ", pool.size(),
                  " candidates are not measured yet");
    const int d = input.dim;
    auto row = [&](int32_t a) { return input.features + static_cast<int64_t>(a) * d; };
    // nearest[k]: squared distance of pool[k] to the nearest measured-or-picked arch.
    std::vector<double> nearest(pool.size(), std::numeric_limits<double>::infinity());
    for (int32_t m : measured) {
        NASFLAT_CHECK(m >= 0 && m < input.space_size, "sample_farthest: measured arch ", m,
                      " outside the space");
        for (size_t k = 0; k < pool.size(); ++k)
            nearest[k] = std::min(nearest[k], sq_distance(row(pool[k]), row(m), d));
    }
    if (measured.empty()) {  // start from the candidates' mean
        std::vector<float> mean(d, 0.0f);
        for (int32_t a : pool)
            for (int j = 0; j < d; ++j) mean[j] += row(a)[j] / static_cast<float>(pool.size());
        for (size_t k = 0; k < pool.size(); ++k) nearest[k] = sq_distance(row(pool[k]), mean.data(), d);
    }
    std::vector<int32_t> out;
    std::vector<bool> used(pool.size(), false);
    for (int c = 0; c < count; ++c) {
        size_t best = pool.size();
        for (size_t k = 0; k < pool.size(); ++k) {
            if (!used[k] && (best == pool.size() || nearest[k] > nearest[best])) best = k;
        }
        used[best] = true;
        out.push_back(pool[best]);
        for (size_t k = 0; k < pool.size(); ++k)
            nearest[k] = std::min(nearest[k], sq_distance(row(pool[k]), row(pool[best]), d));
    }
    return out;
}

}  // namespace nasflat::samplers
