// elementwise_fast.cpp — fast CPU versions of the elementwise kernels whose plain-loop references
// (elementwise.cpp) are slow: one loop per op (no switch inside), rows x contiguous columns
// instead of `i % nb` (no integer division), and a vectorisable exp for the sigmoid and softplus.
// Same contracts as elementwise.h; the references stay the oracles.
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/elementwise/elementwise.h"
#include "kernels/elementwise/elementwise_math.h"
#include "kernels/fast_exp.h"

namespace nasflat::kernels {
namespace {
// The GELU (elementwise_math.h) with fast_exp in place of expf: the same s, 1 - s split.
inline GeluSigmoid gelu_sigmoid_fast(float x) {
    const float u = kGeluC * (x + kGeluA * x * x * x);
    const float e = fast_exp(-2.0f * std::fabs(u));
    const float big = 1.0f / (1.0f + e);
    const float small = e * big;
    return u >= 0.0f ? GeluSigmoid{big, small} : GeluSigmoid{small, big};
}
}  // namespace

void unary_forward_cpu_fast(UnaryOp op, float* out, const float* x, int64_t n, float alpha) {
    switch (op) {
        case UnaryOp::Relu:
            for (int64_t i = 0; i < n; ++i) out[i] = x[i] > 0.0f ? x[i] : 0.0f;
            break;
        case UnaryOp::LeakyRelu:
            for (int64_t i = 0; i < n; ++i) out[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
            break;
        case UnaryOp::Sigmoid:
            for (int64_t i = 0; i < n; ++i) out[i] = 1.0f / (1.0f + fast_exp(-x[i]));
            break;
        // exp and log keep the library functions: fast_exp clamps at +-87, where std::exp
        // overflows to inf or underflows, and the reference's values are the contract.
        case UnaryOp::Exp:
            for (int64_t i = 0; i < n; ++i) out[i] = std::exp(x[i]);
            break;
        case UnaryOp::Log:
            for (int64_t i = 0; i < n; ++i) out[i] = std::log(x[i]);
            break;
        case UnaryOp::Softplus:  // e^-|x| lies in (0, 1]: the clamp of fast_exp never bites
            for (int64_t i = 0; i < n; ++i) {
                out[i] = (x[i] > 0.0f ? x[i] : 0.0f) + std::log1p(fast_exp(-std::fabs(x[i])));
            }
            break;
        case UnaryOp::Abs:
            for (int64_t i = 0; i < n; ++i) out[i] = std::fabs(x[i]);
            break;
        case UnaryOp::Gelu:
            for (int64_t i = 0; i < n; ++i) out[i] = x[i] * gelu_sigmoid_fast(x[i]).s;
            break;
    }
}

void unary_backward_cpu_fast(UnaryOp op, float* dx, const float* dout, const float* x,
                             const float* y, int64_t n, float alpha) {
    switch (op) {
        case UnaryOp::Relu:
            for (int64_t i = 0; i < n; ++i) dx[i] += x[i] > 0.0f ? dout[i] : 0.0f;
            break;
        case UnaryOp::LeakyRelu:
            for (int64_t i = 0; i < n; ++i) dx[i] += x[i] > 0.0f ? dout[i] : alpha * dout[i];
            break;
        case UnaryOp::Sigmoid:
            for (int64_t i = 0; i < n; ++i) dx[i] += dout[i] * y[i] * (1.0f - y[i]);
            break;
        case UnaryOp::Exp:
            for (int64_t i = 0; i < n; ++i) dx[i] += dout[i] * y[i];
            break;
        case UnaryOp::Log:
            for (int64_t i = 0; i < n; ++i) dx[i] += dout[i] / x[i];
            break;
        case UnaryOp::Softplus:  // softplus' = sigmoid(x)
            for (int64_t i = 0; i < n; ++i) dx[i] += dout[i] / (1.0f + fast_exp(-x[i]));
            break;
        case UnaryOp::Abs:
            for (int64_t i = 0; i < n; ++i) {
                dx[i] += x[i] > 0.0f ? dout[i] : (x[i] < 0.0f ? -dout[i] : 0.0f);
            }
            break;
        case UnaryOp::Gelu:  // gelu' = s + 2 c x s (1 - s) (1 + 3 a x^2)
            for (int64_t i = 0; i < n; ++i) {
                const GeluSigmoid g = gelu_sigmoid_fast(x[i]);
                const float bell = 2.0f * kGeluC * x[i] * g.s * g.one_minus_s;
                dx[i] += dout[i] * (g.s + bell * (1.0f + 3.0f * kGeluA * x[i] * x[i]));
            }
            break;
    }
}

// a viewed as (rows, nb); b (nb) broadcast over rows.
void binary_forward_cpu_fast(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                             int64_t nb) {
    const int64_t rows = nb == 0 ? 0 : n / nb;
    for (int64_t r = 0; r < rows; ++r) {
        const float* ar = a + r * nb;
        float* o = out + r * nb;
        switch (op) {
            case BinaryOp::Add:
                for (int64_t j = 0; j < nb; ++j) o[j] = ar[j] + b[j];
                break;
            case BinaryOp::Sub:
                for (int64_t j = 0; j < nb; ++j) o[j] = ar[j] - b[j];
                break;
            case BinaryOp::Mul:
                for (int64_t j = 0; j < nb; ++j) o[j] = ar[j] * b[j];
                break;
        }
    }
}

// db accumulates row by row in increasing row order: the reference's summation order.
void binary_backward_cpu_fast(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                              const float* b, int64_t n, int64_t nb) {
    const int64_t rows = nb == 0 ? 0 : n / nb;
    for (int64_t r = 0; r < rows; ++r) {
        const float* g = dout + r * nb;
        const float* ar = a + r * nb;
        float* dar = da ? da + r * nb : nullptr;
        switch (op) {
            case BinaryOp::Add:
                if (dar)
                    for (int64_t j = 0; j < nb; ++j) dar[j] += g[j];
                if (db)
                    for (int64_t j = 0; j < nb; ++j) db[j] += g[j];
                break;
            case BinaryOp::Sub:
                if (dar)
                    for (int64_t j = 0; j < nb; ++j) dar[j] += g[j];
                if (db)
                    for (int64_t j = 0; j < nb; ++j) db[j] -= g[j];
                break;
            case BinaryOp::Mul:
                if (dar)
                    for (int64_t j = 0; j < nb; ++j) dar[j] += g[j] * b[j];
                if (db)
                    for (int64_t j = 0; j < nb; ++j) db[j] += g[j] * ar[j];
                break;
        }
    }
}

// The layer tails, row by row with the optional (F) vectors replaced by zeros so that the
// inner loops have no branches.
namespace {
// One row of the gated residual; kS: s is there, kY: the gate is kept in y. Restrict: with two
// outputs and five inputs GCC gives up its runtime alias checks and keeps the loop scalar.
template <bool kS, bool kY>
void gated_row(float* __restrict__ o, float* __restrict__ y, const float* __restrict__ p,
               const float* __restrict__ gb, const float* __restrict__ m,
               const float* __restrict__ s, const float* __restrict__ b, int64_t F) {
    for (int64_t f = 0; f < F; ++f) {
        const float e = 1.0f + fast_exp(-(p[f] + gb[f]));
        float v;
        if constexpr (kY) {
            const float gate = 1.0f / e;
            y[f] = gate;
            v = gate * m[f];
        } else {
            v = m[f] / e;
        }
        if constexpr (kS) v += s[f];
        o[f] = v + b[f];
    }
}
}  // namespace

void gated_residual_forward_cpu_fast(float* out, float* y, const float* p, const float* gb,
                                     const float* m, const float* s, const float* b,
                                     int64_t rows, int64_t F) {
    const std::vector<float> zero(static_cast<size_t>(F), 0.0f);
    const float* gbv = gb ? gb : zero.data();
    const float* bv = b ? b : zero.data();
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t at = r * F;
        float* yr = y ? y + at : nullptr;
        const float* sr = s ? s + at : nullptr;
        if (s && y) gated_row<true, true>(out + at, yr, p + at, gbv, m + at, sr, bv, F);
        if (s && !y) gated_row<true, false>(out + at, yr, p + at, gbv, m + at, sr, bv, F);
        if (!s && y) gated_row<false, true>(out + at, yr, p + at, gbv, m + at, sr, bv, F);
        if (!s && !y) gated_row<false, false>(out + at, yr, p + at, gbv, m + at, sr, bv, F);
    }
}

namespace {
// Row values src (n) into the gradient g at offset: copied when g is fresh, else added.
void put_row(const GradOut& g, int64_t offset, const float* src, int64_t n) {
    if (!g.ptr) return;
    float* d = g.ptr + offset;
    if (!g.accumulate) {
        std::memcpy(d, src, static_cast<size_t>(n) * sizeof(float));
        return;
    }
    for (int64_t i = 0; i < n; ++i) d[i] += src[i];
}
}  // namespace

// A row's dpre and dout * y into two L1-resident rows, then each gradient takes its row: one
// pass over the (rows, F) tensors, the column sums included (dgb and db add the rows in
// increasing order, the reference's summation order).
void gated_residual_backward_cpu_fast(const GatedResidualGrads& g, const float* dout,
                                      const float* y, const float* m, int64_t rows, int64_t F) {
    std::vector<float> dpre(static_cast<size_t>(F)), gy(static_cast<size_t>(F));
    float* d = dpre.data();
    float* dy = gy.data();
    for (int64_t r = 0; r < rows; ++r) {
        const float *yr = y + r * F, *mr = m + r * F, *gr = dout + r * F;
        for (int64_t f = 0; f < F; ++f) {
            d[f] = gr[f] * mr[f] * yr[f] * (1.0f - yr[f]);
            dy[f] = gr[f] * yr[f];
        }
        put_row(g.dp, r * F, d, F);
        put_row(g.dm, r * F, dy, F);
        put_row(g.ds, r * F, gr, F);
        if (g.dgb)
            for (int64_t f = 0; f < F; ++f) g.dgb[f] += d[f];
        if (g.db)
            for (int64_t f = 0; f < F; ++f) g.db[f] += gr[f];
    }
}

// In blocks of L1-resident values, each gradient taking the block.
void average_backward_cpu_fast(GradOut da, GradOut db, const float* dout, const float* out,
                               int64_t n, bool relu) {
    constexpr int64_t kBlock = 1024;
    float g[kBlock];
    for (int64_t start = 0; start < n; start += kBlock) {
        const int64_t len = n - start < kBlock ? n - start : kBlock;
        const float *gr = dout + start, *o = out + start;
        if (relu) {
            for (int64_t i = 0; i < len; ++i) g[i] = o[i] > 0.0f ? 0.5f * gr[i] : 0.0f;
        } else {
            for (int64_t i = 0; i < len; ++i) g[i] = 0.5f * gr[i];
        }
        put_row(da, start, g, len);
        put_row(db, start, g, len);
    }
}

}  // namespace nasflat::kernels
