// graph_versions.cu — the graph kernels' losing versions (obituaries in kernels/graph/graph.cu):
// spmm v1 (a thread per (row, feature)), cuSPARSE SpMM, sddmm v1 and edge softmax v1 (a thread
// per row). bench_kernels validates and times them beside the product's warp-per-row kernels.
// Dims and contracts: kernels/graph/graph.h.
#include <cusparse.h>

#include <cmath>
#include <mutex>

#include "bench/experiments/experiments.h"
#include "kernels/cuda_common.cuh"

#define CUSPARSE_CHECK(call)                                                                     \
    do {                                                                                         \
        const cusparseStatus_t nasflat_cusparse_st_ = (call);                                    \
        if (nasflat_cusparse_st_ != CUSPARSE_STATUS_SUCCESS) {                                   \
            ::nasflat::fail("cuSPARSE error ", cusparseGetErrorName(nasflat_cusparse_st_), " (", \
                            cusparseGetErrorString(nasflat_cusparse_st_), ") in '", #call,       \
                            "' at ", __FILE__, ":", __LINE__);                                   \
        }                                                                                        \
    } while (0)

namespace nasflat::bench {

using kernels::CsrView;
using namespace kernels::cuda_detail;

// Value of edge slot e: val[edge_id[e]] when walking a reverse CSR, val[e] otherwise, 1 if null.
static __device__ __forceinline__ float edge_value(const float* __restrict__ val,
                                                   const int32_t* __restrict__ edge_id, int32_t e) {
    return val == nullptr ? 1.0f : val[edge_id != nullptr ? edge_id[e] : e];
}

// --- SpMM ----------------------------------------------------------------------------------
// v1: one thread per (row i, feature f)
static __global__ void spmm_kernel1(float* __restrict__ out,              // (rows, F)
                                    const int32_t* __restrict__ row_ptr,  // (rows + 1)
                                    const int32_t* __restrict__ col,      // (E)
                                    const int32_t* __restrict__ edge_id,  // (E) or null
                                    const float* __restrict__ val,        // (E) or null
                                    const float* __restrict__ x,          // (cols, F)
                                    int64_t rows, int64_t F, bool accumulate) {
    for (int64_t t = global_thread(); t < rows * F; t += grid_threads()) {
        const int64_t i = t / F, f = t % F;
        float acc = accumulate ? out[t] : 0.0f;
        for (int32_t e = row_ptr[i]; e < row_ptr[i + 1]; ++e) {
            acc += edge_value(val, edge_id, e) * x[static_cast<int64_t>(col[e]) * F + f];
        }
        out[t] = acc;
    }
}

void spmm_v1_cuda(float* out, CsrView A, const float* val, const float* x, int64_t F,
                  bool accumulate) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || F <= 0) return;
    spmm_kernel1<<<blocks_for(rows * F, kThreads), kThreads>>>(out, A.row_ptr, A.col, A.edge_id,
                                                               val, x, rows, F, accumulate);
    CUDA_CHECK(cudaGetLastError());
}

static __global__ void ones_kernel(float* __restrict__ out, int64_t n) {  // (n)
    for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] = 1.0f;
}

namespace {

// cuSPARSE state for the comparison version: one handle, a grow-only workspace and a vector of
// ones (cuSPARSE has no "pattern only" CSR). Allocated on first use, kept for the process.
struct CusparseState {
    std::mutex mutex;
    cusparseHandle_t handle = nullptr;
    void* workspace = nullptr;
    size_t workspace_bytes = 0;
    float* ones = nullptr;
    int64_t ones_count = 0;
};

CusparseState& cusparse_state() {
    static CusparseState* state = new CusparseState();  // leaked: the runtime may unload first
    return *state;
}

}  // namespace

