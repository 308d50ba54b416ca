// graph_fast.cpp — the fast CPU graph kernels (graph.h): the sparse product with each row's
// accumulators in vector registers (the same sums in the same order as spmm_cpu), and SDDMM
// with its dot products in vectorisable lanes (lane_sum.h). The references in graph.cpp stay
// the oracles.
#include "kernels/graph/graph.h"
#include "kernels/lane_sum.h"

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

// out[e] = <a[i], b[col[e]]>, each dot in lanes.
void sddmm_cpu_fast(float* out, CsrView A, const float* a, const float* b, int64_t F) {
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const float* ai = a + static_cast<int64_t>(i) * F;
        for (int32_t e = A.row_ptr[i]; e < A.row_ptr[i + 1]; ++e) {
            out[e] = fast::dot(ai, b + static_cast<int64_t>(A.col[e]) * F, F);
        }
    }
}

}  // namespace nasflat::kernels
