// norm.cu — CUDA softmax (over any dim) and layer norm (over the last dim): norm.h.
// Dims: softmax input viewed as (outer, len, inner), row-major; layer norm over (rows, cols).
// Reference twins: norm.cpp. Bench: bench/bench_kernels.cpp.
// Layout choices: softmax over the last dim (inner == 1) and layer norm use one warp per row
// (lanes over the contiguous row, shuffle reductions); softmax over an inner dim uses one thread
// per (o, i) column, so neighbouring threads read neighbouring i. Layer norm's dgamma and dbeta
// are deterministic two-pass column sums (cuda_columns.cuh): no atomics.
#include <cmath>

#include "kernels/cuda_columns.cuh"
#include "kernels/cuda_common.cuh"
#include "kernels/norm/norm.h"

namespace nasflat::kernels {

using namespace cuda_detail;

// --- softmax -----------------------------------------------------------------------------------

// forward: y_l = exp(x_l - max) / sum_k exp(x_k - max), one warp per row of (outer, len)
static __global__ void softmax_forward_rows_kernel(float* __restrict__ out,      // (outer, len)
                                                   const float* __restrict__ x,  // (outer, len)
                                                   int64_t outer, int64_t len) {
    for (int64_t o = global_warp(); o < outer; o += grid_warps()) {
        const float* xr = x + o * len;
        float* yr = out + o * len;
        float mx = -INFINITY;
        for (int64_t l = lane_id(); l < len; l += kWarp) mx = fmaxf(mx, xr[l]);
        mx = warp_max(mx);
        float sum = 0.0f;
        for (int64_t l = lane_id(); l < len; l += kWarp) {
            const float e = expf(xr[l] - mx);
            yr[l] = e;
            sum += e;
        }
        sum = warp_sum(sum);
        // Each lane rescales the entries it wrote itself: no barrier needed.
        for (int64_t l = lane_id(); l < len; l += kWarp) yr[l] /= sum;
    }
}

// forward over an inner dim: one thread per column (o, i), l strided by inner
static __global__ void softmax_forward_columns_kernel(
    float* __restrict__ out,      // (outer, len, inner)
    const float* __restrict__ x,  // same
    int64_t outer, int64_t len, int64_t inner) {
    for (int64_t t = global_thread(); t < outer * inner; t += grid_threads()) {
        const int64_t base = (t / inner) * len * inner + t % inner;
        float mx = -INFINITY;
        for (int64_t l = 0; l < len; ++l) mx = fmaxf(mx, x[base + l * inner]);
        float sum = 0.0f;
        for (int64_t l = 0; l < len; ++l) {
            const float e = expf(x[base + l * inner] - mx);
            out[base + l * inner] = e;
            sum += e;
        }
        for (int64_t l = 0; l < len; ++l) out[base + l * inner] /= sum;
    }
}

// backward: dx_l += y_l (dy_l - sum_k y_k dy_k), one warp per row of (outer, len)
static __global__ void softmax_backward_rows_kernel(float* __restrict__ dx,          // (outer, len)
                                                    const float* __restrict__ dout,  // (outer, len)
                                                    const float* __restrict__ y,     // (outer, len)
                                                    int64_t outer, int64_t len) {
    for (int64_t o = global_warp(); o < outer; o += grid_warps()) {
        const int64_t base = o * len;
        float dot = 0.0f;
        for (int64_t l = lane_id(); l < len; l += kWarp) dot += y[base + l] * dout[base + l];
        dot = warp_sum(dot);
        for (int64_t l = lane_id(); l < len; l += kWarp) {
            dx[base + l] += y[base + l] * (dout[base + l] - dot);
        }
    }
}

// backward over an inner dim: one thread per column (o, i)
static __global__ void softmax_backward_columns_kernel(
    float* __restrict__ dx,          // (outer, len, inner)
    const float* __restrict__ dout,  // same
    const float* __restrict__ y,     // same
    int64_t outer, int64_t len, int64_t inner) {
    for (int64_t t = global_thread(); t < outer * inner; t += grid_threads()) {
        const int64_t base = (t / inner) * len * inner + t % inner;
        float dot = 0.0f;
        for (int64_t l = 0; l < len; ++l) dot += y[base + l * inner] * dout[base + l * inner];
        for (int64_t l = 0; l < len; ++l) {
            dx[base + l * inner] += y[base + l * inner] * (dout[base + l * inner] - dot);
        }
    }
}

void softmax_forward_cuda(float* out, const float* x, int64_t outer, int64_t len, int64_t inner) {
    if (outer <= 0 || len <= 0 || inner <= 0) return;
    if (inner == 1) {
        softmax_forward_rows_kernel<<<warp_blocks_for(outer), kThreads>>>(out, x, outer, len);
    } else {
        softmax_forward_columns_kernel<<<blocks_for(outer * inner, kThreads), kThreads>>>(
            out, x, outer, len, inner);
    }
    CUDA_CHECK(cudaGetLastError());
}

void softmax_backward_cuda(float* dx, const float* dout, const float* y, int64_t outer, int64_t len,
                           int64_t inner) {
    if (outer <= 0 || len <= 0 || inner <= 0) return;
    if (inner == 1) {
        softmax_backward_rows_kernel<<<warp_blocks_for(outer), kThreads>>>(dx, dout, y, outer, len);
    } else {
        softmax_backward_columns_kernel<<<blocks_for(outer * inner, kThreads), kThreads>>>(
            dx, dout, y, outer, len, inner);
    }
    CUDA_CHECK(cudaGetLastError());
}

// masked softmax over the last dim (norm.h): one warp per row, as softmax_forward_rows_kernel, with
// masked entries skipped in the max and the sum and written as 0; a row with none allowed is 0.
static __global__ void masked_softmax_forward_kernel(float* __restrict__ out,         // (rows, len)
                                                     const float* __restrict__ x,     // (rows, len)
                                                     const float* __restrict__ mask,  // (rows, len)
                                                     int64_t rows, int64_t len) {
    for (int64_t r = global_warp(); r < rows; r += grid_warps()) {
        const float* xr = x + r * len;
        const float* mr = mask + r * len;
        float* yr = out + r * len;
        float mx = -INFINITY;
        for (int64_t l = lane_id(); l < len; l += kWarp) {
            if (mr[l] != 0.0f) mx = fmaxf(mx, xr[l]);
        }
        mx = warp_max(mx);
        float sum = 0.0f;
        for (int64_t l = lane_id(); l < len; l += kWarp) {
            const float e = mr[l] != 0.0f ? expf(xr[l] - mx) : 0.0f;
            yr[l] = e;
            sum += e;
        }
        sum = warp_sum(sum);
        if (sum == 0.0f) continue;  // every lane holds the same sum: the row stays zero
        for (int64_t l = lane_id(); l < len; l += kWarp) yr[l] /= sum;
    }
}

void masked_softmax_forward_cuda(float* out, const float* x, const float* mask, int64_t rows,
                                 int64_t len) {
    if (rows <= 0 || len <= 0) return;
    masked_softmax_forward_kernel<<<warp_blocks_for(rows), kThreads>>>(out, x, mask, rows, len);
    CUDA_CHECK(cudaGetLastError());
}

// --- layer norm --------------------------------------------------------------------------------

// forward: xhat = (x - mean) rstd, rstd = 1 / sqrt(var + eps) (biased var, two passes over the
// row for accuracy); out = xhat gamma + beta. One warp per row.
static __global__ void layer_norm_forward_kernel(float* __restrict__ out,          // (rows, cols)
                                                 float* __restrict__ mean,         // (rows)
                                                 float* __restrict__ rstd,         // (rows)
                                                 const float* __restrict__ x,      // (rows, cols)
                                                 const float* __restrict__ gamma,  // (cols)
                                                 const float* __restrict__ beta,   // (cols)
                                                 int64_t rows, int64_t cols, float eps) {
    for (int64_t r = global_warp(); r < rows; r += grid_warps()) {
        const float* xr = x + r * cols;
        float sum = 0.0f;
        for (int64_t c = lane_id(); c < cols; c += kWarp) sum += xr[c];
        const float mu = warp_sum(sum) / static_cast<float>(cols);
        float sq = 0.0f;
        for (int64_t c = lane_id(); c < cols; c += kWarp) sq += (xr[c] - mu) * (xr[c] - mu);
        const float var = warp_sum(sq) / static_cast<float>(cols);
        const float rs = 1.0f / sqrtf(var + eps);
        if (lane_id() == 0) {
            mean[r] = mu;
            rstd[r] = rs;
        }
        for (int64_t c = lane_id(); c < cols; c += kWarp) {
            out[r * cols + c] = (xr[c] - mu) * rs * gamma[c] + beta[c];
        }
    }
}

// backward, dx: g_c = dout_c gamma_c; dx_c += rstd (g_c - mean(g) - xhat_c mean(g xhat)).
// One warp per row.
static __global__ void layer_norm_backward_dx_kernel(
    float* __restrict__ dx,           // (rows, cols)
    const float* __restrict__ dout,   // (rows, cols)
    const float* __restrict__ x,      // (rows, cols)
    const float* __restrict__ mean,   // (rows)
    const float* __restrict__ rstd,   // (rows)
    const float* __restrict__ gamma,  // (cols)
    int64_t rows, int64_t cols) {
    for (int64_t r = global_warp(); r < rows; r += grid_warps()) {
        const int64_t base = r * cols;
        const float mu = mean[r], rs = rstd[r];
        float sg = 0.0f, sgx = 0.0f;
        for (int64_t c = lane_id(); c < cols; c += kWarp) {
            const float g = dout[base + c] * gamma[c];
            sg += g;
            sgx += g * ((x[base + c] - mu) * rs);
        }
        const float mg = warp_sum(sg) / static_cast<float>(cols);
        const float mgx = warp_sum(sgx) / static_cast<float>(cols);
        for (int64_t c = lane_id(); c < cols; c += kWarp) {
            const float xhat = (x[base + c] - mu) * rs;
            dx[base + c] += rs * (dout[base + c] * gamma[c] - mg - xhat * mgx);
        }
    }
}

// backward, parameters: dgamma_c += sum_r dout_rc xhat_rc; dbeta_c += sum_r dout_rc, both as
// the two-pass column sums of cuda_columns.cuh.
struct LayerNormParamValue {
    const float* dout;  // (rows, cols)
    const float* x;     // (rows, cols)
    const float* mean;  // (rows)
    const float* rstd;  // (rows)
    int64_t cols;
    __device__ void operator()(int64_t r, int64_t c, float (&v)[2]) const {
        const float g = dout[r * cols + c];
        v[0] = g * ((x[r * cols + c] - mean[r]) * rstd[r]);
        v[1] = g;
    }
};

void layer_norm_forward_cuda(float* out, float* mean, float* rstd, const float* x,
                             const float* gamma, const float* beta, int64_t rows, int64_t cols,
                             float eps) {
    if (rows <= 0 || cols <= 0) return;
    layer_norm_forward_kernel<<<warp_blocks_for(rows), kThreads>>>(out, mean, rstd, x, gamma, beta,
                                                                   rows, cols, eps);
    CUDA_CHECK(cudaGetLastError());
}

void layer_norm_backward_cuda(float* dx, float* dgamma, float* dbeta, const float* dout,
                              const float* x, const float* mean, const float* rstd,
                              const float* gamma, int64_t rows, int64_t cols) {
    if (rows <= 0 || cols <= 0) return;
    if (dx != nullptr) {
        layer_norm_backward_dx_kernel<<<warp_blocks_for(rows), kThreads>>>(dx, dout, x, mean, rstd,
                                                                           gamma, rows, cols);
        CUDA_CHECK(cudaGetLastError());
    }
    if (dgamma != nullptr || dbeta != nullptr) {
        column_sums<2>(dgamma, dbeta, LayerNormParamValue{dout, x, mean, rstd, cols}, rows, cols,
                       true);
    }
}

}  // namespace nasflat::kernels
