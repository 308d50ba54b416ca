// graph_fast.cpp — the fast CPU graph kernels (graph.h): the sparse product with each row's
// accumulators in vector registers (the same sums in the same order as spmm_cpu), and SDDMM
// with its dot products in vectorisable lanes (lane_sum.h), four edges at a time, and the edge
// softmax with a vectorisable exp (fast_exp.h). The references in graph.cpp stay the oracles.
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
// out[j] = <a, b_j> for B edges of one row, each dot in fast::kLanes lanes exactly as
// fast::dot sums it (lane l over F in order, then the tail, then lanes 0, 1, ... in turn): the
// same bits as B calls of fast::dot. The lanes are kLanes / kVec vector values per edge (GCC
// vector types: left to itself GCC keeps a 2-d array of lanes in memory, 5x slower than one
// dot at a time); each chunk of a is loaded once for B edges, and the B serial reductions at
// the end overlap instead of waiting on each other.
template <int B>
inline void dots(float* out, const float* a, const float* const* b, int64_t F) {
    constexpr int L = fast::kLanes, V = L / kVec;
    static_assert(L % kVec == 0, "the lanes must fill whole vector values");
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
    float acc[B] = {};
    for (; c < F; ++c) {
        for (int j = 0; j < B; ++j) acc[j] += a[c] * b[j][c];
    }
    float lanes[B][L];
    for (int j = 0; j < B; ++j) __builtin_memcpy(lanes[j], part[j], sizeof lanes[j]);
    for (int l = 0; l < L; ++l) {
        for (int j = 0; j < B; ++j) acc[j] += lanes[j][l];
    }
    for (int j = 0; j < B; ++j) out[j] = acc[j];
}
}  // namespace

// out[e] = <a[i], b[col[e]]>: a row's edges 4 at a time (dots), the rest one by one.
void sddmm_cpu_fast(float* out, CsrView A, const float* a, const float* b, int64_t F) {
    constexpr int B = 4;
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const float* ai = a + static_cast<int64_t>(i) * F;
        int32_t e = A.row_ptr[i];
        for (; e + B <= A.row_ptr[i + 1]; e += B) {
            const float* bs[B];
            for (int j = 0; j < B; ++j) bs[j] = b + static_cast<int64_t>(A.col[e + j]) * F;
            dots<B>(out + e, ai, bs, F);
        }
        for (; e < A.row_ptr[i + 1]; ++e) {
            out[e] = fast::dot(ai, b + static_cast<int64_t>(A.col[e]) * F, F);
        }
    }
}

// The reference's softmax per row (max, exp, sum in edge order, divide) with fast_exp, which
// runs once over all E edges so that it vectorises (rows hold ~8-22 edges).
void edge_softmax_forward_cpu_fast(float* out, CsrView A, const float* s) {
    if (A.num_rows == 0) return;
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const int32_t lo = A.row_ptr[i], hi = A.row_ptr[i + 1];
        float mx = -INFINITY;
        for (int32_t e = lo; e < hi; ++e) mx = std::fmax(mx, s[e]);
        for (int32_t e = lo; e < hi; ++e) out[e] = s[e] - mx;
    }
    for (int32_t e = A.row_ptr[0]; e < A.row_ptr[A.num_rows]; ++e) out[e] = fast_exp(out[e]);
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const int32_t lo = A.row_ptr[i], hi = A.row_ptr[i + 1];
        float sum = 0.0f;
        for (int32_t e = lo; e < hi; ++e) sum += out[e];
        for (int32_t e = lo; e < hi; ++e) out[e] /= sum;
    }
}

}  // namespace nasflat::kernels
