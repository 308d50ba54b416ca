// ops_layout.cpp — reductions over a dim, concat, slice, row gathers (embedding), softmax,
// layer norm and dropout. Dims: a tensor viewed as (outer, len, inner) around the chosen dim.
#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat {
namespace {

int normalise_dim(const char* op, const Tensor& x, int dim) {
    int n = x.ndim();
    int d = dim < 0 ? dim + n : dim;
    NASFLAT_CHECK(d >= 0 && d < n, op, ": dim ", dim, " out of range for shape ",
                  shape_str(x.shape()));
    return d;
}

// (outer, len, inner) around dim d.
void split_at(const Shape& s, int d, int64_t& outer, int64_t& len, int64_t& inner) {
    outer = 1;
    inner = 1;
    for (int i = 0; i < d; ++i) outer *= s[i];
    for (size_t i = d + 1; i < s.size(); ++i) inner *= s[i];
    len = s[d];
}

Tensor reduce(const char* name, const Tensor& x, int dim, bool average) {
    int d = normalise_dim(name, x, dim);
    int64_t outer, len, inner;
    split_at(x.shape(), d, outer, len, inner);
    Shape out_shape = x.shape();
    out_shape.erase(out_shape.begin() + d);
    Tensor out = Tensor::empty(out_shape, x.device());
    const auto& kt = kernels_for(x);
    kt.reduce_sum(out.data(), x.data(), outer, len, inner);
    float factor = average ? (len > 0 ? 1.0f / static_cast<float>(len) : 0.0f) : 1.0f;
    if (average && out.numel() > 0) {
        Tensor scaled = Tensor::zeros(out_shape, x.device());
        kt.add_scaled(scaled.data(), out.data(), out.numel(), factor);
        out = scaled;
    }
    // backward: dx[o, l, i] += factor * dout[o, i]
    if (any_requires_grad({&x})) {
        attach_node(out, name, {&x}, [x, outer, len, inner, factor](TensorImpl& o) {
            kernels_for(x).broadcast_add(x.impl()->ensure_grad(), o.grad_ptr(), outer, len, inner,
                                         factor);
        }, [x, d, factor](const Tensor&, const Tensor& dout) {
            return std::vector<Tensor>{expand_dim(dout, x.shape(), d, factor)};
        });
    }
    return out;
}
}  // namespace

Tensor sum(const Tensor& x, int dim) { return reduce("sum", x, dim, false); }
Tensor mean(const Tensor& x, int dim) { return reduce("mean", x, dim, true); }
Tensor sum_all(const Tensor& x) { return reshape(sum(reshape(x, {x.numel()}), 0), {1}); }
Tensor mean_all(const Tensor& x) { return reshape(mean(reshape(x, {x.numel()}), 0), {1}); }

// forward: out[o, off_k + l, i] = x_k[o, l, i];  backward: dx_k[o, l, i] += dout[o, off_k + l, i]
Tensor concat(const std::vector<Tensor>& xs, int dim) {
    NASFLAT_CHECK(!xs.empty(), "concat: no tensors given");
    const Tensor& first = xs[0];
    int d = normalise_dim("concat", first, dim);
    Shape out_shape = first.shape();
    out_shape[d] = 0;
    for (const Tensor& t : xs) {
        check_same_device("concat", {&first, &t});
        bool same = t.ndim() == first.ndim();
        for (int i = 0; same && i < t.ndim(); ++i) same = i == d || t.dim(i) == first.dim(i);
        NASFLAT_CHECK(same, "concat: shape ", shape_str(t.shape()), " does not match ",
                      shape_str(first.shape()), " outside dim ", d);
        out_shape[d] += t.dim(d);
    }
    int64_t outer, out_len, inner;
    split_at(out_shape, d, outer, out_len, inner);
    Tensor out = Tensor::empty(out_shape, first.device());
    const auto& kt = kernels_for(first);
    int64_t off = 0;
    std::vector<int64_t> offsets;
    for (const Tensor& t : xs) {
        offsets.push_back(off);
        kt.copy_block(out.data(), out_len, off, t.data(), t.dim(d), 0, t.dim(d), outer, inner,
                      false);
        off += t.dim(d);
    }
    bool grad = false;
    for (const Tensor& t : xs) grad = grad || any_requires_grad({&t});
    if (grad) {
        auto node = [xs, offsets, d, outer, out_len, inner](TensorImpl& o) {
            for (size_t k = 0; k < xs.size(); ++k) {
                const Tensor& t = xs[k];
                if (!t.requires_grad()) continue;
                kernels_for(t).copy_block(t.impl()->ensure_grad(), t.dim(d), 0, o.grad_ptr(),
                                          out_len, offsets[k], t.dim(d), outer, inner, true);
            }
        };
        // dx_k = the slice of dout that x_k filled.
        auto graph = [xs, offsets, d](const Tensor&, const Tensor& dout) {
            std::vector<Tensor> dxs(xs.size());
            for (size_t k = 0; k < xs.size(); ++k) {
                if (xs[k].requires_grad()) dxs[k] = slice(dout, d, offsets[k], xs[k].dim(d));
            }
            return dxs;
        };
        std::vector<const Tensor*> inputs;
        for (const Tensor& t : xs) inputs.push_back(&t);
        attach_node(out, "concat", inputs, node, graph);
    }
    return out;
}

