// train.cpp — CPU reference kernels used only by training (train.h): dropout, the losses, AdamW.
// Dims: n elements, P pairs. CUDA twins: train.cu.
#include <cmath>

#include "kernels/train/train.h"
#include "kernels/base/rng.h"

namespace nasflat::kernels {

// forward: out_i = x_i keep_i / (1 - p), keep_i = [hash_uniform(seed, i) >= p]
void dropout_forward_cpu(float* out, const float* x, int64_t n, float p, uint64_t seed) {
    float scale = 1.0f / (1.0f - p);
    for (int64_t i = 0; i < n; ++i) {
        bool keep = hash_uniform(seed, static_cast<uint64_t>(i)) >= p;
        out[i] = keep ? x[i] * scale : 0.0f;
    }
}

// backward: dx_i += dout_i keep_i / (1 - p)   (the mask is recomputed, never stored)
void dropout_backward_cpu(float* dx, const float* dout, int64_t n, float p, uint64_t seed) {
    float scale = 1.0f / (1.0f - p);
    for (int64_t i = 0; i < n; ++i) {
        bool keep = hash_uniform(seed, static_cast<uint64_t>(i)) >= p;
        if (keep) dx[i] += dout[i] * scale;
    }
}

// forward: L = (1/P) sum_k max(0, margin - t_k (s_i - s_j))
void pair_hinge_forward_cpu(float* loss, const float* s, const int32_t* pi, const int32_t* pj,
                            const float* sign, int64_t P, float margin) {
    double acc = 0.0;
    for (int64_t k = 0; k < P; ++k) {
        float h = margin - sign[k] * (s[pi[k]] - s[pj[k]]);
        acc += h > 0.0f ? h : 0.0f;
    }
    loss[0] = P > 0 ? static_cast<float>(acc / static_cast<double>(P)) : 0.0f;
}

// backward: per pair g_k = -t_k [h_k > 0] dL / P; ds_i += g_k, ds_j -= g_k, gathered per score
void pair_hinge_backward_cpu(float* ds, const float* dloss, const float* s, const int32_t* pi,
                             const int32_t* pj, const float* sign, int64_t P, float margin,
                             CsrView by_score, float* work) {
    if (P == 0) return;
    float scale = dloss[0] / static_cast<float>(P);
    for (int64_t k = 0; k < P; ++k) {
        float h = margin - sign[k] * (s[pi[k]] - s[pj[k]]);
        work[k] = h > 0.0f ? -sign[k] * scale : 0.0f;
    }
    for (int32_t m = 0; m < by_score.num_rows; ++m) {
        float acc = 0.0f;
        for (int32_t e = by_score.row_ptr[m]; e < by_score.row_ptr[m + 1]; ++e) {
            int32_t q = by_score.col[e];
            acc += q < P ? work[q] : -work[q - P];
        }
        ds[m] += acc;
    }
}

// forward: L = (1/n) sum (pred - target)^2
void mse_forward_cpu(float* loss, const float* pred, const float* target, int64_t n) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        double d = static_cast<double>(pred[i]) - target[i];
        acc += d * d;
    }
    loss[0] = n > 0 ? static_cast<float>(acc / static_cast<double>(n)) : 0.0f;
}

// backward: dpred_i += 2 (pred_i - target_i) dL / n
void mse_backward_cpu(float* dpred, const float* dloss, const float* pred, const float* target,
                      int64_t n) {
    if (n == 0) return;
    float scale = 2.0f * dloss[0] / static_cast<float>(n);
    for (int64_t i = 0; i < n; ++i) dpred[i] += scale * (pred[i] - target[i]);
}

// forward: L = sum |pred - target|
void l1_forward_cpu(float* loss, const float* pred, const float* target, int64_t n) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; ++i) acc += std::fabs(static_cast<double>(pred[i]) - target[i]);
    loss[0] = static_cast<float>(acc);
}

// backward: dpred_i += sign(pred_i - target_i) dL
void l1_backward_cpu(float* dpred, const float* dloss, const float* pred, const float* target,
                     int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const float d = pred[i] - target[i];
        dpred[i] += d > 0.0f ? dloss[0] : d < 0.0f ? -dloss[0] : 0.0f;
    }
}

// p <- p - lr wd p;  m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
// p <- p - lr (m / c1) / (sqrt(v / c2) + eps)          (PyTorch AdamW semantics)
void adamw_step_cpu(float* param, const float* grad, float* m, float* v, int64_t n, float lr,
                    float beta1, float beta2, float eps, float weight_decay, float c1, float c2) {
    for (int64_t i = 0; i < n; ++i) {
        float g = grad[i];
        float p = param[i] * (1.0f - lr * weight_decay);
        m[i] = beta1 * m[i] + (1.0f - beta1) * g;
        v[i] = beta2 * v[i] + (1.0f - beta2) * g * g;
        float mhat = m[i] / c1;
        float denom = std::sqrt(v[i] / c2) + eps;
        param[i] = p - lr * mhat / denom;
    }
}

}  // namespace nasflat::kernels
