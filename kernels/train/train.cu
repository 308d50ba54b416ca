// train.cu — CUDA kernels used only by training (train.h): dropout, the losses, AdamW.
// Dims: n elements, P pairs, S scores (by_score.num_rows). Reference twins: train.cpp.
// Determinism: dropout draws its mask from hash_uniform(seed, i) (kernels/base/rng.h), the same
// function the CPU uses, so both paths drop the same elements; scalar losses are summed by one
// block in double with a fixed tree; the hinge gradient is written per pair, then gathered per
// score through the by-score CSR. No atomics.
#include "kernels/cuda_common.cuh"
#include "kernels/train/train.h"
#include "kernels/base/rng.h"

namespace nasflat::kernels {

using namespace cuda_detail;

constexpr int kLossThreads = 1024;  // the single block that reduces a scalar loss

// Sums `v` over the block in a fixed tree; thread 0 gets the total. blockDim.x == kLossThreads.
static __device__ double block_sum_double(double v) {
    __shared__ double smem[kLossThreads];
    smem[threadIdx.x] = v;
    __syncthreads();
    for (unsigned int half = blockDim.x / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) smem[threadIdx.x] += smem[threadIdx.x + half];
        __syncthreads();
    }
    return smem[0];
}

// --- dropout -----------------------------------------------------------------------------------

// forward: out_i = x_i keep_i scale, keep_i = [hash_uniform(seed, i) >= p], scale = 1 / (1 - p)
static __global__ void dropout_forward_kernel(float* __restrict__ out,      // (n)
                                              const float* __restrict__ x,  // (n)
                                              int64_t n, float p, float scale, uint64_t seed) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        const bool keep = hash_uniform(seed, static_cast<uint64_t>(i)) >= p;
        out[i] = keep ? x[i] * scale : 0.0f;
    }
}

// backward: dx_i += dout_i keep_i scale   (the mask is recomputed, never stored)
static __global__ void dropout_backward_kernel(float* __restrict__ dx,          // (n)
                                               const float* __restrict__ dout,  // (n)
                                               int64_t n, float p, float scale, uint64_t seed) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        if (hash_uniform(seed, static_cast<uint64_t>(i)) >= p) dx[i] += dout[i] * scale;
    }
}

void dropout_forward_cuda(float* out, const float* x, int64_t n, float p, uint64_t seed) {
    if (n <= 0) return;
    const float scale = 1.0f / (1.0f - p);  // computed on the host exactly as train.cpp does
    dropout_forward_kernel<<<blocks_for(n, kThreads), kThreads>>>(out, x, n, p, scale, seed);
    CUDA_CHECK(cudaGetLastError());
}

void dropout_backward_cuda(float* dx, const float* dout, int64_t n, float p, uint64_t seed) {
    if (n <= 0) return;
    const float scale = 1.0f / (1.0f - p);
    dropout_backward_kernel<<<blocks_for(n, kThreads), kThreads>>>(dx, dout, n, p, scale, seed);
    CUDA_CHECK(cudaGetLastError());
}

// --- pairwise hinge ----------------------------------------------------------------------------

// forward: L = (1/P) sum_k max(0, margin - t_k (s_{pi_k} - s_{pj_k})); one block, double sums.
// t_k = +-1 makes t_k * diff exact, so a fused multiply-add cannot change h.
static __global__ void __launch_bounds__(kLossThreads)
    pair_hinge_forward_kernel(float* __restrict__ loss,        // (1)
                              const float* __restrict__ s,     // (S)
                              const int32_t* __restrict__ pi,  // (P)
                              const int32_t* __restrict__ pj,  // (P)
                              const float* __restrict__ sign,  // (P)
                              int64_t P, float margin) {
    double acc = 0.0;
    for (int64_t k = threadIdx.x; k < P; k += blockDim.x) {
        const float h = margin - sign[k] * (s[pi[k]] - s[pj[k]]);
        acc += h > 0.0f ? h : 0.0f;
    }
    const double total = block_sum_double(acc);
    if (threadIdx.x == 0)
        loss[0] = P > 0 ? static_cast<float>(total / static_cast<double>(P)) : 0.0f;
}

