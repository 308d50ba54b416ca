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
using DropoutForwardFn = void(float* out,      // (n)
                              const float* x,  // (n)
                              int64_t n, float p, uint64_t seed);
DropoutForwardFn dropout_forward_cpu, dropout_forward_cuda;

// dx[i] += dout[i] * keep(i) / (1 - p)
using DropoutBackwardFn = void(float* dx,          // (n)
                               const float* dout,  // (n)
                               int64_t n, float p, uint64_t seed);
DropoutBackwardFn dropout_backward_cpu, dropout_backward_cuda;

// --- losses --------------------------------------------------------------------------------------
// loss = mean over pairs k of max(0, margin - sign[k] * (s[pi[k]] - s[pj[k]]))
using PairHingeForwardFn = void(float* loss,         // (1)
                                const float* s,      // (S) scores
                                const int32_t* pi,   // (P)
                                const int32_t* pj,   // (P)
                                const float* sign,   // (P) +1 or -1
                                int64_t P, float margin);
PairHingeForwardFn pair_hinge_forward_cpu, pair_hinge_forward_cuda;

// ds[m] += dloss[0] / P * sum over the pair ends touching score m of d/ds[m]. `by_score` maps
// each score m to its pair ends q = col[e] in [0, 2P): q < P means m == pi[q] (sign +), q >= P
// means m == pj[q - P] (sign -). A gather, no atomics.
using PairHingeBackwardFn = void(float* ds,           // (S)
                                 const float* dloss,  // (1)
                                 const float* s,      // (S)
                                 const int32_t* pi,   // (P)
                                 const int32_t* pj,   // (P)
                                 const float* sign,   // (P)
                                 int64_t P, float margin,
                                 CsrView by_score,  // S rows over 2P pair ends
                                 float* work);      // (P) scratch
PairHingeBackwardFn pair_hinge_backward_cpu, pair_hinge_backward_cuda;

// loss = mean (pred - target)^2
using MseForwardFn = void(float* loss,           // (1)
                          const float* pred,     // (n)
                          const float* target,   // (n)
                          int64_t n);
MseForwardFn mse_forward_cpu, mse_forward_cuda;

// dpred += dloss[0] * 2 (pred - target) / n
using MseBackwardFn = void(float* dpred,         // (n)
                           const float* dloss,   // (1)
                           const float* pred,    // (n)
                           const float* target,  // (n)
                           int64_t n);
MseBackwardFn mse_backward_cpu, mse_backward_cuda;

// --- optimiser -----------------------------------------------------------------------------------
// Decoupled weight decay (Loshchilov & Hutter): p -= lr * wd * p; then the Adam update with bias
// corrections c1 = 1 - beta1^t, c2 = 1 - beta2^t.
using AdamwStepFn = void(float* param,       // (n)
                         const float* grad,  // (n)
                         float* m,           // (n) first moment
                         float* v,           // (n) second moment
                         int64_t n, float lr, float beta1, float beta2, float eps,
                         float weight_decay, float c1, float c2);
AdamwStepFn adamw_step_cpu, adamw_step_cuda;

}  // namespace nasflat::kernels
