// elementwise_math.h — the scalar formulas of the unary and binary elementwise ops, shared by the
// CPU reference loops (elementwise.cpp) and the CUDA kernels (elementwise.cu), so the two differ
// only in how they walk the elements. The fast CPU loops (elementwise_fast.cpp) keep one loop per
// op for vectorisation and are tested against these.
#pragma once

#include <math.h>

#include <cstdint>

#include "kernels/base/host_device.h"
#include "kernels/elementwise/elementwise.h"

namespace nasflat::kernels {

// GELU, tanh approximation (Hendrycks & Gimpel): gelu(x) = x/2 (1 + tanh(u)),
// u = c (x + a x^3), c = sqrt(2/pi), a = 0.044715. With s = sigmoid(2u) (tanh(u) = 2s - 1,
// 1 - tanh^2(u) = 4 s (1 - s)): gelu(x) = x s, gelu'(x) = s + 2 c x s (1 - s) (1 + 3 a x^2).
// s and 1 - s each come from e^{-2|u|} <= 1, so neither overflows nor loses digits to
// cancellation in the tails (a tanh-based 1 - t^2 would). Shared by the reference and CUDA loops.
constexpr float kGeluC = 0.7978845608028654f;
constexpr float kGeluA = 0.044715f;
struct GeluSigmoid {
    float s, one_minus_s;
};
NASFLAT_HD GeluSigmoid gelu_sigmoid(float x) {
    const float u = kGeluC * (x + kGeluA * x * x * x);
    const float e = expf(-2.0f * fabsf(u));  // in (0, 1]
    const float big = 1.0f / (1.0f + e);     // sigmoid(2|u|)
    const float small = e * big;             // 1 - sigmoid(2|u|)
    return u >= 0.0f ? GeluSigmoid{big, small} : GeluSigmoid{small, big};
}
NASFLAT_HD float gelu_value(float x) { return x * gelu_sigmoid(x).s; }
NASFLAT_HD float gelu_slope(float x) {
    const GeluSigmoid g = gelu_sigmoid(x);
    return g.s + 2.0f * kGeluC * x * g.s * g.one_minus_s * (1.0f + 3.0f * kGeluA * x * x);
}

// relu(x) = max(x, 0); leaky(x) = x > 0 ? x : alpha x; sigmoid(x) = 1 / (1 + e^-x);
// exp, log, abs; softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|), which never overflows.
NASFLAT_HD float unary_value(UnaryOp op, float x, float alpha) {
    switch (op) {
        case UnaryOp::Relu:
            return x > 0.0f ? x : 0.0f;
        case UnaryOp::LeakyRelu:
            return x > 0.0f ? x : alpha * x;
        case UnaryOp::Sigmoid:
            return 1.0f / (1.0f + expf(-x));
        case UnaryOp::Exp:
            return expf(x);
        case UnaryOp::Log:
            return logf(x);
        case UnaryOp::Softplus:
            return (x > 0.0f ? x : 0.0f) + log1pf(expf(-fabsf(x)));
        case UnaryOp::Abs:
            return fabsf(x);
        case UnaryOp::Gelu:
            return gelu_value(x);
    }
    return 0.0f;
}

// dL/dx at element i from g = dL/dy: relu' = [x > 0]; leaky' = x > 0 ? 1 : alpha;
// sigmoid' = y (1 - y); exp' = y; log' = 1 / x; softplus' = sigmoid(x); abs' = sign(x) (0 at 0);
// gelu' above. Sigmoid and exp read only the output y, the others only the input x.
NASFLAT_HD float unary_grad(UnaryOp op, float g, const float* x, const float* y, int64_t i,
                            float alpha) {
    switch (op) {
        case UnaryOp::Relu:
            return x[i] > 0.0f ? g : 0.0f;
        case UnaryOp::LeakyRelu:
            return x[i] > 0.0f ? g : alpha * g;
        case UnaryOp::Sigmoid:
            return g * y[i] * (1.0f - y[i]);
        case UnaryOp::Exp:
            return g * y[i];
        case UnaryOp::Log:
            return g / x[i];
        case UnaryOp::Softplus:
            return g / (1.0f + expf(-x[i]));
        case UnaryOp::Abs:
            return x[i] > 0.0f ? g : (x[i] < 0.0f ? -g : 0.0f);
        case UnaryOp::Gelu:
            return g * gelu_slope(x[i]);
    }
    return 0.0f;
}

NASFLAT_HD float binary_value(BinaryOp op, float a, float b) {
    switch (op) {
        case BinaryOp::Add:
            return a + b;
        case BinaryOp::Sub:
            return a - b;
        case BinaryOp::Mul:
            return a * b;
    }
    return 0.0f;
}

// The partial derivatives times g: add (g, g); sub (g, -g); mul (g b[j], g a[i]). The other
// operand is read only by mul, so add/sub backward passes move no more memory than they need.
NASFLAT_HD float binary_grad_a(BinaryOp op, float g, const float* b, int64_t j) {
    return op == BinaryOp::Mul ? g * b[j] : g;
}
NASFLAT_HD float binary_grad_b(BinaryOp op, float g, const float* a, int64_t i) {
    switch (op) {
        case BinaryOp::Add:
            return g;
        case BinaryOp::Sub:
            return -g;
        case BinaryOp::Mul:
            return g * a[i];
    }
    return 0.0f;
}

}  // namespace nasflat::kernels
