// graph_fast.cpp — the fast CPU graph kernels (graph.h): the sparse product with each row's
// accumulators in vector registers (the same sums in the same order as spmm_cpu), SDDMM with
// its dot products in vector lanes, eight edges at a time, their lanes reduced four edges per
// shuffle tree, and the edge softmax with a vectorisable exp (fast_exp.h). The references in
// graph.cpp stay the oracles.
#include "kernels/graph/graph.h"
#include "kernels/fast_exp.h"
#include "kernels/lane_sum.h"

#include <cmath>

namespace nasflat::kernels {

namespace {
// Features per pass: a row's accumulators for one chunk stay in vector registers while the
// row's edges stream through, instead of a load and a store of the output row per edge. The
// vector is the widest the build's ISA has (a wider GCC vector type than the ISA's is split
// through memory: at -march=x86-64-v3 a 64-byte type made the weighted SpMM 15x slower), and a
// chunk is 4 AVX-512, 8 AVX2 or 8 SSE registers. Each feature's sum runs over the row's edges
// in edge order whatever the chunk, so the bits do not depend on the ISA. GCC vector types,
// because a fixed 64-float array loop is unrolled into scalar code before the vectoriser sees
// it (SLP is off, CMakeLists.txt says why).
#if defined(__AVX512F__)
constexpr int kVec = 16;  // floats per vector value
constexpr int kVecs = 4;  // vector values per chunk
#elif defined(__AVX__)
constexpr int kVec = 8;
constexpr int kVecs = 8;
#else
constexpr int kVec = 4;
constexpr int kVecs = 8;
#endif
constexpr int64_t kChunk = kVec * kVecs;  // features per chunk: 64, or 32 with SSE only
typedef float Vec __attribute__((vector_size(kVec * sizeof(float))));

inline Vec load(const float* p) {
    Vec v;
    __builtin_memcpy(&v, p, sizeof v);  // unaligned
    return v;
}

// o[0..kChunk) = (accumulate ? o : 0) + sum over row i's edges of v_e x_{col(e)}, in edge order.
void spmm_row_chunk(float* o, CsrView A, int32_t i, const float* val, const float* x, int64_t F,
                    bool accumulate) {
    Vec acc[kVecs];
    for (int k = 0; k < kVecs; ++k) acc[k] = accumulate ? load(o + k * kVec) : Vec{};
    for (int32_t e = A.row_ptr[i]; e < A.row_ptr[i + 1]; ++e) {
        const float v = val ? val[A.edge_id ? A.edge_id[e] : e] : 1.0f;
        const float* xs = x + static_cast<int64_t>(A.col[e]) * F;
        for (int k = 0; k < kVecs; ++k) acc[k] += v * load(xs + k * kVec);
    }
    __builtin_memcpy(o, acc, sizeof acc);
}
}  // namespace

void spmm_cpu_fast(float* out, CsrView A, const float* val, const float* x, int64_t F,
                   bool accumulate) {
    for (int32_t i = 0; i < A.num_rows; ++i) {
        float* o = out + static_cast<int64_t>(i) * F;
        int64_t c = 0;
        for (; c + kChunk <= F; c += kChunk) {
            spmm_row_chunk(o + c, A, i, val, x + c, F, accumulate);
        }
        for (; c < F; ++c) {  // a tail of F % kChunk features (none at F = 128), one at a time
            float acc = accumulate ? o[c] : 0.0f;
            for (int32_t e = A.row_ptr[i]; e < A.row_ptr[i + 1]; ++e) {
                const float v = val ? val[A.edge_id ? A.edge_id[e] : e] : 1.0f;
                acc += v * x[static_cast<int64_t>(A.col[e]) * F + c];
            }
            o[c] = acc;
        }
    }
}

namespace {
// Below AVX GCC warns that passing an 8-float vector by value changes the ABI; these helpers
// are inlined in this file, so no call crosses an ABI.
#pragma GCC diagnostic ignored "-Wpsabi"
// Eight lanes; the dots below fold their partial sums down to it whatever the ISA's width.
typedef float Vec8 __attribute__((vector_size(8 * sizeof(float))));

// One edge's kLanes = 16 partial sums (16 / kVec vector values) folded to 8: lane l + lane l+8.
inline Vec8 fold_to_8(const Vec* part) {
#if defined(__AVX512F__)
    return __builtin_shufflevector(part[0], part[0], 0, 1, 2, 3, 4, 5, 6, 7) +
           __builtin_shufflevector(part[0], part[0], 8, 9, 10, 11, 12, 13, 14, 15);
#elif defined(__AVX__)
    return part[0] + part[1];
#else
    const Vec lo = part[0] + part[2], hi = part[1] + part[3];
    return __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
#endif
}

// out[0..4) = the 8 lanes of a, b, c, d each summed by the same fixed tree (l + l+4, then
// pairs), four edges per shuffle: the reductions cost a few vector operations per edge
// instead of a serial chain of adds each.
inline void sum8x4(float* out, Vec8 a, Vec8 b, Vec8 c, Vec8 d) {
    const Vec8 ab = __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11) +
                    __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15);
    const Vec8 cd = __builtin_shufflevector(c, d, 0, 1, 2, 3, 8, 9, 10, 11) +
                    __builtin_shufflevector(c, d, 4, 5, 6, 7, 12, 13, 14, 15);
    // ab: lanes 0-3 a's four sums, 4-7 b's; below, two sums per edge, then one
    const Vec8 abcd = __builtin_shufflevector(ab, cd, 0, 1, 4, 5, 8, 9, 12, 13) +
                      __builtin_shufflevector(ab, cd, 2, 3, 6, 7, 10, 11, 14, 15);
    const Vec8 s = __builtin_shufflevector(abcd, abcd, 0, 2, 4, 6, 0, 2, 4, 6) +
                   __builtin_shufflevector(abcd, abcd, 1, 3, 5, 7, 1, 3, 5, 7);
    for (int j = 0; j < 4; ++j) out[j] = s[j];
}