// forward: out[o, l, i] = x[o, start + l, i];  backward: dx[o, start + l, i] += dout[o, l, i]
Tensor slice(const Tensor& x, int dim, int64_t start, int64_t length) {
    int d = normalise_dim("slice", x, dim);
    NASFLAT_CHECK(start >= 0 && length >= 0 && start + length <= x.dim(d), "slice: [", start,
                  ", ", start + length, ") outside dim ", d, " of ", shape_str(x.shape()));
    int64_t outer, len, inner;
    split_at(x.shape(), d, outer, len, inner);
    Shape out_shape = x.shape();
    out_shape[d] = length;
    Tensor out = Tensor::empty(out_shape, x.device());
    kernels_for(x).copy_block(out.data(), length, 0, x.data(), len, start, length, outer, inner,
                              false);
    if (any_requires_grad({&x})) {
        attach_node(out, "slice", {&x}, [x, outer, len, inner, start, length](TensorImpl& o) {
            kernels_for(x).copy_block(x.impl()->ensure_grad(), len, start, o.grad_ptr(), length,
                                      0, length, outer, inner, true);
        }, [x, d, start, length](const Tensor&, const Tensor& dout) {
            // dout padded with constant zeros before and after, along d.
            std::vector<Tensor> parts;
            Shape pad = x.shape();
            pad[d] = start;
            if (start > 0) parts.push_back(Tensor::zeros(pad, x.device()));
            parts.push_back(dout);
            pad[d] = x.dim(d) - start - length;
            if (pad[d] > 0) parts.push_back(Tensor::zeros(pad, x.device()));
            return std::vector<Tensor>{parts.size() == 1 ? dout : concat(parts, d)};
        });
    }
    return out;
}

// forward: out[r] = x[idx[r]];  backward: dx[v] += sum over the inverse row v of dout[r]
Tensor index_select(const Tensor& x, const IndexMap& rows) {
    NASFLAT_CHECK(x.ndim() >= 1 && x.dim(0) == rows.source_rows(), "index_select: the index "
                  "was built for ", rows.source_rows(), " rows but x is ", shape_str(x.shape()));
    NASFLAT_CHECK(rows.device() == x.device(), "index_select: index on ",
                  device_name(rows.device()), ", x on ", device_name(x.device()));
    const int64_t F = x.dim(0) == 0 ? 0 : x.numel() / x.dim(0);
    Shape out_shape = x.shape();
    out_shape[0] = rows.size();
    Tensor out = Tensor::empty(out_shape, x.device());
    kernels_for(x).gather_rows_forward(out.data(), x.data(), rows.idx(), rows.size(), F);
    if (any_requires_grad({&x})) {
        attach_node(out, "index_select", {&x}, [x, rows, F](TensorImpl& o) {
            kernels_for(x).gather_rows_backward(x.impl()->ensure_grad(), o.grad_ptr(),
                                                rows.inverse(), F);
        }, [rows](const Tensor&, const Tensor& dout) {
            return std::vector<Tensor>{scatter_rows(dout, rows)};
        });
    }
    return out;
}

