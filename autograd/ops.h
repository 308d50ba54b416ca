// ops.h — differentiable ops on Tensors. Each op checks its inputs (throwing nasflat::Error with
// the op, the shapes and a hint), runs the kernel of the tensors' device, and records a Node
// whose backward accumulates into the inputs that require grad.
// Dims: M,K,N matrix sizes; N nodes, E edge slots, F features, G graphs, P pairs.
#pragma once

#include <cstdint>
#include <vector>

#include "autograd/index.h"
#include "autograd/tensor.h"

namespace nasflat {

// --- dense (ops_dense.cpp) ---------------------------------------------------------------------
// a (..., K) @ b (K, N) -> (..., N): leading dims of a are flattened into rows.
// a (B, M, K) @ b (B, K, N) -> (B, M, N): batched.
Tensor matmul(const Tensor& a, const Tensor& b);
// Elementwise with broadcasting of b over the leading dims of a: b's shape must equal a's
// trailing dims (e.g. a (N, F) and b (F) or (N, F)); a scalar-shaped b (1) broadcasts too.
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor scale(const Tensor& x, float alpha);  // alpha * x
Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, float negative_slope = 0.01f);
Tensor sigmoid(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);       // x > 0
Tensor softplus(const Tensor& x);  // log(1 + e^x), without overflow for large x
Tensor abs(const Tensor& x);       // derivative sign(x), 0 at 0
// x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): GELU's tanh approximation (elementwise_math.h)
Tensor gelu(const Tensor& x);
// Same data, new shape (same numel).
Tensor reshape(const Tensor& x, const Shape& shape);
// x (..., K) @ w (K, O) + b (O); b may be undefined.
Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b);

// --- layer tails (ops_tail.cpp): one kernel for a chain of elementwise ops ------------------
// sigmoid(p + gb) * m + s + b: p, m, s (N, F); gb, b (F). gb, s, b may be undefined (= 0).
// Equals add(add(mul(sigmoid(add(p, gb)), m), s), b).
Tensor gated_residual(const Tensor& p, const Tensor& gb, const Tensor& m,
                      const Tensor& s = Tensor(), const Tensor& b = Tensor());
// (a + b) / 2, then ReLU when relu. Equals relu(scale(add(a, b), 0.5f)).
Tensor average(const Tensor& a, const Tensor& b, bool relu);

// --- layout and normalisation (ops_layout.cpp) -------------------------------------------------
Tensor sum(const Tensor& x, int dim);   // removes dim
Tensor mean(const Tensor& x, int dim);  // removes dim
Tensor sum_all(const Tensor& x);        // -> (1)
Tensor mean_all(const Tensor& x);       // -> (1)
Tensor concat(const std::vector<Tensor>& xs, int dim);
Tensor slice(const Tensor& x, int dim, int64_t start, int64_t length);
// rows of x (R, F...) picked by the map: (n, F...). Embedding lookup is index_select of a table.
Tensor index_select(const Tensor& x, const IndexMap& rows);
Tensor embedding(const Tensor& table, const IndexMap& ids);
Tensor softmax(const Tensor& x, int dim);
// Over the last dim; gamma, beta have shape (F).
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps = 1e-5f);
// Inverted dropout with a counter-based mask: identical on every device for the same seed.
// Identity when !training or p == 0.
Tensor dropout(const Tensor& x, float p, uint64_t seed, bool training);

// --- attention (ops_attention.cpp) ------------------------------------------------------------
// Softmax over the last dim restricted to the entries where the constant `mask` (x's shape) is
// non-zero (boolean: 1 allowed, 0 masked); masked entries give 0 and are never read, and a row
// with no allowed entry gives all zeros (so its gradient is 0 too).
Tensor masked_softmax(const Tensor& x, const Tensor& mask);
// Masked multi-head scaled dot-product attention: q, k, v (B, N, D), mask (B, N, N) boolean as
// above with row = query, column = key; `heads` divides D. Each head c attends with
// softmax_mask(q_c k_c^T / sqrt(D / heads)) over the allowed keys; a query with no allowed key
// gets zeros. Output (B, N, D), the heads concatenated. No projections: callers apply their own.
Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, int heads);

// --- graphs (ops_graph.cpp) --------------------------------------------------------------------
// Segments are consecutive node ranges [seg_ptr[g], seg_ptr[g+1]) (one per graph).
// out[g] = sum over the segment of w_i x_i; x (N, F) -> (G, F). weights (N) is a constant
// (not differentiated); undefined = all ones.
Tensor segment_sum(const Tensor& x, const IntArray& seg_ptr, const Tensor& weights = Tensor());
// Mean over each segment (empty segments give 0).
Tensor segment_mean(const Tensor& x, const IntArray& seg_ptr);
// out (rows, F) = A x with A's pattern from the CSR and values `val` (E) or 1 when undefined.
Tensor spmm(const Csr& a, const Tensor& val, const Tensor& x);
// out (E) with out[e] = <a[row(e)], b[col(e)]>; a (rows, F), b (cols, F).
Tensor sddmm(const Csr& pattern, const Tensor& a, const Tensor& b);
// Softmax of the edge values (E) within each row of the CSR.
Tensor edge_softmax(const Csr& pattern, const Tensor& s);

// --- losses (ops_loss.cpp) ---------------------------------------------------------------------
// mean over pairs of max(0, margin - sign (s_i - s_j)); scores (n) -> (1).
Tensor pair_hinge_loss(const Tensor& scores, const PairList& pairs, float margin);
// mean (pred - target)^2 -> (1); target is a constant.
Tensor mse_loss(const Tensor& pred, const Tensor& target);
// sum |pred - target| -> (1); target is a constant. Subgradient sign(pred - target), 0 at 0.
Tensor l1_loss(const Tensor& pred, const Tensor& target);

// --- adjoints (ops_adjoint.cpp): ops that are other ops' backward, so that a gradient built by
// grad(..., create_graph=true) (grad.h) is itself differentiable. Each has both derivatives.
// op(a) @ op(b), op = transpose (of the last two dims) when the flag is set: a (M, K) or, with
// trans_a, (K, M); b (K, N) or, with trans_b, (N, K) -> (M, N); or all batched (B, ., .).
Tensor matmul_transposed(const Tensor& a, bool trans_a, const Tensor& b, bool trans_b);
// The adjoint of sum/mean over `dim`: out (shape) with out[o, l, i] = factor * x[o, i], where x
// has `shape` without `dim`.
Tensor expand_dim(const Tensor& x, const Shape& shape, int dim, float factor);
// The adjoint of index_select: out (rows.source_rows(), F...) with out[v] = sum of x[r] over the
// r with idx[r] == v; x (rows.size(), F...).
Tensor scatter_rows(const Tensor& x, const IndexMap& rows);

// --- helpers shared by the op files ------------------------------------------------------------
// Throws unless every tensor lives on the same device.
void check_same_device(const char* op, std::initializer_list<const Tensor*> xs);

}  // namespace nasflat
