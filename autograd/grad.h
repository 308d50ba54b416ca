// grad.h — functional gradients: d output / d inputs returned as new tensors, optionally built
// from differentiable ops so that they can be differentiated again (double backward).
// Dims: any; the output is a scalar (one element).
//
//   Tensor loss = mse_loss(predict(theta), y);
//   auto g = grad(loss, {theta}, true);          // g[0] carries a graph back to theta
//   Tensor theta2 = sub(theta, mul(alpha, g[0])); // an inner step; d theta2 / d alpha and the
//   mse_loss(predict(theta2), y).backward();      // second-order path through g both arrive
//
// Second derivatives exist for: matmul, matmul_transposed, linear, add, sub, mul (with their
// broadcasting), scale, relu, leaky_relu, sigmoid, exp, log, softplus, abs, gelu, reshape,
// concat, slice, index_select/embedding, sum, mean, sum_all, mean_all, mse_loss (target
// constant), pair_hinge_loss, softmax, masked_softmax (so attention), dropout, average,
// gated_residual and the adjoint ops (expand_dim, scatter_rows). Not (yet) for layer_norm and
// the graph ops (segment_sum/mean, spmm, sddmm, edge_softmax): grad(..., create_graph=true)
// through them throws.
#pragma once

#include <vector>

#include "autograd/tensor.h"

namespace nasflat {

// Gradients of the scalar `output` with respect to each of `inputs` (leaves or intermediate
// tensors of its graph), as new tensors of the inputs' shapes: zeros for an input the output
// does not depend on (every input, when the output requires no grad at all). No tensor's .grad
// buffer is changed, so grad() can run inside a step whose backward() is still to come.
// create_graph = false: the ops' buffer-based backward closures (every op); the results are
//   constants, equal to what backward() would accumulate.
// create_graph = true: each op's graph_backward, with grad mode on (even under NoGradGuard):
//   results that depend on tensors requiring grad carry a grad_fn and can be differentiated
//   again by grad() or backward(). An op on the path without a second derivative throws
//   nasflat::Error "grad: no second derivative for op NAME".
std::vector<Tensor> grad(const Tensor& output, const std::vector<Tensor>& inputs,
                         bool create_graph = false);

}  // namespace nasflat
