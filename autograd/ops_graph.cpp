// ops_graph.cpp — message passing over a block-diagonal CSR batch: segment readout, SpMM,
// SDDMM and edge softmax. Backward walks the reverse CSR (no atomics).
// Dims: N nodes, E edge slots, F features, G graphs.
#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat {

// forward: out[g] = sum_{i in g} w_i x_i;  backward: dx_i += w_i dout[g(i)]
Tensor segment_sum(const Tensor& x, const IntArray& seg_ptr, const Tensor& weights) {
    NASFLAT_CHECK(x.ndim() == 2, "segment_sum: x must be (N, F), got ", shape_str(x.shape()));
    NASFLAT_CHECK(seg_ptr.size() >= 1 && seg_ptr.device() == x.device(),
                  "segment_sum: seg_ptr must hold G + 1 offsets on x's device");
    NASFLAT_CHECK(!weights.defined() || (weights.numel() == x.dim(0) &&
                                         weights.device() == x.device()),
                  "segment_sum: weights ", weights.defined() ? shape_str(weights.shape()) : "",
                  " must be (N) = (", x.dim(0), ") on x's device");
    const int64_t G = seg_ptr.size() - 1;
    const int64_t F = x.dim(1);
    Tensor out = Tensor::empty({G, F}, x.device());
    const float* w = weights.defined() ? weights.data() : nullptr;
    kernels_for(x).segment_sum_forward(out.data(), x.data(), seg_ptr.data(), w, G, F);
    if (any_requires_grad({&x})) {
        attach_node(out, "segment_sum", {&x}, [x, seg_ptr, weights, G, F](TensorImpl& o) {
            const float* w = weights.defined() ? weights.data() : nullptr;
            kernels_for(x).segment_sum_backward(x.impl()->ensure_grad(), o.grad_ptr(),
                                                seg_ptr.data(), w, G, F);
        });
    }
    return out;
}

// Mean = sum with weights 1 / |segment| (built on the host from the offsets).
Tensor segment_mean(const Tensor& x, const IntArray& seg_ptr) {
    std::vector<int32_t> ptr = seg_ptr.to_host();
    std::vector<float> w(static_cast<size_t>(x.dim(0)), 0.0f);
    for (size_t g = 0; g + 1 < ptr.size(); ++g) {
        int32_t n = ptr[g + 1] - ptr[g];
        NASFLAT_CHECK(ptr[g] >= 0 && ptr[g + 1] <= x.dim(0) && n >= 0, "segment_mean: segment ",
                      g, " = [", ptr[g], ", ", ptr[g + 1], ") is invalid for ", x.dim(0),
                      " nodes");
        for (int32_t i = ptr[g]; i < ptr[g + 1]; ++i) w[i] = 1.0f / static_cast<float>(n);
    }
    return segment_sum(x, seg_ptr, Tensor::from_vector(w, {x.dim(0)}, x.device()));
}

// forward:  out_i = sum_{e in row i} v_e x_{col(e)}
// backward: dx_j += sum_{e in reverse row j} v_e dout_i  (reverse CSR, values via edge_id)
//           dv_e += <dout_i, x_{col(e)}>                 (an SDDMM on the forward CSR)
Tensor spmm(const Csr& a, const Tensor& val, const Tensor& x) {
    NASFLAT_CHECK(x.ndim() == 2 && x.dim(0) == a.cols(), "spmm: A is ", a.rows(), " x ",
                  a.cols(), " but x is ", shape_str(x.shape()),
                  "; hint: x needs one row per column of A (one per node of the batch)");
    NASFLAT_CHECK(a.device() == x.device(), "spmm: A on ", device_name(a.device()), ", x on ",
                  device_name(x.device()));
    NASFLAT_CHECK(!val.defined() || (val.numel() == a.num_edges() && val.device() == x.device()),
                  "spmm: values must be (E) = (", a.num_edges(), ") on x's device, got ",
                  val.defined() ? shape_str(val.shape()) : "");
    const int64_t F = x.dim(1);
    Tensor out = Tensor::empty({a.rows(), F}, x.device());
    const float* v = val.defined() ? val.data() : nullptr;
    add_flops(2 * static_cast<int64_t>(a.num_edges()) * F);
    kernels_for(x).spmm(out.data(), a.forward(), v, x.data(), F, false);
    if (any_requires_grad({&x, &val})) {
        attach_node(out, "spmm", {&x, &val}, [a, val, x, F](TensorImpl& o) {
            const auto& kt = kernels_for(x);
            const float* v = val.defined() ? val.data() : nullptr;
            // Products that write every element assign a gradient that does not exist yet.
            bool fresh = false;
            if (x.requires_grad()) {
                float* dx = x.impl()->grad_for_write(&fresh);
                kt.spmm(dx, a.reverse(), v, o.grad_ptr(), F, !fresh);
            }
            if (val.defined() && val.requires_grad()) {
                float* dval = val.impl()->grad_for_write(&fresh);
                if (fresh) {
                    kt.sddmm(dval, a.forward(), o.grad_ptr(), x.data(), F);
                } else {  // SDDMM assigns: through a scratch tensor, then accumulate
                    Tensor dv = Tensor::empty({a.num_edges()}, x.device());
                    kt.sddmm(dv.data(), a.forward(), o.grad_ptr(), x.data(), F);
                    kt.add_scaled(dval, dv.data(), a.num_edges(), 1.0f);
                }
            }
        });
    }
    return out;
}

