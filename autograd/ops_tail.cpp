// ops_tail.cpp — ops that do in one kernel what a chain of elementwise ops would do in four or
// five: the tails of the model's layers. Each equals its chain (tests/autograd compares both);
// they exist because every pass over a (nodes, 128) tensor costs memory traffic and, at small
// batches, a kernel launch.
#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat {

namespace {
// The (F) vector broadcast over the rows of x: undefined, or of shape (x's last dim).
void check_row_vector(const char* op, const char* what, const Tensor& v, const Tensor& x) {
    NASFLAT_CHECK(!v.defined() || (v.ndim() == 1 && v.dim(0) == x.dim(-1)), op, ": ", what, " ",
                  shape_str(v.defined() ? v.shape() : Shape{}), " must be (", x.dim(-1),
                  ") to broadcast over ", shape_str(x.shape()));
}

void check_same_shape(const char* op, const char* what, const Tensor& t, const Tensor& x) {
    NASFLAT_CHECK(!t.defined() || t.shape() == x.shape(), op, ": ", what, " ", shape_str(t.shape()),
                  " must have m's shape ", shape_str(x.shape()));
}

const float* data_or_null(const Tensor& t) {
    return t.defined() ? t.data() : nullptr;
}
float* grad_or_null(const Tensor& t) {
    return t.defined() && t.requires_grad() ? t.impl()->ensure_grad() : nullptr;
}

// The gradient of t for a kernel that writes all of it: assigned while t has none yet, so its
// buffer needs no zero fill first.
kernels::GradOut grad_out(const Tensor& t) {
    if (!t.defined() || !t.requires_grad()) return {};
    bool fresh = false;
    float* ptr = t.impl()->grad_for_write(&fresh);
    return {ptr, !fresh};
}

bool same_storage(const Tensor& a, const Tensor& b) {
    return a.defined() && b.defined() && a.impl() == b.impl();
}
}  // namespace

// forward:  y = sigmoid(p + gb);  out = y * m + s + b
// backward: dpre = dout * m * y (1 - y);  dp += dpre;  dgb += column sums of dpre;
//           dm += dout * y;  ds += dout;  db += column sums of dout; all in one kernel, from the
//           y the forward kept, assigning dp, dm, ds where they hold no gradient yet
Tensor gated_residual(const Tensor& p, const Tensor& gb, const Tensor& m, const Tensor& s,
                      const Tensor& b) {
    const char* op = "gated_residual";
    check_same_device(op, {&p, &gb, &m, &s, &b});
    NASFLAT_CHECK(m.ndim() >= 1, op, ": m must have a feature dimension, got ",
                  shape_str(m.shape()));
    check_same_shape(op, "p", p, m);
    check_same_shape(op, "s", s, m);
    check_row_vector(op, "gb", gb, m);
    check_row_vector(op, "b", b, m);
    if (same_storage(p, m) || same_storage(p, s) || same_storage(m, s)) {
        // The kernel's gradients must be distinct buffers: the chain of ops instead.
        Tensor out = mul(sigmoid(gb.defined() ? add(p, gb) : p), m);
        if (s.defined()) out = add(out, s);
        return b.defined() ? add(out, b) : out;
    }
    const int64_t F = m.dim(-1);
    const int64_t rows = F == 0 ? 0 : m.numel() / F;
    Tensor out = Tensor::empty(m.shape(), m.device());
    const bool training = any_requires_grad({&p, &gb, &m, &s, &b});
    Tensor y = training ? Tensor::empty(m.shape(), m.device()) : Tensor();  // the gate, kept
    kernels_for(m).gated_residual_forward(out.data(), training ? y.data() : nullptr, p.data(),
                                          data_or_null(gb), m.data(), data_or_null(s),
                                          data_or_null(b), rows, F);
    if (training) {
        attach_node(out, op, {&p, &gb, &m, &s, &b}, [y, p, gb, m, s, b, rows, F](TensorImpl& o) {
            if (rows == 0) return;
            kernels::GatedResidualGrads g;
            g.dp = grad_out(p);
            g.dm = grad_out(m);
            g.ds = grad_out(s);
            g.dgb = grad_or_null(gb);
            g.db = grad_or_null(b);
            kernels_for(m).gated_residual_backward(g, o.grad_ptr(), y.data(), m.data(), rows, F);
        }, [p, gb, m, s, b, rows, F](const Tensor&, const Tensor& dout) {
            // The chain's gradients from differentiable ops: dpre = dout m y (1 - y), column
            // sums by sum over the rows.
            auto column_sums = [rows, F](const Tensor& t) { return sum(reshape(t, {rows, F}), 0); };
            const Tensor y = sigmoid(gb.defined() ? add(p, gb) : p);
            const bool need_pre = p.requires_grad() || (gb.defined() && gb.requires_grad());
            const Tensor dpre = need_pre ? mul(mul(dout, m), sub(y, mul(y, y))) : Tensor();
            std::vector<Tensor> grads(5);
            if (p.requires_grad()) grads[0] = dpre;
            if (gb.defined() && gb.requires_grad()) grads[1] = column_sums(dpre);
            if (m.requires_grad()) grads[2] = mul(dout, y);
            if (s.defined() && s.requires_grad()) grads[3] = dout;
            if (b.defined() && b.requires_grad()) grads[4] = column_sums(dout);
            return grads;
        });
    }
    return out;
}

// forward:  out = (a + b) / 2, then ReLU when relu
// backward: da += dout / 2 and db += dout / 2 where out > 0 (everywhere when !relu)
Tensor average(const Tensor& a, const Tensor& b, bool relu) {
    check_same_device("average", {&a, &b});
    NASFLAT_CHECK(a.shape() == b.shape(), "average: a ", shape_str(a.shape()), " and b ",
                  shape_str(b.shape()), " must have the same shape");
    if (same_storage(a, b)) {  // the kernel's two gradients must be distinct buffers
        Tensor mean = scale(add(a, b), 0.5f);
        return relu ? nasflat::relu(mean) : mean;
    }
    const int64_t n = a.numel();
    Tensor out = Tensor::empty(a.shape(), a.device());
    kernels_for(a).average_forward(out.data(), a.data(), b.data(), n, relu);
    if (any_requires_grad({&a, &b})) {
        attach_node(out, "average", {&a, &b}, [a, b, n, relu](TensorImpl& o) {
            kernels_for(a).average_backward(grad_out(a), grad_out(b), o.grad_ptr(), o.data_ptr(),
                                            n, relu);
        }, [a, b, n, relu](const Tensor& out, const Tensor& dout) {
            // da = db = dout * (1/2 where out > 0, everywhere when !relu): a constant slope.
            Tensor half = Tensor::zeros(out.shape(), out.device());
            Tensor ones = Tensor::full(out.shape(), 1.0f, out.device());
            kernels_for(out).average_backward({half.data(), true}, {}, ones.data(), out.data(),
                                              n, relu);
            Tensor g = mul(dout, half);
            return std::vector<Tensor>{a.requires_grad() ? g : Tensor(),
                                       b.requires_grad() ? g : Tensor()};
        });
    }
    return out;
}

}  // namespace nasflat
