// train.h — the training family: dropout, the losses, the AdamW step.
// One function type per op (the KernelTable's entry, kernels.h) and the backends that define it:
//   *_cpu    train.cpp   plain loops: the spec and the tests' oracle
//   *_cuda   train.cu    scalar losses reduced by one block in a fixed tree
// Dims: n elements, P pairs, S scores. Scalar losses live in the table's memory: loss[0].
#pragma once

#include <cstdint>

#include "kernels/csr_view.h"

namespace nasflat::kernels {

// --- dropout (the mask is recomputed from (seed, i), never stored) ------------------------------
// out[i] = x[i] * keep(i) / (1 - p), keep(i) = hash_uniform(seed, i) >= p   (kernels/base/rng.h)
// out (n), x (n).
using DropoutForwardFn = void(float* out, const float* x, int64_t n, float p, uint64_t seed);
DropoutForwardFn dropout_forward_cpu, dropout_forward_cuda;

// dx[i] += dout[i] * keep(i) / (1 - p)
// dx (n), dout (n).
using DropoutBackwardFn = void(float* dx, const float* dout, int64_t n, float p, uint64_t seed);
DropoutBackwardFn dropout_backward_cpu, dropout_backward_cuda;

// --- losses --------------------------------------------------------------------------------------
// loss = mean over pairs k of max(0, margin - sign[k] * (s[pi[k]] - s[pj[k]]))
// loss (1), s (S) scores, pi (P), pj (P), sign (P) +1 or -1.
using PairHingeForwardFn = void(float* loss, const float* s, const int32_t* pi, const int32_t* pj,
                                const float* sign, int64_t P, float margin);
PairHingeForwardFn pair_hinge_forward_cpu, pair_hinge_forward_cuda;

// ds[m] += dloss[0] / P * sum over the pair ends touching score m of d/ds[m]. `by_score` maps
// each score m to its pair ends q = col[e] in [0, 2P): q < P means m == pi[q] (sign +), q >= P
// means m == pj[q - P] (sign -). A gather, no atomics.
// ds (S), dloss (1), s (S), pi (P), pj (P), sign (P); by_score: S rows over 2P pair ends;
// work (P) scratch.
using PairHingeBackwardFn = void(float* ds, const float* dloss, const float* s, const int32_t* pi,
                                 const int32_t* pj, const float* sign, int64_t P, float margin,
                                 CsrView by_score, float* work);
PairHingeBackwardFn pair_hinge_backward_cpu, pair_hinge_backward_cuda;

// loss = mean (pred - target)^2
// loss (1), pred (n), target (n).
using MseForwardFn = void(float* loss, const float* pred, const float* target, int64_t n);
MseForwardFn mse_forward_cpu, mse_forward_cuda;

// dpred += dloss[0] * 2 (pred - target) / n
// dpred (n), dloss (1), pred (n), target (n).
using MseBackwardFn = void(float* dpred, const float* dloss, const float* pred, const float* target,
                           int64_t n);
MseBackwardFn mse_backward_cpu, mse_backward_cuda;

// loss = sum |pred - target| (a sum, not a mean: MultiPredict's L1 with reduction 'sum')
// loss (1), pred (n), target (n).
using L1ForwardFn = void(float* loss, const float* pred, const float* target, int64_t n);
L1ForwardFn l1_forward_cpu, l1_forward_cuda;

// dpred += dloss[0] * sign(pred - target), sign(0) = 0 (PyTorch's subgradient)
// dpred (n), dloss (1), pred (n), target (n).
using L1BackwardFn = void(float* dpred, const float* dloss, const float* pred, const float* target,
                          int64_t n);
L1BackwardFn l1_backward_cpu, l1_backward_cuda;

// --- optimiser -----------------------------------------------------------------------------------
// Decoupled weight decay (Loshchilov & Hutter): p -= lr * wd * p; then the Adam update with bias
// corrections c1 = 1 - beta1^t, c2 = 1 - beta2^t.
// param (n), grad (n), m (n) first moment, v (n) second moment.
using AdamwStepFn = void(float* param, const float* grad, float* m, float* v, int64_t n, float lr,
                         float beta1, float beta2, float eps, float weight_decay, float c1,
                         float c2);
AdamwStepFn adamw_step_cpu, adamw_step_cuda;

}  // namespace nasflat::kernels
