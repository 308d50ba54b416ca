// ops_loss.cpp — the training losses: pairwise hinge ranking loss, mean squared error, and
// the summed L1 loss of the MultiPredict baseline.
// Dims: n scores, P pairs. The loss value lives on the scores' device as a (1) tensor.
#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat {

// forward:  L = (1/P) sum_k max(0, margin - t_k (s_i - s_j))
// backward: ds_i += -t_k [active_k] dL / P, ds_j -= the same (gathered per score, no atomics)
Tensor pair_hinge_loss(const Tensor& scores, const PairList& pairs, float margin) {
    NASFLAT_CHECK(scores.numel() == pairs.num_scores(), "pair_hinge_loss: the pairs index ",
                  pairs.num_scores(), " scores but scores is ", shape_str(scores.shape()));
    NASFLAT_CHECK(pairs.device() == scores.device(), "pair_hinge_loss: pairs on ",
                  device_name(pairs.device()), ", scores on ", device_name(scores.device()));
    Tensor out = Tensor::empty({1}, scores.device());
    const int64_t P = pairs.size();
    kernels_for(scores).pair_hinge_forward(out.data(), scores.data(), pairs.pi(), pairs.pj(),
                                           pairs.sign(), P, margin);
    if (any_requires_grad({&scores})) {
        attach_node(out, "pair_hinge_loss", {&scores}, [scores, pairs, P, margin](TensorImpl& o) {
            Tensor work = Tensor::empty({P}, scores.device());
            kernels_for(scores).pair_hinge_backward(scores.impl()->ensure_grad(), o.grad_ptr(),
                                                    scores.data(), pairs.pi(), pairs.pj(),
                                                    pairs.sign(), P, margin, pairs.by_score(),
                                                    work.data());
        }, [scores, pairs, P, margin](const Tensor&, const Tensor& dout) {
            // Piecewise linear in the scores: dscores = c dL with c = dL/ds at these scores, a
            // constant (the second derivative is 0 away from the hinge's kink).
            Tensor c = Tensor::zeros(scores.shape(), scores.device());
            Tensor one = Tensor::full({1}, 1.0f, scores.device());
            Tensor work = Tensor::empty({P}, scores.device());
            kernels_for(scores).pair_hinge_backward(c.data(), one.data(), scores.data(), pairs.pi(),
                                                    pairs.pj(), pairs.sign(), P, margin,
                                                    pairs.by_score(), work.data());
            return std::vector<Tensor>{mul(c, dout)};
        });
    }
    return out;
}

// forward: L = mean (pred - target)^2;  backward: dpred += 2 (pred - target) dL / n
Tensor mse_loss(const Tensor& pred, const Tensor& target) {
    check_same_device("mse_loss", {&pred, &target});
    NASFLAT_CHECK(pred.numel() == target.numel(), "mse_loss: pred ", shape_str(pred.shape()),
                  " and target ", shape_str(target.shape()), " differ in size");
    Tensor out = Tensor::empty({1}, pred.device());
    const int64_t n = pred.numel();
    kernels_for(pred).mse_forward(out.data(), pred.data(), target.data(), n);
    if (any_requires_grad({&pred})) {
        attach_node(out, "mse_loss", {&pred}, [pred, target, n](TensorImpl& o) {
            kernels_for(pred).mse_backward(pred.impl()->ensure_grad(), o.grad_ptr(), pred.data(),
                                           target.data(), n);
        }, [pred, target, n](const Tensor&, const Tensor& dout) {  // the same, differentiable
            Tensor diff = sub(pred, reshape(target.detach(), pred.shape()));
            return std::vector<Tensor>{mul(scale(diff, 2.0f / static_cast<float>(n)), dout)};
        });
    }
    return out;
}

// forward: L = sum |pred - target|;  backward: dpred += sign(pred - target) dL
Tensor l1_loss(const Tensor& pred, const Tensor& target) {
    check_same_device("l1_loss", {&pred, &target});
    NASFLAT_CHECK(pred.numel() == target.numel(), "l1_loss: pred ", shape_str(pred.shape()),
                  " and target ", shape_str(target.shape()), " differ in size");
    Tensor out = Tensor::empty({1}, pred.device());
    const int64_t n = pred.numel();
    kernels_for(pred).l1_forward(out.data(), pred.data(), target.data(), n);
    if (any_requires_grad({&pred})) {
        attach_node(out, "l1_loss", {&pred}, [pred, target, n](TensorImpl& o) {
            kernels_for(pred).l1_backward(pred.impl()->ensure_grad(), o.grad_ptr(), pred.data(),
                                          target.data(), n);
        });
    }
    return out;
}

}  // namespace nasflat
