// rng.h — the project's one source of randomness.
// Rng: a seeded SplitMix64 stream for host-side choices (init, shuffles, pair sampling, samplers).
// hash_uniform(seed, i): a counter-based uniform in [0,1) used by kernels (dropout) so that the
// CPU and CUDA paths draw identical masks without sharing any state.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/base/host_device.h"

namespace nasflat {

// SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
NASFLAT_HD uint64_t mix64(uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Uniform float in [0,1) from (seed, index): 24 random mantissa bits.
NASFLAT_HD float hash_uniform(uint64_t seed, uint64_t index) {
    uint64_t h = mix64(seed ^ mix64(index));
    return static_cast<float>(h >> 40) * (1.0f / 16777216.0f);
}

// Deterministic host RNG. Same seed -> same stream on every platform (no std:: distributions,
// whose output differs between standard libraries).
class Rng {
  public:
    explicit Rng(uint64_t seed = 0) : state_(seed) {}

    uint64_t next_u64() {
        state_ += 0x9E3779B97F4A7C15ULL;
        uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform double in [0,1).
    double uniform() { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
    // Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n); n > 0. Rejection sampling keeps it unbiased.
    uint64_t below(uint64_t n) {
        uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        uint64_t x;
        do {
            x = next_u64();
        } while (x >= limit);
        return x % n;
    }
    // Standard normal (Box-Muller, one value per call; the second is discarded for simplicity).
    double normal() {
        double u1 = uniform();
        double u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    // A fresh seed for a child stream (e.g. one per trial), independent of later draws here.
    uint64_t fork() { return mix64(next_u64()); }

    // Fisher-Yates shuffle.
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (size_t i = v.size(); i > 1; --i) {
            size_t j = static_cast<size_t>(below(i));
            std::swap(v[i - 1], v[j]);
        }
    }
    // k distinct values from [0, n) in random order (partial Fisher-Yates).
    std::vector<int> sample_without_replacement(int n, int k);

  private:
    uint64_t state_;
};

inline std::vector<int> Rng::sample_without_replacement(int n, int k) {
    std::vector<int> pool(n);
    for (int i = 0; i < n; ++i) pool[i] = i;
    if (k > n) k = n;
    for (int i = 0; i < k; ++i) {
        int j = i + static_cast<int>(below(static_cast<uint64_t>(n - i)));
        std::swap(pool[i], pool[j]);
    }
    pool.resize(k);
    return pool;
}

}  // namespace nasflat
