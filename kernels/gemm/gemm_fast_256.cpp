// gemm_fast_256.cpp — gemm_cpu_fast_256 (gemm.h): Eigen's product (gemm_fast_eigen.h) on vectors
// of at most 256 bits. CMake builds this file for the AVX2 level (kernels/CMakeLists.txt says
// why), so in an AVX-512 build Eigen takes its AVX2 kernel here. The macro gives this file's
// Eigen a namespace of its own: its templates have the same names as gemm_fast.cpp's but other
// code, and the linker would otherwise keep one copy of each for both files.
#define Eigen nasflat_eigen_256
#include <Eigen/Core>

#include "kernels/gemm/gemm.h"

namespace nasflat::kernels {
namespace {
#include "kernels/gemm/gemm_fast_eigen.h"
}  // namespace

void gemm_cpu_fast_256(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                       float alpha, const float* A, int64_t stride_a, const float* B,
                       int64_t stride_b, float beta, float* C, int64_t stride_c) {
    eigen_gemm(batch, trans_a, trans_b, M, N, K, alpha, A, stride_a, B, stride_b, beta, C,
               stride_c);
}

}  // namespace nasflat::kernels