Tensor embedding(const Tensor& table, const IndexMap& ids) {
    NASFLAT_CHECK(table.ndim() == 2, "embedding: table must be (V, D), got ",
                  shape_str(table.shape()));
    return index_select(table, ids);
}

Tensor softmax(const Tensor& x, int dim) {
    int d = normalise_dim("softmax", x, dim);
    int64_t outer, len, inner;
    split_at(x.shape(), d, outer, len, inner);
    Tensor out = Tensor::empty(x.shape(), x.device());
    kernels_for(x).softmax_forward(out.data(), x.data(), outer, len, inner);
    if (any_requires_grad({&x})) {
        attach_node(out, "softmax", {&x}, [x, outer, len, inner](TensorImpl& o) {
            kernels_for(x).softmax_backward(x.impl()->ensure_grad(), o.grad_ptr(), o.data_ptr(),
                                            outer, len, inner);
        }, [x, d](const Tensor& y, const Tensor& dout) {
            // dx = y (dout - sum over d of dout y, broadcast back along d)
            Tensor dot = sum(mul(dout, y), d);
            return std::vector<Tensor>{mul(y, sub(dout, expand_dim(dot, x.shape(), d, 1.0f)))};
        });
    }
    return out;
}

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
    check_same_device("layer_norm", {&x, &gamma, &beta});
    const int64_t cols = x.dim(-1);
    NASFLAT_CHECK(gamma.numel() == cols && beta.numel() == cols, "layer_norm: x ",
                  shape_str(x.shape()), " needs gamma and beta of (", cols, "), got ",
                  shape_str(gamma.shape()), " and ", shape_str(beta.shape()));
    const int64_t rows = cols == 0 ? 0 : x.numel() / cols;
    Tensor out = Tensor::empty(x.shape(), x.device());
    Tensor mu = Tensor::empty({rows}, x.device());
    Tensor rs = Tensor::empty({rows}, x.device());
    kernels_for(x).layer_norm_forward(out.data(), mu.data(), rs.data(), x.data(), gamma.data(),
                                      beta.data(), rows, cols, eps);
    if (any_requires_grad({&x, &gamma, &beta})) {
        attach_node(out, "layer_norm", {&x, &gamma, &beta},
                    [x, gamma, beta, mu, rs, rows, cols](TensorImpl& o) {
                        float* dx = x.requires_grad() ? x.impl()->ensure_grad() : nullptr;
                        float* dg = gamma.requires_grad() ? gamma.impl()->ensure_grad() : nullptr;
                        float* db = beta.requires_grad() ? beta.impl()->ensure_grad() : nullptr;
                        kernels_for(x).layer_norm_backward(dx, dg, db, o.grad_ptr(), x.data(),
                                                           mu.data(), rs.data(), gamma.data(),
                                                           rows, cols);
                    });
    }
    return out;
}

Tensor dropout(const Tensor& x, float p, uint64_t seed, bool training) {
    NASFLAT_CHECK(p >= 0.0f && p < 1.0f, "dropout: p = ", p, " must lie in [0, 1)");
    if (!training || p == 0.0f) return x;
    Tensor out = Tensor::empty(x.shape(), x.device());
    const int64_t n = x.numel();
    kernels_for(x).dropout_forward(out.data(), x.data(), n, p, seed);
    if (any_requires_grad({&x})) {
        attach_node(out, "dropout", {&x}, [x, n, p, seed](TensorImpl& o) {
            kernels_for(x).dropout_backward(x.impl()->ensure_grad(), o.grad_ptr(), n, p, seed);
        }, [p, seed](const Tensor&, const Tensor& dout) {
            return std::vector<Tensor>{dropout(dout, p, seed, true)};  // the same mask
        });
    }
    return out;
}

}  // namespace nasflat