// out[j] = <a, b_j> for B (a multiple of 4) edges of one row: each dot in fast::kLanes lanes
// over the whole chunks of F, the lanes summed by fold_to_8 and sum8x4's halving tree, then the
// tail of F % kLanes added: the sums of fast::dot (lane_sum.h), and the same bits whichever
// position the edge holds in its row (a row's last edges go through here padded). Each chunk
// of a is loaded once for B edges; B = 8 keeps eight multiply-add chains in flight.
template <int B>
inline void dots(float* out, const float* a, const float* const* b, int64_t F) {
    constexpr int L = fast::kLanes, V = L / kVec;
    static_assert(L % kVec == 0 && B % 4 == 0, "whole vector values, whole groups of four");
    Vec part[B][V];
    for (int j = 0; j < B; ++j) {
        for (int v = 0; v < V; ++v) part[j][v] = Vec{};
    }
    int64_t c = 0;
    for (; c + L <= F; c += L) {
        Vec av[V];
        for (int v = 0; v < V; ++v) av[v] = load(a + c + v * kVec);
        for (int j = 0; j < B; ++j) {
            for (int v = 0; v < V; ++v) part[j][v] += av[v] * load(b[j] + c + v * kVec);
        }
    }
    for (int j = 0; j < B; j += 4) {
        sum8x4(out + j, fold_to_8(part[j]), fold_to_8(part[j + 1]), fold_to_8(part[j + 2]),
               fold_to_8(part[j + 3]));
    }
    if (c < F) {
        for (int j = 0; j < B; ++j) {
            float tail = 0.0f;
            for (int64_t t = c; t < F; ++t) tail += a[t] * b[j][t];
            out[j] += tail;
        }
    }
}
}  // namespace

// out[e] = <a[i], b[col[e]]>: a row's edges 8 at a time, then 4, the last 1-3 as a group of
// four padded with copies of its last edge (computed, not stored).
void sddmm_cpu_fast(float* out, CsrView A, const float* a, const float* b, int64_t F) {
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const float* ai = a + static_cast<int64_t>(i) * F;
        const int32_t hi = A.row_ptr[i + 1];
        int32_t e = A.row_ptr[i];
        auto edge_row = [&](int32_t k) { return b + static_cast<int64_t>(A.col[k]) * F; };
        for (; e + 8 <= hi; e += 8) {
            const float* bs[8];
            for (int j = 0; j < 8; ++j) bs[j] = edge_row(e + j);
            dots<8>(out + e, ai, bs, F);
        }
        for (; e < hi; e += 4) {
            const float* bs[4];
            for (int j = 0; j < 4; ++j) bs[j] = edge_row(e + j < hi ? e + j : hi - 1);
            float four[4];
            dots<4>(four, ai, bs, F);
            for (int j = 0; j < 4 && e + j < hi; ++j) out[e + j] = four[j];
        }
    }
}

// The reference's softmax per row (max, exp, sum, divide) with fast_exp, which runs once over
// all E edges so that it vectorises (rows hold ~8-22 edges). A row's max and sum run in four
// interleaved partials (a fixed order on every ISA) rather than one serial chain each: the
// chains were most of the time.
void edge_softmax_forward_cpu_fast(float* out, CsrView A, const float* s) {
    if (A.num_rows == 0) return;
    constexpr int P = 4;
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const int32_t lo = A.row_ptr[i], hi = A.row_ptr[i + 1];
        float m[P] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
        int32_t e = lo;
        for (; e + P <= hi; e += P) {
            for (int k = 0; k < P; ++k) m[k] = s[e + k] > m[k] ? s[e + k] : m[k];
        }
        for (; e < hi; ++e) m[0] = s[e] > m[0] ? s[e] : m[0];
        const float mx = std::fmax(std::fmax(m[0], m[1]), std::fmax(m[2], m[3]));
        for (e = lo; e < hi; ++e) out[e] = s[e] - mx;
    }
    for (int32_t e = A.row_ptr[0]; e < A.row_ptr[A.num_rows]; ++e) out[e] = fast_exp(out[e]);
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const int32_t lo = A.row_ptr[i], hi = A.row_ptr[i + 1];
        float part[P] = {};
        int32_t e = lo;
        for (; e + P <= hi; e += P) {
            for (int k = 0; k < P; ++k) part[k] += out[e + k];
        }
        for (; e < hi; ++e) part[0] += out[e];
        const float sum = (part[0] + part[1]) + (part[2] + part[3]);
        for (e = lo; e < hi; ++e) out[e] /= sum;
    }
}

}  // namespace nasflat::kernels
