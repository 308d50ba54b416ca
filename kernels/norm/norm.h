// norm.h — the normalisation family: softmax over any dim, layer norm over the last dim.
// One function type per op (the KernelTable's entry, kernels.h) and the backends that define it:
//   *_cpu       norm.cpp        plain loops: the spec and the tests' oracle
//   *_cpu_fast  norm_fast.cpp   layer norm with row sums in vectorisable lanes (lane_sum.h)
//   *_cuda      norm.cu         a warp per row where rows are contiguous
// Dims: softmax input viewed as (outer, len, inner); masked softmax and layer norm over
// (rows, cols).
#pragma once

#include <cstdint>

namespace nasflat::kernels {

// out[o, :, i] = softmax along len of x[o, :, i]
// out (outer, len, inner), x (outer, len, inner).
using SoftmaxForwardFn = void(float* out, const float* x, int64_t outer, int64_t len,
                              int64_t inner);
SoftmaxForwardFn softmax_forward_cpu, softmax_forward_cuda;

// dx += y * (dout - sum along len of y * dout)
// dx (outer, len, inner), dout (outer, len, inner), y (outer, len, inner) the forward's output.
using SoftmaxBackwardFn = void(float* dx, const float* dout, const float* y, int64_t outer,
                               int64_t len, int64_t inner);
SoftmaxBackwardFn softmax_backward_cpu, softmax_backward_cuda;

// Masked softmax over the last dim of (rows, len): out[r, l] = exp(x[r, l] - m_r) / sum over the
// allowed k of exp(x[r, k] - m_r) where mask[r, l] != 0, else 0; m_r the max over the allowed
// entries (masked entries are never read, so they may hold inf or NaN). A row with no allowed
// entry gives zeros. The backward is softmax_backward with inner = 1: y = 0 on masked entries
// makes their dx 0. The reference loop is the fast CPU path too (one pass per row, no division
// inside the inner loop worth removing at attention sizes).
// out (rows, len), x (rows, len), mask (rows, len) of 0/1.
using MaskedSoftmaxForwardFn = void(float* out, const float* x, const float* mask, int64_t rows,
                                    int64_t len);
MaskedSoftmaxForwardFn masked_softmax_forward_cpu, masked_softmax_forward_cuda;

// Row-wise: out = (x - mean) * rstd * gamma + beta; mean and rstd are written for the backward.
// out (rows, cols), mean (rows), rstd (rows) 1 / sqrt(var + eps), x (rows, cols), gamma (cols),
// beta (cols).
using LayerNormForwardFn = void(float* out, float* mean, float* rstd, const float* x,
                                const float* gamma, const float* beta, int64_t rows, int64_t cols,
                                float eps);
LayerNormForwardFn layer_norm_forward_cpu, layer_norm_forward_cpu_fast, layer_norm_forward_cuda;

// dx, dgamma, dbeta accumulate; any of them may be null.
// dx (rows, cols) or null, dgamma (cols) or null, dbeta (cols) or null, dout (rows, cols), x (rows,
// cols), mean (rows), rstd (rows), gamma (cols).
using LayerNormBackwardFn = void(float* dx, float* dgamma, float* dbeta, const float* dout,
                                 const float* x, const float* mean, const float* rstd,
                                 const float* gamma, int64_t rows, int64_t cols);
LayerNormBackwardFn layer_norm_backward_cpu, layer_norm_backward_cpu_fast,
    layer_norm_backward_cuda;

}  // namespace nasflat::kernels