// backward, step 1: per pair g_k = -t_k [h_k > 0] dL / P, written to work (no scatter)
static __global__ void pair_hinge_pair_grad_kernel(float* __restrict__ work,         // (P)
                                                   const float* __restrict__ dloss,  // (1)
                                                   const float* __restrict__ s,      // (S)
                                                   const int32_t* __restrict__ pi,   // (P)
                                                   const int32_t* __restrict__ pj,   // (P)
                                                   const float* __restrict__ sign,   // (P)
                                                   int64_t P, float margin) {
    const float scale = dloss[0] / static_cast<float>(P);
    for (int64_t k = global_thread(); k < P; k += grid_threads()) {
        const float h = margin - sign[k] * (s[pi[k]] - s[pj[k]]);
        work[k] = h > 0.0f ? -sign[k] * scale : 0.0f;
    }
}

// backward, step 2: ds_m += sum over pair ends q of score m of (q < P ? g_q : -g_{q-P}),
// one thread per score walking its by-score CSR row
static __global__ void pair_hinge_gather_kernel(float* __restrict__ ds,               // (S)
                                                const float* __restrict__ work,       // (P)
                                                const int32_t* __restrict__ row_ptr,  // (S + 1)
                                                const int32_t* __restrict__ col,      // (2P)
                                                int64_t S, int64_t P) {
    for (int64_t m = global_thread(); m < S; m += grid_threads()) {
        float acc = 0.0f;
        for (int32_t e = row_ptr[m]; e < row_ptr[m + 1]; ++e) {
            const int64_t q = col[e];
            acc += q < P ? work[q] : -work[q - P];
        }
        ds[m] += acc;
    }
}

void pair_hinge_forward_cuda(float* loss, const float* s, const int32_t* pi, const int32_t* pj,
                             const float* sign, int64_t P, float margin) {
    // Always one block, even for P == 0: the loss must still be written (as 0).
    pair_hinge_forward_kernel<<<1, kLossThreads>>>(loss, s, pi, pj, sign, P, margin);
    CUDA_CHECK(cudaGetLastError());
}

void pair_hinge_backward_cuda(float* ds, const float* dloss, const float* s, const int32_t* pi,
                              const int32_t* pj, const float* sign, int64_t P, float margin,
                              CsrView by_score, float* work) {
    if (P <= 0 || by_score.num_rows <= 0) return;
    pair_hinge_pair_grad_kernel<<<blocks_for(P, kThreads), kThreads>>>(work, dloss, s, pi, pj, sign,
                                                                       P, margin);
    CUDA_CHECK(cudaGetLastError());
    pair_hinge_gather_kernel<<<blocks_for(by_score.num_rows, kThreads), kThreads>>>(
        ds, work, by_score.row_ptr, by_score.col, by_score.num_rows, P);
    CUDA_CHECK(cudaGetLastError());
}

// --- mean squared error ------------------------------------------------------------------------

// forward: L = (1/n) sum (pred - target)^2; one block, double sums
static __global__ void __launch_bounds__(kLossThreads)
    mse_forward_kernel(float* __restrict__ loss,          // (1)
                       const float* __restrict__ pred,    // (n)
                       const float* __restrict__ target,  // (n)
                       int64_t n) {
    double acc = 0.0;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
        const double d = static_cast<double>(pred[i]) - target[i];
        acc += d * d;
    }
    const double total = block_sum_double(acc);
    if (threadIdx.x == 0)
        loss[0] = n > 0 ? static_cast<float>(total / static_cast<double>(n)) : 0.0f;
}

