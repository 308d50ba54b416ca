// gemm.cu — the CUDA GEMM (gemm.h) through cuBLAS, and its math-mode switch (fp32 or TF32).
// Dims: M, N, K row-major, as in gemm.h. Reference twin: gemm.cpp. Bench: bench/bench_gemm.cpp.
// One cuBLAS handle for the process; K == 0 scales C by beta in a small kernel of our own.
#include <atomic>
#include <climits>

#include "kernels/cuda_common.cuh"
#include "kernels/gemm/gemm.h"

namespace nasflat::kernels {

using namespace cuda_detail;

namespace {
std::atomic<bool> g_gemm_tf32{false};

// One handle for the process, created on first use (cublasCreate touches the GPU, which CPU-only
// runs must never do). Never destroyed: at exit the runtime may already be gone.
cublasHandle_t cublas_handle() {
    static cublasHandle_t handle = [] {
        cublasHandle_t h = nullptr;
        CUBLAS_CHECK(cublasCreate(&h));
        CUBLAS_CHECK(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH));
        return h;
    }();
    return handle;
}
}  // namespace

void set_cuda_gemm_tf32(bool on) {
    g_gemm_tf32.store(on);
}
bool cuda_gemm_tf32() {
    return g_gemm_tf32.load();
}

// K == 0: C_b = beta C_b (beta == 0 writes zeros, ignoring NaN in C, like BLAS).
static __global__ void gemm_scale_kernel(float* __restrict__ C,  // batch x (M, N), stride_c apart
                                         int64_t batch, int64_t MN, int64_t stride_c, float beta) {
    for (int64_t t = global_thread(); t < batch * MN; t += grid_threads()) {
        float* c = C + (t / MN) * stride_c + t % MN;
        *c = beta == 0.0f ? 0.0f : beta * *c;
    }
}

// Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: hand cuBLAS B first, with
// m = N, n = M. A row-major (R, S) array is a column-major (S, R) one with ld = S, so an
// untransposed row-major operand is already the transposed column-major operand cuBLAS needs,
// and a transposed one needs op = T:
//   B' = B: op N, ld N (trans_b: op T, ld K);  A' = A: op N, ld K (trans_a: op T, ld M); ldc = N.
void gemm_cuda(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
               float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
               float beta, float* C, int64_t stride_c) {
    if (batch <= 0 || M <= 0 || N <= 0) return;
    if (K <= 0) {
        gemm_scale_kernel<<<blocks_for(batch * M * N, kThreads), kThreads>>>(C, batch, M * N,
                                                                             stride_c, beta);
        CUDA_CHECK(cudaGetLastError());
        return;
    }
    NASFLAT_CHECK(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX && batch <= INT_MAX,
                  "gemm_cuda: sizes M ", M, " N ", N, " K ", K, " batch ", batch,
                  " exceed cuBLAS's 32-bit arguments; hint: split the batch");
    cublasHandle_t h = cublas_handle();
    CUBLAS_CHECK(cublasSetMathMode(
        h, g_gemm_tf32.load() ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    const cublasOperation_t op_b = trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t op_a = trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
    const int m = static_cast<int>(N), n = static_cast<int>(M), k = static_cast<int>(K);
    const int ld_b = static_cast<int>(trans_b ? K : N);
    const int ld_a = static_cast<int>(trans_a ? M : K);
    const int ld_c = static_cast<int>(N);
    if (batch == 1) {
        CUBLAS_CHECK(cublasSgemm(h, op_b, op_a, m, n, k, &alpha, B, ld_b, A, ld_a, &beta, C, ld_c));
    } else {
        CUBLAS_CHECK(cublasSgemmStridedBatched(h, op_b, op_a, m, n, k, &alpha, B, ld_b, stride_b, A,
                                               ld_a, stride_a, &beta, C, ld_c, stride_c,
                                               static_cast<int>(batch)));
    }
}

}  // namespace nasflat::kernels
