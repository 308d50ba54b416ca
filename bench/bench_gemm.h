// bench_gemm.h — the dense products of a training step at NASFLAT shapes: the forward GEMM
// of a linear layer and its two backward products (with a split-K variant of the weight
// gradient), cuBLAS fp32 and TF32 beside the CPU.
#pragma once

#include <cstdint>

#include "bench/bench_common.h"

namespace nasflat::bench {

// Y (M, O) = X (M, K) W (K, O) over M = G n rows.
void bench_gemm(Runner& r, int64_t G, int64_t n, int64_t K, int64_t O);
// dx += dy W^T and dw += X^T dy for the same layer.
void bench_gemm_backward(Runner& r, int64_t G, int64_t n, int64_t K, int64_t O);

}  // namespace nasflat::bench
