// elementwise.h — the elementwise family: memory fills and copies, unary and binary ops with
// broadcast, and the two layer tails of the model (gated residual, branch average), each one
// pass where the op-by-op chain takes four or five.
// One function type per op (the KernelTable's entry, kernels.h) and the backends that define it:
//   *_cpu       elementwise.cpp        plain loops: the spec and the tests' oracle
//   *_cpu_fast  elementwise_fast.cpp   where it pays: one loop per op, rows x columns
//   *_cuda      elementwise.cu         grid-stride kernels
// Dims: n elements; nb elements of a broadcast operand (a viewed as (n / nb, nb)); F features
// of a (rows, F) view. `_forward` assigns its output; `_backward` accumulates (+=), or assigns
// where a GradOut says the buffer is fresh.
#pragma once

#include <cstdint>

namespace nasflat::kernels {

// Exp, Log (x > 0), Softplus = log(1 + e^x) (computed without overflow) and Abs serve
// meta-learning losses and learnable positive rates; Gelu (the tanh approximation) the
// transformer's feed-forward blocks.
enum class UnaryOp { Relu, LeakyRelu, Sigmoid, Exp, Log, Softplus, Abs, Gelu };
enum class BinaryOp { Add, Sub, Mul };

// --- memory --------------------------------------------------------------------------------------
// out[i] = value
// out (n).
using FillFn = void(float* out, int64_t n, float value);
FillFn fill_cpu, fill_cuda;

// out[i] = x[i]
// out (n), x (n).
using CopyFn = void(float* out, const float* x, int64_t n);
CopyFn copy_cpu, copy_cuda;

// out[i] += alpha * x[i]
// out (n), x (n).
using AddScaledFn = void(float* out, const float* x, int64_t n, float alpha);
AddScaledFn add_scaled_cpu, add_scaled_cuda;

// --- unary and binary ----------------------------------------------------------------------------
// out[i] = f(x[i]); alpha is LeakyReLU's negative slope.
// out (n), x (n).
using UnaryForwardFn = void(UnaryOp op, float* out, const float* x, int64_t n, float alpha);
UnaryForwardFn unary_forward_cpu, unary_forward_cpu_fast, unary_forward_cuda;

// dx[i] += f'(x[i]) dout[i]; y = f(x) (sigmoid and exp read y; the ReLUs, log, softplus, abs and
// gelu read x).
// dx (n), dout (n), x (n), y (n).
using UnaryBackwardFn = void(UnaryOp op, float* dx, const float* dout, const float* x,
                             const float* y, int64_t n, float alpha);
UnaryBackwardFn unary_backward_cpu, unary_backward_cpu_fast, unary_backward_cuda;

// out[i] = a[i] (op) b[i % nb]: b broadcasts over the leading dims of a (n % nb == 0).
// out (n), a (n), b (nb).
using BinaryForwardFn = void(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                             int64_t nb);
BinaryForwardFn binary_forward_cpu, binary_forward_cpu_fast, binary_forward_cuda;

// da[i] += d/da; db[j] += sum over i with i % nb == j of d/db. da or db may be null.
// da (n) or null, db (nb) or null, dout (n), a (n), b (nb).
using BinaryBackwardFn = void(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                              const float* b, int64_t n, int64_t nb);
BinaryBackwardFn binary_backward_cpu, binary_backward_cpu_fast, binary_backward_cuda;

// --- layer tails ---------------------------------------------------------------------------------
// out = sigmoid(p + gb) * m + s + b: the gated residual of a graph-flow layer; with s and b
// null, the gated mix an attention layer feeds to its layer norm. gb, s, b may be null (= 0).
// y, when not null, receives the gate sigmoid(p + gb) for the backward (training keeps it:
// recomputing the exp there made the backward compute-bound).
// out (rows, F), y (rows, F) or null, p (rows, F), gb (F) or null, m (rows, F),
// s (rows, F) or null, b (F) or null.
using GatedResidualForwardFn = void(float* out, float* y, const float* p, const float* gb,
                                    const float* m, const float* s, const float* b, int64_t rows,
                                    int64_t F);
GatedResidualForwardFn gated_residual_forward_cpu, gated_residual_forward_cpu_fast,
    gated_residual_forward_cuda;

// A gradient a backward kernel sends to one input: `ptr` null when the input wants none;
// `accumulate` false when the buffer holds no gradient yet (its memory is uninitialised): the
// kernel then assigns every element instead of adding, which spares the zero fill and a read.
struct GradOut {
    float* ptr = nullptr;
    bool accumulate = true;
};

// The gated residual's gradients: with the forward's gate y and dpre = dout * m * y (1 - y),
// dp gets dpre, dm gets dout * y, ds gets dout (each assigned or added, see GradOut); dgb += the
// column sums of dpre, db += those of dout. Every one may be null; dp, dm, ds are distinct
// buffers.
struct GatedResidualGrads {
    GradOut dp, dm, ds;   // (rows, F) each
    float* dgb = nullptr;  // (F)
    float* db = nullptr;   // (F)
};
// dout (rows, F), y (rows, F) the forward's gate, m (rows, F).
using GatedResidualBackwardFn = void(const GatedResidualGrads& g, const float* dout,
                                     const float* y, const float* m, int64_t rows, int64_t F);
GatedResidualBackwardFn gated_residual_backward_cpu, gated_residual_backward_cpu_fast,
    gated_residual_backward_cuda;

// out = (a + b) / 2, then max(., 0) when relu (an ensemble layer's two branches joined).
// out (n), a (n), b (n).
using AverageForwardFn = void(float* out, const float* a, const float* b, int64_t n, bool relu);
AverageForwardFn average_forward_cpu, average_forward_cuda;

// da and db get dout / 2 where out > 0 (everywhere when !relu), 0 elsewhere, each assigned or
// added (GradOut); either may be null, and they are distinct buffers.
// da (n), db (n), dout (n), out (n) the forward's output.
using AverageBackwardFn = void(GradOut da, GradOut db, const float* dout, const float* out,
                               int64_t n, bool relu);
AverageBackwardFn average_backward_cpu, average_backward_cpu_fast, average_backward_cuda;

}  // namespace nasflat::kernels
