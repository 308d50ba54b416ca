// ops_dense.cpp — matmul, broadcasting arithmetic, activations, reshape, linear. Each op records
// its buffer backward and, for double backward (grad.h), the same math as differentiable ops.
#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/elementwise/elementwise_math.h"

namespace nasflat {

using kernels::BinaryOp;
using kernels::UnaryOp;

void check_same_device(const char* op, std::initializer_list<const Tensor*> xs) {
    const Tensor* first = nullptr;
    for (const Tensor* t : xs) {
        if (!t || !t->defined()) continue;
        if (!first) first = t;
        NASFLAT_CHECK(t->device() == first->device(), op, ": inputs on different devices (",
                      device_name(first->device()), " and ", device_name(t->device()),
                      "); hint: move them with .to(device)");
    }
}

// forward:  C = A B                      (batched: C_b = A_b B_b)
// backward: dA += dC B^T;  dB += A^T dC
Tensor matmul(const Tensor& a, const Tensor& b) {
    check_same_device("matmul", {&a, &b});
    const bool batched = a.ndim() == 3 && b.ndim() == 3;
    NASFLAT_CHECK(a.ndim() >= 1 && (b.ndim() == 2 || batched), "matmul: A ", shape_str(a.shape()),
                  " @ B ", shape_str(b.shape()), "; hint: B must be (K, N), or both (B, M, K) "
                  "and (B, K, N)");
    const int64_t K = a.dim(-1);
    NASFLAT_CHECK(b.dim(-2) == K, "matmul: inner dimensions differ: A ", shape_str(a.shape()),
                  " @ B ", shape_str(b.shape()));
    const int64_t batch = batched ? a.dim(0) : 1;
    NASFLAT_CHECK(!batched || b.dim(0) == batch, "matmul: batch sizes differ: A ",
                  shape_str(a.shape()), " @ B ", shape_str(b.shape()));
    const int64_t N = b.dim(-1);
    Shape out_shape = a.shape();
    out_shape.back() = N;
    // Rows of one product: M when batched, else every leading element of a.
    const int64_t rows = batched ? a.dim(1) : shape_numel(Shape(a.shape().begin(), a.shape().end() - 1));
    Tensor out = Tensor::empty(out_shape, a.device());
    const auto& kt = kernels_for(a);
    add_flops(2 * batch * rows * N * K);
    kt.gemm(batch, false, false, rows, N, K, 1.0f, a.data(), rows * K, b.data(), K * N, 0.0f,
            out.data(), rows * N);
    if (any_requires_grad({&a, &b})) {
        attach_node(out, "matmul", {&a, &b}, [a, b, batch, rows, N, K](TensorImpl& o) {
            const auto& kt = kernels_for(a);
            add_flops(2 * batch * rows * N * K * ((a.requires_grad() ? 1 : 0) + (b.requires_grad() ? 1 : 0)));
            // beta 0 (assign) into a gradient that does not exist yet: no zero fill first.
            bool fresh = false;
            if (a.requires_grad()) {
                float* da = a.impl()->grad_for_write(&fresh);
                kt.gemm(batch, false, true, rows, K, N, 1.0f, o.grad_ptr(), rows * N, b.data(),
                        K * N, fresh ? 0.0f : 1.0f, da, rows * K);
            }
            if (b.requires_grad()) {
                float* db = b.impl()->grad_for_write(&fresh);
                kt.gemm(batch, true, false, K, N, rows, 1.0f, a.data(), rows * K, o.grad_ptr(),
                        rows * N, fresh ? 0.0f : 1.0f, db, K * N);
            }
        }, [a, b, batched, rows, N, K](const Tensor&, const Tensor& dout) {
            // The same two products as differentiable ops (a's leading dims flattened).
            Tensor g = batched ? dout : reshape(dout, {rows, N});
            Tensor da, db;
            if (a.requires_grad()) da = reshape(matmul_transposed(g, false, b, true), a.shape());
            if (b.requires_grad()) {
                db = matmul_transposed(batched ? a : reshape(a, {rows, K}), true, g, false);
            }
            return std::vector<Tensor>{da, db};
        });
    }
    return out;
}

namespace {
Tensor binary(BinaryOp op, const char* name, const Tensor& a, const Tensor& b) {
    check_same_device(name, {&a, &b});
    const Shape& sa = a.shape();
    const Shape& sb = b.shape();
    bool suffix = sb.size() <= sa.size() && std::equal(sb.begin(), sb.end(), sa.end() - sb.size());
    bool scalar = b.numel() == 1;
    NASFLAT_CHECK(suffix || scalar, name, ": cannot broadcast b ", shape_str(sb), " onto a ",
                  shape_str(sa), "; hint: b's shape must equal a's trailing dimensions");
    const int64_t n = a.numel();
    const int64_t nb = b.numel();
    Tensor out = Tensor::empty(sa, a.device());
    if (n > 0) kernels_for(a).binary_forward(op, out.data(), a.data(), b.data(), n, nb);
    if (any_requires_grad({&a, &b})) {
        attach_node(out, name, {&a, &b}, [op, a, b, n, nb](TensorImpl& o) {
            if (n == 0) return;
            float* da = a.requires_grad() ? a.impl()->ensure_grad() : nullptr;
            float* db = b.requires_grad() ? b.impl()->ensure_grad() : nullptr;
            kernels_for(a).binary_backward(op, da, db, o.grad_ptr(), a.data(), b.data(), n, nb);
        }, [op, a, b, n, nb](const Tensor&, const Tensor& dout) {
            // da = dout (times b for mul); db = dout (-dout, dout * a) summed over the rows
            // that b is broadcast onto.
            Tensor da, db;
            if (n == 0) return std::vector<Tensor>{da, db};
            if (a.requires_grad()) da = op == BinaryOp::Mul ? mul(dout, b) : dout;
            if (b.requires_grad()) {
                Tensor g = op == BinaryOp::Add ? dout
                           : op == BinaryOp::Sub ? scale(dout, -1.0f) : mul(dout, a);
                db = reshape(n == nb ? g : sum(reshape(g, {n / nb, nb}), 0), b.shape());
            }
            return std::vector<Tensor>{da, db};
        });
    }
    return out;
}

// dx = dout f'(x) from differentiable ops: f' is a constant mask or sign for the piecewise
// linear ops (their second derivative is 0 away from the kink), y (1 - y) for the sigmoid,
// y for exp, exp(-y) = 1 / x for log, sigmoid(x) for softplus, the formula below for gelu.
auto unary_graph(UnaryOp op, const Tensor& x, float alpha) {
    return [op, x, alpha](const Tensor& y, const Tensor& dout) {
        Tensor slope;
        switch (op) {
            case UnaryOp::Sigmoid:
                slope = mul(y, sub(Tensor::full(y.shape(), 1.0f, y.device()), y));
                break;
            case UnaryOp::Exp:
                slope = y;
                break;
            case UnaryOp::Log:
                slope = exp(scale(y, -1.0f));
                break;
            case UnaryOp::Softplus:
                slope = sigmoid(x);
                break;
            case UnaryOp::Gelu: {
                // with s = sigmoid(2u) (so tanh(u) = 2s - 1, 1 - tanh^2 = 4 s (1 - s)):
                // gelu' = s + 2 c x s (1 - s) (1 + 3 a x^2)
                const Tensor ones = Tensor::full(x.shape(), 1.0f, x.device());
                const Tensor x2 = mul(x, x);
                const Tensor u = scale(add(x, scale(mul(x2, x), kernels::kGeluA)), kernels::kGeluC);
                const Tensor s = sigmoid(scale(u, 2.0f));
                const Tensor bell = scale(mul(x, mul(s, sub(ones, s))), 2.0f * kernels::kGeluC);
                slope = add(s, mul(bell, add(ones, scale(x2, 3.0f * kernels::kGeluA))));
                break;
            }
            case UnaryOp::Relu:
            case UnaryOp::LeakyRelu:
            case UnaryOp::Abs: {
                slope = Tensor::zeros(x.shape(), x.device());
                Tensor ones = Tensor::full(x.shape(), 1.0f, x.device());
                kernels_for(x).unary_backward(op, slope.data(), ones.data(), x.data(), y.data(),
                                              x.numel(), alpha);
                break;
            }
        }
        return std::vector<Tensor>{mul(dout, slope)};
    };
}

Tensor unary(UnaryOp op, const char* name, const Tensor& x, float alpha) {
    Tensor out = Tensor::empty(x.shape(), x.device());
    const int64_t n = x.numel();
    kernels_for(x).unary_forward(op, out.data(), x.data(), n, alpha);
    if (any_requires_grad({&x})) {
        attach_node(out, name, {&x}, [op, x, n, alpha](TensorImpl& o) {
            kernels_for(x).unary_backward(op, x.impl()->ensure_grad(), o.grad_ptr(), x.data(),
                                          o.data_ptr(), n, alpha);
        }, unary_graph(op, x, alpha));
    }
    return out;
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Add, "add", a, b); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Sub, "sub", a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Mul, "mul", a, b); }