// backward: dpred_i += 2 (pred_i - target_i) dL / n
static __global__ void mse_backward_kernel(float* __restrict__ dpred,         // (n)
                                           const float* __restrict__ dloss,   // (1)
                                           const float* __restrict__ pred,    // (n)
                                           const float* __restrict__ target,  // (n)
                                           int64_t n) {
    const float scale = 2.0f * dloss[0] / static_cast<float>(n);
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        dpred[i] += scale * (pred[i] - target[i]);
    }
}

void mse_forward_cuda(float* loss, const float* pred, const float* target, int64_t n) {
    mse_forward_kernel<<<1, kLossThreads>>>(loss, pred, target, n);  // writes 0 when n == 0
    CUDA_CHECK(cudaGetLastError());
}

void mse_backward_cuda(float* dpred, const float* dloss, const float* pred, const float* target,
                       int64_t n) {
    if (n <= 0) return;
    mse_backward_kernel<<<blocks_for(n, kThreads), kThreads>>>(dpred, dloss, pred, target, n);
    CUDA_CHECK(cudaGetLastError());
}

// --- L1 (sum) ----------------------------------------------------------------------------------

// forward: L = sum |pred - target|; one block, double sums
static __global__ void __launch_bounds__(kLossThreads)
    l1_forward_kernel(float* __restrict__ loss,          // (1)
                      const float* __restrict__ pred,    // (n)
                      const float* __restrict__ target,  // (n)
                      int64_t n) {
    double acc = 0.0;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
        acc += fabs(static_cast<double>(pred[i]) - target[i]);
    }
    const double total = block_sum_double(acc);
    if (threadIdx.x == 0) loss[0] = static_cast<float>(total);
}

// backward: dpred_i += sign(pred_i - target_i) dL
static __global__ void l1_backward_kernel(float* __restrict__ dpred,         // (n)
                                          const float* __restrict__ dloss,   // (1)
                                          const float* __restrict__ pred,    // (n)
                                          const float* __restrict__ target,  // (n)
                                          int64_t n) {
    const float g = dloss[0];
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        const float d = pred[i] - target[i];
        dpred[i] += d > 0.0f ? g : d < 0.0f ? -g : 0.0f;
    }
}

void l1_forward_cuda(float* loss, const float* pred, const float* target, int64_t n) {
    l1_forward_kernel<<<1, kLossThreads>>>(loss, pred, target, n);  // writes 0 when n == 0
    CUDA_CHECK(cudaGetLastError());
}

void l1_backward_cuda(float* dpred, const float* dloss, const float* pred, const float* target,
                      int64_t n) {
    if (n <= 0) return;
    l1_backward_kernel<<<blocks_for(n, kThreads), kThreads>>>(dpred, dloss, pred, target, n);
    CUDA_CHECK(cudaGetLastError());
}

// --- AdamW -------------------------------------------------------------------------------------

// p <- p - lr wd p;  m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
// p <- p - lr (m / c1) / (sqrt(v / c2) + eps)          (PyTorch AdamW semantics)
static __global__ void adamw_step_kernel(float* __restrict__ param,       // (n)
                                         const float* __restrict__ grad,  // (n)
                                         float* __restrict__ m,           // (n)
                                         float* __restrict__ v,           // (n)
                                         int64_t n, float lr, float beta1, float beta2, float eps,
                                         float weight_decay, float c1, float c2) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        const float g = grad[i];
        const float p = param[i] * (1.0f - lr * weight_decay);
        const float mi = beta1 * m[i] + (1.0f - beta1) * g;
        const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        param[i] = p - lr * (mi / c1) / (sqrtf(vi / c2) + eps);
    }
}

void adamw_step_cuda(float* param, const float* grad, float* m, float* v, int64_t n, float lr,
                     float beta1, float beta2, float eps, float weight_decay, float c1, float c2) {
    if (n <= 0) return;
    adamw_step_kernel<<<blocks_for(n, kThreads), kThreads>>>(param, grad, m, v, n, lr, beta1, beta2,
                                                             eps, weight_decay, c1, c2);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::kernels
