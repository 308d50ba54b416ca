// kmeans_math.h — internal to samplers/: distance primitives, the two-layout point table and
// the M-step shared by kmeans.cpp and kmeans_lloyd.cpp.
// Dims: N points, D dim, K centres, T queries (centres or k-means++ candidates); row-major.
//
// Rounding contract: sq_dist and sq_dists_bulk both sum (x_j - q_j)^2 over j = 0..D-1 in order
// in float, one lane per (point, query) pair, and every term is fused explicitly or not at all
// (add_square, add_square_vec; samplers/ builds with -ffp-contract=off, so the compiler never
// fuses on its own), so they return bit-identical values at every x86-64 level. Hence the
// reference and the fast Lloyd see the same distances and must produce the same labels.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "samplers/kmeans.h"

namespace nasflat::samplers::detail {

// One term s + t^2, rounded exactly as the SIMD kernel's add_square_vec: one rounding (fma) where
// the target has FMA, two (multiply, then add) where it has not. Left to the compiler, fusing
// depends on its tuning: GCC's znver2/znver3 tuning (avoid-fma-max-bits=256) declines to fuse
// 256-bit loop-carried `a += u * u`, so an AVX2 Zen build once broke the bit-for-bit tests.
inline float add_square(float s, float t) {
#if defined(__FMA__)
    return std::fma(t, t, s);
#else
    return s + t * t;
#endif
}

// The definition: a sequential float sum over j, no tricks.
inline float sq_dist(const float* a, const float* b, int d) {
    float s = 0.0f;
    for (int j = 0; j < d; ++j) s = add_square(s, a[j] - b[j]);
    return s;
}

// Points per SIMD register: 16 floats with AVX-512, 8 with AVX2 (the project's minimum).
#if defined(__AVX512F__)
constexpr int kWidth = 16;
#elif defined(__AVX__)
constexpr int kWidth = 8;
#else
constexpr int kWidth = 4;
#endif

// The points in two layouts: rows (N, D) as given, and blocks of kWidth points (NB, D, kWidth)
// with NB = ceil(N / kWidth), zero-padded to N_pad = NB x kWidth points. In the blocked layout
// one SIMD load fetches feature j of kWidth points, so each lane is one point's independent sum
// and a block's D x kWidth floats are contiguous (streamed, prefetch-friendly).
struct PointTable {
    const float* rows = nullptr;  // (N, D), not owned
    std::vector<float> blocks;    // (NB, D, kWidth)
    int64_t n = 0;
    int64_t n_pad = 0;
    int d = 0;
};
PointTable make_point_table(const float* rows, int64_t n, int d);

// out[q * N_pad + i] = |x_i - query_q|^2 for every point i < N_pad (padding points are zero
// rows: ignore them) and query q < T; bit-identical to sq_dist for real points.
void sq_dists_bulk(const PointTable& pts,
                   const float* queries,  // (T, D)
                   int t,
                   float* out);  // (T, N_pad)

// M-step: new_centres = mean of each cluster's members (sums in double). Empty clusters are
// re-seeded from the points farthest from their assigned old centre, as in kmeans.h. Shared by
// both Lloyd versions on purpose: they differ only in how labels are found, which is what the
// reference-vs-fast test checks.
void update_centres(const float* points,  // (N, D)
                    int64_t n, int d,
                    const std::vector<int32_t>& labels,  // (N)
                    int k,
                    const std::vector<float>& old_centres,  // (K, D) used to find `labels`
                    std::vector<float>& new_centres);       // (K, D) out

// The bodies of kmeans_plusplus and kmeans_lloyd on a prepared table (kmeans() builds the
// table once for all restarts).
std::vector<float> kmeans_plusplus_on(const PointTable& pts, int k, Rng& rng);
KMeansResult kmeans_lloyd_on(const PointTable& pts, const std::vector<float>& init_centres, int k,
                             int max_iter, double tol_abs);

}  // namespace nasflat::samplers::detail