void spmm_cusparse_cuda(float* out, CsrView A, const float* val, const float* x, int64_t F,
                        bool accumulate) {
    NASFLAT_CHECK(A.edge_id == nullptr,
                  "spmm_cusparse_cuda: cuSPARSE cannot follow edge_id "
                  "(reverse CSR); hint: time the backward product with the other versions");
    if (A.num_edges == 0) {  // cuSPARSE and empty matrices: keep it out of the question
        if (!accumulate) kernels::fill_cuda(out, static_cast<int64_t>(A.num_rows) * F, 0.0f);
        return;
    }
    CusparseState& st = cusparse_state();
    std::lock_guard<std::mutex> lock(st.mutex);
    if (st.handle == nullptr) CUSPARSE_CHECK(cusparseCreate(&st.handle));
    if (val == nullptr) {
        if (st.ones_count < A.num_edges) {
            if (st.ones != nullptr) CUDA_CHECK(cudaFree(st.ones));
            CUDA_CHECK(cudaMalloc(&st.ones, sizeof(float) * A.num_edges));
            st.ones_count = A.num_edges;
            ones_kernel<<<blocks_for(A.num_edges, kThreads), kThreads>>>(st.ones, A.num_edges);
            CUDA_CHECK(cudaGetLastError());
        }
        val = st.ones;
    }
    cusparseConstSpMatDescr_t mat_a = nullptr;
    cusparseConstDnMatDescr_t mat_x = nullptr;
    cusparseDnMatDescr_t mat_out = nullptr;
    CUSPARSE_CHECK(cusparseCreateConstCsr(&mat_a, A.num_rows, A.num_cols, A.num_edges, A.row_ptr,
                                          A.col, val, CUSPARSE_INDEX_32I, CUSPARSE_INDEX_32I,
                                          CUSPARSE_INDEX_BASE_ZERO, CUDA_R_32F));
    CUSPARSE_CHECK(
        cusparseCreateConstDnMat(&mat_x, A.num_cols, F, F, x, CUDA_R_32F, CUSPARSE_ORDER_ROW));
    CUSPARSE_CHECK(
        cusparseCreateDnMat(&mat_out, A.num_rows, F, F, out, CUDA_R_32F, CUSPARSE_ORDER_ROW));
    const float alpha = 1.0f, beta = accumulate ? 1.0f : 0.0f;
    const cusparseOperation_t op = CUSPARSE_OPERATION_NON_TRANSPOSE;
    // CSR_ALG2 is deterministic and meant for row-major dense operands; fall back to the
    // default algorithm if this cuSPARSE refuses it for the shape.
    cusparseSpMMAlg_t alg = CUSPARSE_SPMM_CSR_ALG2;
    size_t bytes = 0;
    if (cusparseSpMM_bufferSize(st.handle, op, op, &alpha, mat_a, mat_x, &beta, mat_out, CUDA_R_32F,
                                alg, &bytes) != CUSPARSE_STATUS_SUCCESS) {
        alg = CUSPARSE_SPMM_ALG_DEFAULT;
        CUSPARSE_CHECK(cusparseSpMM_bufferSize(st.handle, op, op, &alpha, mat_a, mat_x, &beta,
                                               mat_out, CUDA_R_32F, alg, &bytes));
    }
    if (bytes > st.workspace_bytes) {
        if (st.workspace != nullptr) CUDA_CHECK(cudaFree(st.workspace));
        CUDA_CHECK(cudaMalloc(&st.workspace, bytes));
        st.workspace_bytes = bytes;
    }
    CUSPARSE_CHECK(cusparseSpMM(st.handle, op, op, &alpha, mat_a, mat_x, &beta, mat_out, CUDA_R_32F,
                                alg, st.workspace));
    CUSPARSE_CHECK(cusparseDestroySpMat(mat_a));
    CUSPARSE_CHECK(cusparseDestroyDnMat(mat_x));
    CUSPARSE_CHECK(cusparseDestroyDnMat(mat_out));
}

// --- SDDMM ---------------------------------------------------------------------------------
// v1: one thread per row, the reference's loops
static __global__ void sddmm_kernel1(float* __restrict__ out,              // (E)
                                     const int32_t* __restrict__ row_ptr,  // (rows + 1)
                                     const int32_t* __restrict__ col,      // (E)
                                     const float* __restrict__ a,          // (rows, F)
                                     const float* __restrict__ b,          // (cols, F)
                                     int64_t rows, int64_t F) {
    for (int64_t i = global_thread(); i < rows; i += grid_threads()) {
        const float* ai = a + i * F;
        for (int32_t e = row_ptr[i]; e < row_ptr[i + 1]; ++e) {
            const float* bj = b + static_cast<int64_t>(col[e]) * F;
            float acc = 0.0f;
            for (int64_t f = 0; f < F; ++f) acc += ai[f] * bj[f];
            out[e] = acc;
        }
    }
}

void sddmm_v1_cuda(float* out, CsrView A, const float* a, const float* b, int64_t F) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || A.num_edges <= 0) return;
    sddmm_kernel1<<<blocks_for(rows, kThreads), kThreads>>>(out, A.row_ptr, A.col, a, b, rows, F);
    CUDA_CHECK(cudaGetLastError());
}

// --- edge softmax ----------------------------------------------------------------------------
// v1: one thread per row, the reference's loops
static __global__ void edge_softmax_forward_kernel1(
    float* __restrict__ out,              // (E)
    const int32_t* __restrict__ row_ptr,  // (rows+1)
    const float* __restrict__ s,          // (E)
    int64_t rows) {
    for (int64_t i = global_thread(); i < rows; i += grid_threads()) {
        const int32_t lo = row_ptr[i], hi = row_ptr[i + 1];
        if (lo == hi) continue;
        float mx = -INFINITY;
        for (int32_t e = lo; e < hi; ++e) mx = fmaxf(mx, s[e]);
        float sum = 0.0f;
        for (int32_t e = lo; e < hi; ++e) {
            out[e] = expf(s[e] - mx);
            sum += out[e];
        }
        for (int32_t e = lo; e < hi; ++e) out[e] /= sum;
    }
}

static __global__ void edge_softmax_backward_kernel1(
    float* __restrict__ ds,               // (E)
    const int32_t* __restrict__ row_ptr,  // (rows+1)
    const float* __restrict__ y,          // (E)
    const float* __restrict__ dy,         // (E)
    int64_t rows) {
    for (int64_t i = global_thread(); i < rows; i += grid_threads()) {
        const int32_t lo = row_ptr[i], hi = row_ptr[i + 1];
        float dot = 0.0f;
        for (int32_t e = lo; e < hi; ++e) dot += y[e] * dy[e];
        for (int32_t e = lo; e < hi; ++e) ds[e] += y[e] * (dy[e] - dot);
    }
}

void edge_softmax_forward_v1_cuda(float* out, CsrView A, const float* s) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || A.num_edges <= 0) return;
    edge_softmax_forward_kernel1<<<blocks_for(rows, kThreads), kThreads>>>(out, A.row_ptr, s,
                                                                           rows);
    CUDA_CHECK(cudaGetLastError());
}

void edge_softmax_backward_v1_cuda(float* ds, CsrView A, const float* y, const float* dy) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || A.num_edges <= 0) return;
    edge_softmax_backward_kernel1<<<blocks_for(rows, kThreads), kThreads>>>(ds, A.row_ptr, y, dy,
                                                                            rows);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::bench
