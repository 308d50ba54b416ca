// ops_attention.cpp — the transformer's attention: a masked softmax over the last dim, and masked
// multi-head scaled dot-product attention composed from it and batched products.
// Dims: B sequences, N tokens, D model width, h heads of width dh = D / h.
#include <cmath>
#include <string>

#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat {

// forward:  y = softmax over the allowed entries of each last-dim row (kernels/norm/norm.h), 0 on
//           masked entries and on rows with none allowed
// backward: dx = y (dout - sum_l y_l dout_l): softmax's, and 0 wherever y is 0
Tensor masked_softmax(const Tensor& x, const Tensor& mask) {
    check_same_device("masked_softmax", {&x, &mask});
    NASFLAT_CHECK(x.ndim() >= 1 && mask.shape() == x.shape(), "masked_softmax: x ",
                  shape_str(x.shape()), " and mask ", shape_str(mask.shape()),
                  "; hint: the mask has x's shape, 1 = allowed, 0 = masked");
    NASFLAT_CHECK(!mask.requires_grad(), "masked_softmax: the mask ", shape_str(mask.shape()),
                  " requires grad; hint: it is a constant (detach it)");
    const int64_t len = x.ndim() == 0 ? 1 : x.dim(-1);
    const int64_t rows = len == 0 ? 0 : x.numel() / len;
    Tensor out = Tensor::empty(x.shape(), x.device());
    kernels_for(x).masked_softmax_forward(out.data(), x.data(), mask.data(), rows, len);
    if (any_requires_grad({&x})) {
        attach_node(
            out, "masked_softmax", {&x},
            [x, rows, len](TensorImpl& o) {
                kernels_for(x).softmax_backward(x.impl()->ensure_grad(), o.grad_ptr(), o.data_ptr(),
                                                rows, len, 1);
            },
            [x](const Tensor& y, const Tensor& dout) {
                const int d = x.ndim() - 1;
                Tensor dot = sum(mul(dout, y), d);
                return std::vector<Tensor>{mul(y, sub(dout, expand_dim(dot, x.shape(), d, 1.0f)))};
            });
    }
    return out;
}

// out[:, :, head c] = softmax_mask(q_c k_c^T / sqrt(dh)) v_c for each head c (q_c the columns
// [c dh, (c+1) dh) of q); the heads' outputs are concatenated back to (B, N, D). Composed of
// slice, matmul_transposed, scale, masked_softmax, matmul and concat, so both derivatives come
// from those ops.
Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, int heads) {
    check_same_device("attention", {&q, &k, &v, &mask});
    NASFLAT_CHECK(q.ndim() == 3 && k.shape() == q.shape() && v.shape() == q.shape(),
                  "attention: q ", shape_str(q.shape()), ", k ", shape_str(k.shape()), ", v ",
                  shape_str(v.shape()), "; hint: q, k and v are all (B, N, D)");
    const int64_t B = q.dim(0), N = q.dim(1), D = q.dim(2);
    NASFLAT_CHECK(mask.shape() == Shape({B, N, N}), "attention: mask ", shape_str(mask.shape()),
                  " for q ", shape_str(q.shape()), "; hint: the mask is (B, N, N), row = query");
    NASFLAT_CHECK(heads >= 1 && D % heads == 0, "attention: ", heads,
                  " heads do not divide D = ", D,
                  "; hint: D must be a multiple of the number of heads");
    const int64_t dh = D / heads;
    const float inv_sqrt = 1.0f / std::sqrt(static_cast<float>(dh));
    std::vector<Tensor> outs;
    for (int c = 0; c < heads; ++c) {
        const Tensor qc = heads == 1 ? q : slice(q, 2, c * dh, dh);
        const Tensor kc = heads == 1 ? k : slice(k, 2, c * dh, dh);
        const Tensor vc = heads == 1 ? v : slice(v, 2, c * dh, dh);
        const Tensor scores = scale(matmul_transposed(qc, false, kc, true), inv_sqrt);  // (B, N, N)
        outs.push_back(matmul(masked_softmax(scores, mask), vc));  // (B, N, dh)
    }
    return heads == 1 ? outs[0] : concat(outs, 2);
}

}  // namespace nasflat
