// gemm_fast.cpp — the fast CPU GEMM (gemm.h): Eigen's product (gemm_fast_eigen.h) at the build's
// vector width, or, on a processor whose 512-bit units are split in two, the same product on
// 256-bit vectors (gemm_fast_256.cpp).
#include <Eigen/Core>

#if defined(__AVX512F__) && (defined(__x86_64__) || defined(__i386__))
#include <cpuid.h>
#endif

#include "kernels/gemm/gemm.h"

namespace nasflat::kernels {
namespace {
#include "kernels/gemm/gemm_fast_eigen.h"

#if defined(__AVX512F__) && (defined(__x86_64__) || defined(__i386__))
// AMD family 19h with AVX-512 is Zen 4, which executes a 512-bit operation as two 256-bit
// halves: there Eigen's 256-bit kernel ran 1.25-1.3x faster than its 512-bit one at the
// model's shapes (docs/performance.md). Decided once per process from cpuid, so a machine
// always takes the same path (and the same bits).
bool split_512_bit_units() {
    static const bool split = [] {
        unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
        if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return false;
        // The vendor string "AuthenticAMD" in ebx, edx, ecx.
        const bool amd = ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163;
        if (!amd || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
        unsigned family = (eax >> 8) & 0xf;
        if (family == 0xf) family += (eax >> 20) & 0xff;
        return family == 0x19;
    }();
    return split;
}
#endif
}  // namespace

void gemm_cpu_fast_full(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N,
                        int64_t K, float alpha, const float* A, int64_t stride_a, const float* B,
                        int64_t stride_b, float beta, float* C, int64_t stride_c) {
    eigen_gemm(batch, trans_a, trans_b, M, N, K, alpha, A, stride_a, B, stride_b, beta, C,
               stride_c);
}

void gemm_cpu_fast(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                   float alpha, const float* A, int64_t stride_a, const float* B,
                   int64_t stride_b, float beta, float* C, int64_t stride_c) {
#if defined(__AVX512F__) && (defined(__x86_64__) || defined(__i386__))
    if (split_512_bit_units()) {
        gemm_cpu_fast_256(batch, trans_a, trans_b, M, N, K, alpha, A, stride_a, B, stride_b, beta,
                          C, stride_c);
        return;
    }
#endif
    gemm_cpu_fast_full(batch, trans_a, trans_b, M, N, K, alpha, A, stride_a, B, stride_b, beta, C,
                       stride_c);
}

}  // namespace nasflat::kernels