// forward: out = alpha x;  backward: dx += alpha dout
Tensor scale(const Tensor& x, float alpha) {
    Tensor out = Tensor::zeros(x.shape(), x.device());
    const int64_t n = x.numel();
    kernels_for(x).add_scaled(out.data(), x.data(), n, alpha);
    if (any_requires_grad({&x})) {
        attach_node(out, "scale", {&x}, [x, n, alpha](TensorImpl& o) {
            kernels_for(x).add_scaled(x.impl()->ensure_grad(), o.grad_ptr(), n, alpha);
        }, [alpha](const Tensor&, const Tensor& dout) {
            return std::vector<Tensor>{scale(dout, alpha)};
        });
    }
    return out;
}

Tensor relu(const Tensor& x) { return unary(UnaryOp::Relu, "relu", x, 0.0f); }
Tensor leaky_relu(const Tensor& x, float slope) {
    return unary(UnaryOp::LeakyRelu, "leaky_relu", x, slope);
}
Tensor sigmoid(const Tensor& x) { return unary(UnaryOp::Sigmoid, "sigmoid", x, 0.0f); }
Tensor exp(const Tensor& x) { return unary(UnaryOp::Exp, "exp", x, 0.0f); }
Tensor log(const Tensor& x) { return unary(UnaryOp::Log, "log", x, 0.0f); }
Tensor softplus(const Tensor& x) { return unary(UnaryOp::Softplus, "softplus", x, 0.0f); }
Tensor abs(const Tensor& x) { return unary(UnaryOp::Abs, "abs", x, 0.0f); }
Tensor gelu(const Tensor& x) { return unary(UnaryOp::Gelu, "gelu", x, 0.0f); }

// Shares the values; the gradient flows back unchanged.
Tensor reshape(const Tensor& x, const Shape& shape) {
    NASFLAT_CHECK(shape_numel(shape) == x.numel(), "reshape: ", shape_str(x.shape()), " has ",
                  x.numel(), " elements, target ", shape_str(shape), " has ", shape_numel(shape));
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = shape;
    impl->device = x.device();
    impl->data = x.impl()->data;
    impl->data_offset = x.impl()->data_offset;
    Tensor out(impl);
    if (any_requires_grad({&x})) {
        const int64_t n = x.numel();
        attach_node(out, "reshape", {&x}, [x, n](TensorImpl& o) {
            kernels_for(x).add_scaled(x.impl()->ensure_grad(), o.grad_ptr(), n, 1.0f);
        }, [x](const Tensor&, const Tensor& dout) {
            return std::vector<Tensor>{reshape(dout, x.shape())};
        });
    }
    return out;
}

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) {
    Tensor y = matmul(x, w);
    return b.defined() ? add(y, b) : y;
}

}  // namespace nasflat
