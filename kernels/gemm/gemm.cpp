// gemm.cpp — the CPU reference GEMM (gemm.h): plain loops accumulating in double, so the oracle
// is tighter than any fast version it judges. Fast version: gemm_fast.cpp. CUDA: gemm.cu.
#include "kernels/gemm/gemm.h"

namespace nasflat::kernels {

// C_b = alpha op(A_b) op(B_b) + beta C_b; beta == 0 ignores C's old contents (even NaN).
void gemm_cpu(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
              float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
              float beta, float* C, int64_t stride_c) {
    for (int64_t b = 0; b < batch; ++b) {
        const float* a = A + b * stride_a;
        const float* bm = B + b * stride_b;
        float* c = C + b * stride_c;
        for (int64_t i = 0; i < M; ++i) {
            for (int64_t j = 0; j < N; ++j) {
                double acc = 0.0;
                for (int64_t k = 0; k < K; ++k) {
                    float av = trans_a ? a[k * M + i] : a[i * K + k];
                    float bv = trans_b ? bm[j * K + k] : bm[k * N + j];
                    acc += static_cast<double>(av) * bv;
                }
                float old = beta == 0.0f ? 0.0f : beta * c[i * N + j];
                c[i * N + j] = static_cast<float>(alpha * acc) + old;
            }
        }
    }
}

#ifndef NASFLAT_WITH_CUDA
// The TF32 switch exists in every build so that callers need no #ifdef; here it changes nothing.
void set_cuda_gemm_tf32(bool) {}
bool cuda_gemm_tf32() {
    return false;
}
#endif

}  // namespace nasflat::kernels
