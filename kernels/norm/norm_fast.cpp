// norm_fast.cpp — the fast CPU layer norm (norm.h): row sums in vectorisable lanes (lane_sum.h)
// and the parameter gradients accumulated row by row. Same contract as layer_norm_*_cpu
// (norm.cpp), which stay the oracles; softmax has no fast version (the reference is fast enough).
#include <cmath>

#include "kernels/lane_sum.h"
#include "kernels/norm/norm.h"

namespace nasflat::kernels {

using fast::lane_sum;

// Row-wise layer norm in one pass over each row for the statistics and one for the output.
void layer_norm_forward_cpu_fast(float* out, float* mean, float* rstd, const float* x,
                                 const float* gamma, const float* beta, int64_t rows, int64_t cols,
                                 float eps) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* xr = x + r * cols;
        const float mu =
            lane_sum(cols, [&](int64_t c) { return xr[c]; }) / static_cast<float>(cols);
        const float v = lane_sum(cols, [&](int64_t c) { return (xr[c] - mu) * (xr[c] - mu); });
        const float rs = 1.0f / std::sqrt(v / static_cast<float>(cols) + eps);
        mean[r] = mu;
        rstd[r] = rs;
        float* o = out + r * cols;
        for (int64_t c = 0; c < cols; ++c) o[c] = (xr[c] - mu) * rs * gamma[c] + beta[c];
    }
}

// dgamma/dbeta accumulate row by row (vectorised over columns) instead of column by column;
// the row sums run in lanes (lane_sum), as in the forward.
void layer_norm_backward_cpu_fast(float* dx, float* dgamma, float* dbeta, const float* dout,
                                  const float* x, const float* mean, const float* rstd,
                                  const float* gamma, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* xr = x + r * cols;
        const float* gr = dout + r * cols;
        const float mu = mean[r], rs = rstd[r];
        const float mg =
            lane_sum(cols, [&](int64_t c) { return gr[c] * gamma[c]; }) / static_cast<float>(cols);
        const float mgx =
            lane_sum(cols, [&](int64_t c) { return gr[c] * gamma[c] * ((xr[c] - mu) * rs); }) /
            static_cast<float>(cols);
        if (dgamma) {
            for (int64_t c = 0; c < cols; ++c) dgamma[c] += gr[c] * ((xr[c] - mu) * rs);
        }
        if (dbeta) {
            for (int64_t c = 0; c < cols; ++c) dbeta[c] += gr[c];
        }
        if (!dx) continue;
        float* dxr = dx + r * cols;
        for (int64_t c = 0; c < cols; ++c) {
            const float xhat = (xr[c] - mu) * rs;
            dxr[c] += rs * (gr[c] * gamma[c] - mg - xhat * mgx);
        }
    }
}

}  // namespace nasflat::kernels