// forward:  s_e = <a_i, b_j> for edge e = (i, j)
// backward: da_i += sum_{e in row i} ds_e b_j          (SpMM, forward CSR, values ds)
//           db_j += sum_{e in reverse row j} ds_e a_i  (SpMM, reverse CSR, values ds via edge_id)
Tensor sddmm(const Csr& pattern, const Tensor& a, const Tensor& b) {
    check_same_device("sddmm", {&a, &b});
    NASFLAT_CHECK(a.ndim() == 2 && b.ndim() == 2 && a.dim(0) == pattern.rows() &&
                      b.dim(0) == pattern.cols() && a.dim(1) == b.dim(1),
                  "sddmm: pattern ", pattern.rows(), " x ", pattern.cols(), " with a ",
                  shape_str(a.shape()), " and b ", shape_str(b.shape()),
                  "; hint: a needs one row per CSR row, b one per column, same width");
    NASFLAT_CHECK(pattern.device() == a.device(), "sddmm: pattern and tensors on different devices");
    const int64_t F = a.dim(1);
    Tensor out = Tensor::empty({pattern.num_edges()}, a.device());
    add_flops(2 * static_cast<int64_t>(pattern.num_edges()) * F);
    kernels_for(a).sddmm(out.data(), pattern.forward(), a.data(), b.data(), F);
    if (any_requires_grad({&a, &b})) {
        attach_node(out, "sddmm", {&a, &b}, [pattern, a, b, F](TensorImpl& o) {
            const auto& kt = kernels_for(a);
            bool fresh = false;  // a gradient that does not exist yet is assigned
            if (a.requires_grad()) {
                float* da = a.impl()->grad_for_write(&fresh);
                kt.spmm(da, pattern.forward(), o.grad_ptr(), b.data(), F, !fresh);
            }
            if (b.requires_grad()) {
                float* db = b.impl()->grad_for_write(&fresh);
                kt.spmm(db, pattern.reverse(), o.grad_ptr(), a.data(), F, !fresh);
            }
        });
    }
    return out;
}

// forward: y_e = softmax of s over the edges of e's row;  backward: ds_e += y_e (dy_e - <y, dy>_row)
Tensor edge_softmax(const Csr& pattern, const Tensor& s) {
    NASFLAT_CHECK(s.numel() == pattern.num_edges(), "edge_softmax: ", pattern.num_edges(),
                  " edges but scores ", shape_str(s.shape()));
    NASFLAT_CHECK(pattern.device() == s.device(), "edge_softmax: pattern and scores on "
                  "different devices");
    Tensor out = Tensor::empty(s.shape(), s.device());
    kernels_for(s).edge_softmax_forward(out.data(), pattern.forward(), s.data());
    if (any_requires_grad({&s})) {
        attach_node(out, "edge_softmax", {&s}, [pattern, s](TensorImpl& o) {
            kernels_for(s).edge_softmax_backward(s.impl()->ensure_grad(), pattern.forward(),
                                                 o.data_ptr(), o.grad_ptr());
        });
    }
    return out;
}

}  // namespace nasflat
