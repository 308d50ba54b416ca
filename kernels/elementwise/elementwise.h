// elementwise.h — the elementwise family: memory fills and copies, unary and binary ops with
// broadcast, and the two layer tails of the model (gated residual, branch average), each one
// pass where the op-by-op chain takes four or five.
// One function type per op (the KernelTable's entry, kernels.h) and the backends that define it:
//   *_cpu       elementwise.cpp        plain loops: the spec and the tests' oracle
//   *_cpu_fast  elementwise_fast.cpp   where it pays: one loop per op, rows x columns
//   *_cuda      elementwise.cu         grid-stride kernels
// Dims: n elements; nb elements of a broadcast operand (a viewed as (n / nb, nb)); F features
// of a (rows, F) view. `_forward` assigns its output; `_backward` accumulates (+=).
#pragma once

#include <cstdint>

namespace nasflat::kernels {

enum class UnaryOp { Relu, LeakyRelu, Sigmoid };
enum class BinaryOp { Add, Sub, Mul };

// --- memory --------------------------------------------------------------------------------------
// out[i] = value
using FillFn = void(float* out,  // (n)
                    int64_t n, float value);
FillFn fill_cpu, fill_cuda;

// out[i] = x[i]
using CopyFn = void(float* out,      // (n)
                    const float* x,  // (n)
                    int64_t n);
CopyFn copy_cpu, copy_cuda;

// out[i] += alpha * x[i]
using AddScaledFn = void(float* out,      // (n)
                         const float* x,  // (n)
                         int64_t n, float alpha);
AddScaledFn add_scaled_cpu, add_scaled_cuda;

// --- unary and binary ----------------------------------------------------------------------------
// out[i] = f(x[i]); alpha is LeakyReLU's negative slope.
using UnaryForwardFn = void(UnaryOp op,
                            float* out,      // (n)
                            const float* x,  // (n)
                            int64_t n, float alpha);
UnaryForwardFn unary_forward_cpu, unary_forward_cpu_fast, unary_forward_cuda;

// dx[i] += f'(x[i]) dout[i]; y = f(x) (the sigmoid reads y, the ReLUs read x).
using UnaryBackwardFn = void(UnaryOp op,
                             float* dx,          // (n)
                             const float* dout,  // (n)
                             const float* x,     // (n)
                             const float* y,     // (n)
                             int64_t n, float alpha);
UnaryBackwardFn unary_backward_cpu, unary_backward_cpu_fast, unary_backward_cuda;

// out[i] = a[i] (op) b[i % nb]: b broadcasts over the leading dims of a (n % nb == 0).
using BinaryForwardFn = void(BinaryOp op,
                             float* out,      // (n)
                             const float* a,  // (n)
                             const float* b,  // (nb)
                             int64_t n, int64_t nb);
BinaryForwardFn binary_forward_cpu, binary_forward_cpu_fast, binary_forward_cuda;

// da[i] += d/da; db[j] += sum over i with i % nb == j of d/db. da or db may be null.
using BinaryBackwardFn = void(BinaryOp op,
                              float* da,          // (n) or null
                              float* db,          // (nb) or null
                              const float* dout,  // (n)
                              const float* a,     // (n)
                              const float* b,     // (nb)
                              int64_t n, int64_t nb);
BinaryBackwardFn binary_backward_cpu, binary_backward_cpu_fast, binary_backward_cuda;

// --- layer tails ---------------------------------------------------------------------------------
// out = sigmoid(p + gb) * m + s + b: the gated residual of a graph-flow layer; with s and b
// null, the gated mix an attention layer feeds to its layer norm. gb, s, b may be null (= 0).
using GatedResidualForwardFn = void(float* out,       // (rows, F)
                                    const float* p,   // (rows, F)
                                    const float* gb,  // (F) or null
                                    const float* m,   // (rows, F)
                                    const float* s,   // (rows, F) or null
                                    const float* b,   // (F) or null
                                    int64_t rows, int64_t F);
GatedResidualForwardFn gated_residual_forward_cpu, gated_residual_forward_cpu_fast,
    gated_residual_forward_cuda;

// With y = sigmoid(p + gb): dpre = dout * m * y (1 - y) is written (assign: the gradient of p,
// whose column sums are gb's); dp += dpre, dm += dout * y, ds += dout. dp, dm, ds may be null.
// (b's gradient is the column sums of dout.)
using GatedResidualBackwardFn = void(float* dpre,        // (rows, F)
                                     float* dp,          // (rows, F) or null
                                     float* dm,          // (rows, F) or null
                                     float* ds,          // (rows, F) or null
                                     const float* dout,  // (rows, F)
                                     const float* p,     // (rows, F)
                                     const float* gb,    // (F) or null
                                     const float* m,     // (rows, F)
                                     int64_t rows, int64_t F);
GatedResidualBackwardFn gated_residual_backward_cpu, gated_residual_backward_cpu_fast,
    gated_residual_backward_cuda;

// out = (a + b) / 2, then max(., 0) when relu (an ensemble layer's two branches joined).
using AverageForwardFn = void(float* out,      // (n)
                              const float* a,  // (n)
                              const float* b,  // (n)
                              int64_t n, bool relu);
AverageForwardFn average_forward_cpu, average_forward_cuda;

// da += dout / 2 and db += dout / 2 where out > 0 (everywhere when !relu); da, db may be null.
using AverageBackwardFn = void(float* da,          // (n) or null
                               float* db,          // (n) or null
                               const float* dout,  // (n)
                               const float* out,   // (n) the forward's output
                               int64_t n, bool relu);
AverageBackwardFn average_backward_cpu, average_backward_cuda;

}  // namespace nasflat::kernels
