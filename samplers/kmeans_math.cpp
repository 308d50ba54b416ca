// kmeans_math.cpp — point table, bulk distances and the M-step; see kmeans_math.h.
// Dims: N points, D dim, K centres, T queries.
#include "samplers/kmeans_math.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#if defined(__FMA__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace nasflat::samplers::detail {

PointTable make_point_table(const float* rows, int64_t n, int d) {
    PointTable pts;
    pts.rows = rows;
    pts.n = n;
    pts.d = d;
    pts.n_pad = (n + kWidth - 1) / kWidth * kWidth;
    pts.blocks.assign(static_cast<size_t>(pts.n_pad) * d, 0.0f);
    for (int64_t i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j)
            pts.blocks[((i / kWidth) * d + j) * kWidth + i % kWidth] = rows[i * d + j];
    return pts;
}

namespace {

// One SIMD register of floats (GCC/Clang vector extension). Wider-than-native vectors would be
// split by the compiler and run ~8x slower, hence kWidth follows the target.
typedef float FVec __attribute__((vector_size(kWidth * sizeof(float))));

inline FVec load_vec(const float* p) {
    FVec v;
    std::memcpy(&v, p, sizeof v);  // unaligned load
    return v;
}
inline void store_vec(float* p, const FVec& v) {
    std::memcpy(p, &v, sizeof v);
}

// a + u * u per lane, rounded as add_square (kmeans_math.h): an explicit FMA instruction where
// the target has one, so no compiler tuning can split it; plain multiply and add where it has
// not (-ffp-contract=off keeps those two roundings).
inline FVec add_square_vec(FVec a, FVec u) {
#if defined(__AVX512F__)
    static_assert(kWidth == 16, "AVX-512 blocks hold 16 points");
    return reinterpret_cast<FVec>(_mm512_fmadd_ps(reinterpret_cast<__m512>(u),
                                                  reinterpret_cast<__m512>(u),
                                                  reinterpret_cast<__m512>(a)));
#elif defined(__FMA__)
    static_assert(kWidth == 8, "FMA implies AVX: blocks hold 8 points");
    return reinterpret_cast<FVec>(_mm256_fmadd_ps(reinterpret_cast<__m256>(u),
                                                  reinterpret_cast<__m256>(u),
                                                  reinterpret_cast<__m256>(a)));
#else
    return a + u * u;
#endif
}

}  // namespace

void sq_dists_bulk(const PointTable& pts, const float* queries, int t, float* out) {
    // Register tile: one block (kWidth points) x 4 queries = four accumulators, so each loaded
    // feature vector feeds four FMAs and four independent chains hide the FMA latency. Sums stay
    // in registers; a plain "acc[i] += u * u" loop over an L1 array runs ~3x slower, bound by
    // its loads and stores. (Two blocks x 4 queries gained < 10%: not worth the lines.)
    const int d = pts.d;
    const int64_t stride = pts.n_pad;
    for (int64_t b = 0; b < pts.n_pad / kWidth; ++b) {
        const float* block = pts.blocks.data() + b * d * kWidth;
        float* dst = out + b * kWidth;
        int q = 0;
        for (; q + 4 <= t; q += 4) {
            const float* q0 = queries + q * d;
            const float *q1 = q0 + d, *q2 = q1 + d, *q3 = q2 + d;
            FVec a0 = {}, a1 = {}, a2 = {}, a3 = {};
            for (int j = 0; j < d; ++j) {
                const FVec x = load_vec(block + j * kWidth);
                const FVec u0 = x - q0[j], u1 = x - q1[j], u2 = x - q2[j], u3 = x - q3[j];
                a0 = add_square_vec(a0, u0);
                a1 = add_square_vec(a1, u1);
                a2 = add_square_vec(a2, u2);
                a3 = add_square_vec(a3, u3);
            }
            store_vec(dst + q * stride, a0);
            store_vec(dst + (q + 1) * stride, a1);
            store_vec(dst + (q + 2) * stride, a2);
            store_vec(dst + (q + 3) * stride, a3);
        }
        for (; q < t; ++q) {  // leftover queries: one accumulator
            FVec a = {};
            for (int j = 0; j < d; ++j) {
                const FVec u = load_vec(block + j * kWidth) - queries[q * d + j];
                a = add_square_vec(a, u);
            }
            store_vec(dst + q * stride, a);
        }
    }
}

void update_centres(const float* points, int64_t n, int d, const std::vector<int32_t>& labels,
                    int k, const std::vector<float>& old_centres, std::vector<float>& new_centres) {
    std::vector<double> sums(static_cast<size_t>(k) * d, 0.0);
    std::vector<int64_t> counts(static_cast<size_t>(k), 0);
    for (int64_t i = 0; i < n; ++i) {
        const int c = labels[i];
        ++counts[c];
        double* __restrict sum = &sums[c * d];
        const float* __restrict x = points + i * d;
        for (int j = 0; j < d; ++j) sum[j] += x[j];
    }
    std::vector<int> empty;
    for (int c = 0; c < k; ++c)
        if (counts[c] == 0) empty.push_back(c);
    if (!empty.empty()) {
        // sklearn _relocate_empty_clusters: the farthest points (from their own centre) become
        // the new centres. We skip points of singleton clusters (that would just move the hole)
        // and stop at distance 0 (no point is badly served; the cluster stays empty).
        std::vector<float> dist(n);
        for (int64_t i = 0; i < n; ++i)
            dist[i] = sq_dist(points + i * d, &old_centres[labels[i] * d], d);
        std::vector<int64_t> order(n);
        std::iota(order.begin(), order.end(), int64_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](int64_t a, int64_t b) { return dist[a] > dist[b]; });
        size_t next = 0;
        for (int e : empty) {
            while (next < order.size() && dist[order[next]] > 0.0f &&
                   counts[labels[order[next]]] <= 1)
                ++next;
            if (next == order.size() || dist[order[next]] <= 0.0f) break;
            const int64_t i = order[next++];
            const int from = labels[i];
            --counts[from];
            counts[e] = 1;
            for (int j = 0; j < d; ++j) {
                sums[from * d + j] -= points[i * d + j];
                sums[e * d + j] = points[i * d + j];
            }
        }
    }
    new_centres.resize(static_cast<size_t>(k) * d);
    for (int c = 0; c < k; ++c)
        for (int j = 0; j < d; ++j)
            new_centres[c * d + j] = counts[c] == 0
                                         ? old_centres[c * d + j]
                                         : static_cast<float>(sums[c * d + j] / counts[c]);
}

}  // namespace nasflat::samplers::detail
