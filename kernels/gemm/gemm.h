// gemm.h — the dense product family: a strided batch of row-major GEMMs, and the CUDA math mode.
// One function type (the KernelTable's entry, kernels.h) and the backends that define it:
//   gemm_cpu       gemm.cpp        plain loops accumulating in double: the spec and the oracle
//   gemm_cpu_fast  gemm_fast.cpp   Eigen's blocked, vectorised product on row-major maps: one
//                  of the two below, chosen once per process from the processor
//   gemm_cpu_fast_full  gemm_fast.cpp      ... at the build's full vector width
//   gemm_cpu_fast_256   gemm_fast_256.cpp  ... on vectors of at most 256 bits (built for the
//                  AVX2 level), taken in an AVX-512 build on processors that run a 512-bit
//                  operation as two halves (Zen 4)
//   gemm_cuda      gemm.cu         cuBLAS (fp32, or TF32 tensor cores while the switch is on)
// Dims: M, N, K the product's sizes; batch products, each `stride_*` floats after the last.
#pragma once

#include <cstdint>

namespace nasflat::kernels {

// For b in [0, batch): C_b(M,N) = alpha * op(A_b) op(B_b) + beta * C_b, row-major, where
// op(A) is (M,K) (A stored (K,M) when trans_a) and op(B) is (K,N) (stored (N,K) when trans_b).
// beta == 0 ignores C's old contents (even NaN), like BLAS.
// A batch x (M, K) or (K, M), stride_a apart; B batch x (K, N) or (N, K), stride_b apart;
// C batch x (M, N), stride_c apart.
using GemmFn = void(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                    float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
                    float beta, float* C, int64_t stride_c);
GemmFn gemm_cpu, gemm_cpu_fast, gemm_cpu_fast_full, gemm_cpu_fast_256, gemm_cuda;

// CUDA GEMM math mode. Off (the default): plain fp32 (CUBLAS_DEFAULT_MATH). On: TF32 tensor
// cores (CUBLAS_TF32_TENSOR_OP_MATH), ~1e-3 relative error at K = 128; measure before relying on
// it (docs/performance.md). Present in every build; without CUDA it changes nothing.
void set_cuda_gemm_tf32(bool on);
bool cuda_gemm_tf32();

}  // namespace nasflat::kernels
