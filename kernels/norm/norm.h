// norm.h — the normalisation family: softmax over any dim, layer norm over the last dim.
// One function type per op (the KernelTable's entry, kernels.h) and the backends that define it:
//   *_cpu       norm.cpp        plain loops: the spec and the tests' oracle
//   *_cpu_fast  norm_fast.cpp   layer norm with row sums in vectorisable lanes (lane_sum.h)
//   *_cuda      norm.cu         a warp per row where rows are contiguous
// Dims: softmax input viewed as (outer, len, inner); layer norm over (rows, cols).
#pragma once

#include <cstdint>

namespace nasflat::kernels {

// out[o, :, i] = softmax along len of x[o, :, i]
using SoftmaxForwardFn = void(float* out,      // (outer, len, inner)
                              const float* x,  // (outer, len, inner)
                              int64_t outer, int64_t len, int64_t inner);
SoftmaxForwardFn softmax_forward_cpu, softmax_forward_cuda;

// dx += y * (dout - sum along len of y * dout)
using SoftmaxBackwardFn = void(float* dx,          // (outer, len, inner)
                               const float* dout,  // (outer, len, inner)
                               const float* y,     // (outer, len, inner) the forward's output
                               int64_t outer, int64_t len, int64_t inner);
SoftmaxBackwardFn softmax_backward_cpu, softmax_backward_cuda;

// Row-wise: out = (x - mean) * rstd * gamma + beta; mean and rstd are written for the backward.
using LayerNormForwardFn = void(float* out,    // (rows, cols)
                                float* mean,   // (rows)
                                float* rstd,   // (rows) 1 / sqrt(var + eps)
                                const float* x,      // (rows, cols)
                                const float* gamma,  // (cols)
                                const float* beta,   // (cols)
                                int64_t rows, int64_t cols, float eps);
LayerNormForwardFn layer_norm_forward_cpu, layer_norm_forward_cpu_fast, layer_norm_forward_cuda;

// dx, dgamma, dbeta accumulate; any of them may be null.
using LayerNormBackwardFn = void(float* dx,           // (rows, cols) or null
                                 float* dgamma,       // (cols) or null
                                 float* dbeta,        // (cols) or null
                                 const float* dout,   // (rows, cols)
                                 const float* x,      // (rows, cols)
                                 const float* mean,   // (rows)
                                 const float* rstd,   // (rows)
                                 const float* gamma,  // (cols)
                                 int64_t rows, int64_t cols);
LayerNormBackwardFn layer_norm_backward_cpu, layer_norm_backward_cpu_fast,
    layer_norm_backward_cuda;

}  // namespace nasflat::kernels
