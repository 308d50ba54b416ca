// norm.cpp — CPU reference softmax (over any dim, or masked over the last) and layer norm (over
// the last dim): norm.h.
// Dims: softmax input viewed as (outer, len, inner); layer norm over (rows, cols).
// Fast layer norm: norm_fast.cpp. CUDA twins: norm.cu.
#include <cmath>

#include "kernels/norm/norm.h"

namespace nasflat::kernels {

// forward: y_l = exp(x_l - max) / sum_k exp(x_k - max)
void softmax_forward_cpu(float* out, const float* x, int64_t outer, int64_t len, int64_t inner) {
    for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
            const float* xs = x + o * len * inner + i;
            float* ys = out + o * len * inner + i;
            float mx = -INFINITY;
            for (int64_t l = 0; l < len; ++l) mx = std::fmax(mx, xs[l * inner]);
            float sum = 0.0f;
            for (int64_t l = 0; l < len; ++l) {
                ys[l * inner] = std::exp(xs[l * inner] - mx);
                sum += ys[l * inner];
            }
            for (int64_t l = 0; l < len; ++l) ys[l * inner] /= sum;
        }
    }
}

// backward: dx_l += y_l (dy_l - sum_k y_k dy_k)
void softmax_backward_cpu(float* dx, const float* dout, const float* y, int64_t outer,
                          int64_t len, int64_t inner) {
    for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
            int64_t base = o * len * inner + i;
            float dot = 0.0f;
            for (int64_t l = 0; l < len; ++l) dot += y[base + l * inner] * dout[base + l * inner];
            for (int64_t l = 0; l < len; ++l) {
                dx[base + l * inner] += y[base + l * inner] * (dout[base + l * inner] - dot);
            }
        }
    }
}

// forward: y_l = [mask_l] exp(x_l - m) / sum_k [mask_k] exp(x_k - m), m = max over allowed
void masked_softmax_forward_cpu(float* out, const float* x, const float* mask, int64_t rows,
                                int64_t len) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* xs = x + r * len;
        const float* ms = mask + r * len;
        float* ys = out + r * len;
        float mx = -INFINITY;
        for (int64_t l = 0; l < len; ++l) {
            if (ms[l] != 0.0f) mx = std::fmax(mx, xs[l]);
        }
        float sum = 0.0f;
        for (int64_t l = 0; l < len; ++l) {
            ys[l] = ms[l] != 0.0f ? std::exp(xs[l] - mx) : 0.0f;
            sum += ys[l];
        }
        if (sum == 0.0f) continue;  // no allowed key: the row stays zero
        for (int64_t l = 0; l < len; ++l) ys[l] /= sum;
    }
}

// forward: xhat = (x - mean) rstd, rstd = 1 / sqrt(var + eps) (biased var); out = xhat g + b
void layer_norm_forward_cpu(float* out, float* mean, float* rstd, const float* x,
                            const float* gamma, const float* beta, int64_t rows, int64_t cols,
                            float eps) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* xr = x + r * cols;
        double mu = 0.0;
        for (int64_t c = 0; c < cols; ++c) mu += xr[c];
        mu /= static_cast<double>(cols);
        double var = 0.0;
        for (int64_t c = 0; c < cols; ++c) var += (xr[c] - mu) * (xr[c] - mu);
        var /= static_cast<double>(cols);
        float rs = static_cast<float>(1.0 / std::sqrt(var + eps));
        mean[r] = static_cast<float>(mu);
        rstd[r] = rs;
        for (int64_t c = 0; c < cols; ++c) {
            float xhat = (xr[c] - mean[r]) * rs;
            out[r * cols + c] = xhat * gamma[c] + beta[c];
        }
    }
}

// backward: g_c = dout_c gamma_c;  dx_c += rstd (g_c - mean(g) - xhat_c mean(g xhat))
//           dgamma_c += sum_r dout_rc xhat_rc;  dbeta_c += sum_r dout_rc
void layer_norm_backward_cpu(float* dx, float* dgamma, float* dbeta, const float* dout,
                             const float* x, const float* mean, const float* rstd,
                             const float* gamma, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* xr = x + r * cols;
        const float* gr = dout + r * cols;
        float mg = 0.0f, mgx = 0.0f;
        for (int64_t c = 0; c < cols; ++c) {
            float xhat = (xr[c] - mean[r]) * rstd[r];
            float g = gr[c] * gamma[c];
            mg += g;
            mgx += g * xhat;
        }
        mg /= static_cast<float>(cols);
        mgx /= static_cast<float>(cols);
        for (int64_t c = 0; c < cols; ++c) {
            float xhat = (xr[c] - mean[r]) * rstd[r];
            if (dx) dx[r * cols + c] += rstd[r] * (gr[c] * gamma[c] - mg - xhat * mgx);
        }
    }
    // Column sums in increasing row order (deterministic).
    for (int64_t c = 0; c < cols; ++c) {
        float sg = 0.0f, sb = 0.0f;
        for (int64_t r = 0; r < rows; ++r) {
            float xhat = (x[r * cols + c] - mean[r]) * rstd[r];
            sg += dout[r * cols + c] * xhat;
            sb += dout[r * cols + c];
        }
        if (dgamma) dgamma[c] += sg;
        if (dbeta) dbeta[c] += sb;
    }
}

}  // namespace nasflat::kernels
