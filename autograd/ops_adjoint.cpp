// ops_adjoint.cpp — ops that are the backward of other ops (matmul with transposes, the
// broadcast of a reduction, the scatter of a row gather), with both derivatives each, so that
// gradients built by grad(..., create_graph=true) can be differentiated again, to any order.
// Dims: M, K, N matrix sizes, B batch; (outer, len, inner) around a dim; R source rows, F features.
#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat {

// forward:  C = op(A) op(B)
// backward: dA += dC op(B)^T (stored transposed: op(B) dC^T);
//           dB += op(A)^T dC (stored transposed: dC^T op(A))
Tensor matmul_transposed(const Tensor& a, bool trans_a, const Tensor& b, bool trans_b) {
    check_same_device("matmul_transposed", {&a, &b});
    const bool batched = a.ndim() == 3;
    NASFLAT_CHECK(
        (a.ndim() == 2 || batched) && b.ndim() == a.ndim() && (!batched || a.dim(0) == b.dim(0)),
        "matmul_transposed: A ", shape_str(a.shape()), " and B ", shape_str(b.shape()),
        "; hint: both (rows, cols), or both (B, rows, cols) with the same B");
    const int64_t batch = batched ? a.dim(0) : 1;
    const int64_t M = trans_a ? a.dim(-1) : a.dim(-2);
    const int64_t K = trans_a ? a.dim(-2) : a.dim(-1);
    const int64_t N = trans_b ? b.dim(-2) : b.dim(-1);
    const int64_t b_inner = trans_b ? b.dim(-1) : b.dim(-2);
    NASFLAT_CHECK(b_inner == K, "matmul_transposed: inner dimensions differ: A ",
                  shape_str(a.shape()), trans_a ? "^T" : "", " @ B ", shape_str(b.shape()),
                  trans_b ? "^T" : "");
    Tensor out = Tensor::empty(batched ? Shape{batch, M, N} : Shape{M, N}, a.device());
    add_flops(2 * batch * M * N * K);
    kernels_for(a).gemm(batch, trans_a, trans_b, M, N, K, 1.0f, a.data(), M * K, b.data(), K * N,
                        0.0f, out.data(), M * N);
    if (!any_requires_grad({&a, &b})) return out;
    attach_node(
        out, "matmul_transposed", {&a, &b},
        [a, trans_a, b, trans_b, batch, M, N, K](TensorImpl& o) {
            const auto& kt = kernels_for(a);
            const float* dc = o.grad_ptr();
            if (a.requires_grad()) {
                add_flops(2 * batch * M * N * K);
                float* da = a.impl()->ensure_grad();
                if (!trans_a) {
                    kt.gemm(batch, false, !trans_b, M, K, N, 1.0f, dc, M * N, b.data(), K * N, 1.0f,
                            da, M * K);
                } else {
                    kt.gemm(batch, trans_b, true, K, M, N, 1.0f, b.data(), K * N, dc, M * N, 1.0f,
                            da, M * K);
                }
            }
            if (b.requires_grad()) {
                add_flops(2 * batch * M * N * K);
                float* db = b.impl()->ensure_grad();
                if (!trans_b) {
                    kt.gemm(batch, !trans_a, false, K, N, M, 1.0f, a.data(), M * K, dc, M * N, 1.0f,
                            db, K * N);
                } else {
                    kt.gemm(batch, true, trans_a, N, K, M, 1.0f, dc, M * N, a.data(), M * K, 1.0f,
                            db, K * N);
                }
            }
        },
        [a, trans_a, b, trans_b](const Tensor&, const Tensor& dc) {
            Tensor da, db;
            if (a.requires_grad()) {
                da = trans_a ? matmul_transposed(b, trans_b, dc, true)
                             : matmul_transposed(dc, false, b, !trans_b);
            }
            if (b.requires_grad()) {
                db = trans_b ? matmul_transposed(dc, true, a, trans_a)
                             : matmul_transposed(a, !trans_a, dc, false);
            }
            return std::vector<Tensor>{da, db};
        });
    return out;
}

// forward:  out[o, l, i] = factor * x[o, i]
// backward: dx[o, i] += factor * sum_l dout[o, l, i]
Tensor expand_dim(const Tensor& x, const Shape& shape, int dim, float factor) {
    const int n = static_cast<int>(shape.size());
    const int d = dim < 0 ? dim + n : dim;
    NASFLAT_CHECK(d >= 0 && d < n, "expand_dim: dim ", dim, " out of range for shape ",
                  shape_str(shape));
    Shape reduced = shape;
    reduced.erase(reduced.begin() + d);
    NASFLAT_CHECK(x.shape() == reduced, "expand_dim: x ", shape_str(x.shape()), " must be ",
                  shape_str(shape), " without dim ", d, ", i.e. ", shape_str(reduced));
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < d; ++i) outer *= shape[i];
    for (int i = d + 1; i < n; ++i) inner *= shape[i];
    const int64_t len = shape[d];
    Tensor out = Tensor::zeros(shape, x.device());
    kernels_for(x).broadcast_add(out.data(), x.data(), outer, len, inner, factor);
    if (!any_requires_grad({&x})) return out;
    attach_node(
        out, "expand_dim", {&x},
        [x, outer, len, inner, factor](TensorImpl& o) {
            if (x.numel() == 0) return;
            const auto& kt = kernels_for(x);
            Tensor sums = Tensor::empty(x.shape(), x.device());
            kt.reduce_sum(sums.data(), o.grad_ptr(), outer, len, inner);
            kt.add_scaled(x.impl()->ensure_grad(), sums.data(), x.numel(), factor);
        },
        [d, factor](const Tensor&, const Tensor& dout) {
            Tensor s = sum(dout, d);
            return std::vector<Tensor>{factor == 1.0f ? s : scale(s, factor)};
        });
    return out;
}

// forward:  out[v] = sum over r with idx[r] == v of x[r]   (a gather over the inverse index)
// backward: dx[r] += dout[idx[r]]
Tensor scatter_rows(const Tensor& x, const IndexMap& rows) {
    NASFLAT_CHECK(x.ndim() >= 1 && x.dim(0) == rows.size(), "scatter_rows: the index has ",
                  rows.size(), " rows but x is ", shape_str(x.shape()));
    NASFLAT_CHECK(rows.device() == x.device(), "scatter_rows: index on ",
                  device_name(rows.device()), ", x on ", device_name(x.device()));
    Shape out_shape = x.shape();
    out_shape[0] = rows.source_rows();
    const int64_t F = shape_numel(Shape(out_shape.begin() + 1, out_shape.end()));
    Tensor out = Tensor::zeros(out_shape, x.device());
    kernels_for(x).gather_rows_backward(out.data(), x.data(), rows.inverse(), F);
    if (!any_requires_grad({&x})) return out;
    attach_node(
        out, "scatter_rows", {&x},
        [x, rows, F](TensorImpl& o) {
            if (x.numel() == 0) return;
            const auto& kt = kernels_for(x);
            Tensor picked = Tensor::empty(x.shape(), x.device());
            kt.gather_rows_forward(picked.data(), o.grad_ptr(), rows.idx(), rows.size(), F);
            kt.add_scaled(x.impl()->ensure_grad(), picked.data(), x.numel(), 1.0f);
        },
        [rows](const Tensor&, const Tensor& dout) {
            return std::vector<Tensor>{index_select(dout, rows)};
        });
    return out;
}

}  // namespace nasflat
