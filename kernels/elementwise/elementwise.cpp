// elementwise.cpp — CPU reference kernels of the elementwise family (elementwise.h): memory,
// unary and binary ops with broadcast, the layer tails. Plain loops: the spec and the oracle.
// Dims: n elements, nb elements of a broadcast operand, (rows, F) views for the layer tails.
// Fast versions: elementwise_fast.cpp. CUDA twins: elementwise.cu.
#include <cmath>

#include "kernels/elementwise/elementwise.h"
#include "kernels/elementwise/elementwise_math.h"

namespace nasflat::kernels {

void fill_cpu(float* out, int64_t n, float value) {
    for (int64_t i = 0; i < n; ++i) out[i] = value;
}

void copy_cpu(float* out, const float* x, int64_t n) {
    for (int64_t i = 0; i < n; ++i) out[i] = x[i];
}

void add_scaled_cpu(float* out, const float* x, int64_t n, float alpha) {
    for (int64_t i = 0; i < n; ++i) out[i] += alpha * x[i];
}

// The scalar formulas are elementwise_math.h's (shared with elementwise.cu).
void unary_forward_cpu(UnaryOp op, float* out, const float* x, int64_t n, float alpha) {
    for (int64_t i = 0; i < n; ++i) out[i] = unary_value(op, x[i], alpha);
}

// x is read by the ReLUs, log, softplus and abs; y (the forward's output) by sigmoid and exp.
void unary_backward_cpu(UnaryOp op, float* dx, const float* dout, const float* x, const float* y,
                        int64_t n, float alpha) {
    for (int64_t i = 0; i < n; ++i) {
        dx[i] += unary_grad(op, dout[i], x, y, i, alpha);
    }
}

// out_i = a_i (op) b_{i mod nb}
void binary_forward_cpu(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                        int64_t nb) {
    for (int64_t i = 0; i < n; ++i) out[i] = binary_value(op, a[i], b[i % nb]);
}

// db sums over every i that maps onto the same j = i % nb (in increasing i: deterministic).
void binary_backward_cpu(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                         const float* b, int64_t n, int64_t nb) {
    for (int64_t i = 0; i < n; ++i) {
        const int64_t j = i % nb;
        if (da) da[i] += binary_grad_a(op, dout[i], b, j);
        if (db) db[j] += binary_grad_b(op, dout[i], a, i);
    }
}

// out = sigmoid(p + gb) * m + s + b, row by row (gb, s, b optional; y keeps the gate).
void gated_residual_forward_cpu(float* out, float* y, const float* p, const float* gb,
                                const float* m, const float* s, const float* b, int64_t rows,
                                int64_t F) {
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t f = 0; f < F; ++f) {
            const int64_t i = r * F + f;
            const float gate = 1.0f / (1.0f + std::exp(-(p[i] + (gb ? gb[f] : 0.0f))));
            out[i] = gate * m[i] + (s ? s[i] : 0.0f) + (b ? b[f] : 0.0f);
            if (y) y[i] = gate;
        }
    }
}

namespace {
void put(const GradOut& g, int64_t i, float v) {
    if (g.ptr) g.ptr[i] = g.accumulate ? g.ptr[i] + v : v;
}
}  // namespace

void gated_residual_backward_cpu(const GatedResidualGrads& g, const float* dout, const float* y,
                                 const float* m, int64_t rows, int64_t F) {
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t f = 0; f < F; ++f) {
            const int64_t i = r * F + f;
            const float dpre = dout[i] * m[i] * y[i] * (1.0f - y[i]);
            put(g.dp, i, dpre);
            put(g.dm, i, dout[i] * y[i]);
            put(g.ds, i, dout[i]);
            if (g.dgb) g.dgb[f] += dpre;
            if (g.db) g.db[f] += dout[i];
        }
    }
}

void average_forward_cpu(float* out, const float* a, const float* b, int64_t n, bool relu) {
    for (int64_t i = 0; i < n; ++i) {
        const float v = 0.5f * (a[i] + b[i]);
        out[i] = relu && v < 0.0f ? 0.0f : v;
    }
}

void average_backward_cpu(GradOut da, GradOut db, const float* dout, const float* out, int64_t n,
                          bool relu) {
    for (int64_t i = 0; i < n; ++i) {
        const float g = relu && !(out[i] > 0.0f) ? 0.0f : 0.5f * dout[i];
        put(da, i, g);
        put(db, i, g);
    }
}

}  // namespace nasflat::kernels
