// kernels.h — the table of raw compute kernels, one table per backend.
// Every op the autograd layer needs is one entry: plain functions on pointers, row-major float32,
// int32 indices. Pointers belong to the table's device (host memory for the CPU tables).
// Backends: CpuReference (plain loops: the spec), CpuFast (Eigen GEMM; reference where already
// fast), Cuda (kernels/*.cu, present when built with CUDA and a GPU is visible).
// Dims: M,N,K GEMM sizes; E edges; F features; G graphs (segments); n elements.
// Conventions: "_forward" writes its output (assign) unless an `accumulate` flag says otherwise;
// every "_backward" accumulates (+=) into gradients, never zeroes them.
#pragma once

#include <cstdint>

namespace nasflat::kernels {

enum class Backend { CpuReference, CpuFast, Cuda };
const char* backend_name(Backend b);

enum class UnaryOp { Relu, LeakyRelu, Sigmoid };
enum class BinaryOp { Add, Sub, Mul };

// A compressed sparse row matrix over a whole batch of graphs (block diagonal).
// Row i lists the columns col[row_ptr[i] .. row_ptr[i+1]). When `edge_id` is non-null, edge
// slot e carries the value val[edge_id[e]] (used to walk the reverse CSR while reading values
// stored in forward-CSR order); otherwise slot e carries val[e].
struct CsrView {
    int32_t num_rows = 0;
    int32_t num_cols = 0;
    int32_t num_edges = 0;
    const int32_t* row_ptr = nullptr;  // (num_rows + 1)
    const int32_t* col = nullptr;      // (E)
    const int32_t* edge_id = nullptr;  // (E) or null
};

struct FusedReadoutArgs;  // fused_readout.h

struct KernelTable {
    Backend backend;

    // --- memory -------------------------------------------------------------------------------
    void (*fill)(float* out, int64_t n, float value);
    void (*copy)(float* out, const float* x, int64_t n);
    // out[i] += alpha * x[i]
    void (*add_scaled)(float* out, const float* x, int64_t n, float alpha);

    // --- dense ----------------------------------------------------------------------------------
    // For b in [0, batch): C_b(M,N) = alpha * op(A_b) op(B_b) + beta * C_b, row-major, where
    // op(A) is (M,K) (A stored (K,M) when trans_a) and op(B) is (K,N) (stored (N,K) when trans_b).
    void (*gemm)(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                 float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
                 float beta, float* C, int64_t stride_c);

    // --- elementwise ----------------------------------------------------------------------------
    // out[i] = f(x[i]); alpha is LeakyReLU's negative slope.
    void (*unary_forward)(UnaryOp op, float* out, const float* x, int64_t n, float alpha);
    // dx[i] += f'(x[i]) dout[i]; y = f(x) (sigmoid uses y, the ReLUs use x).
    void (*unary_backward)(UnaryOp op, float* dx, const float* dout, const float* x, const float* y,
                           int64_t n, float alpha);
    // out[i] = a[i] (op) b[i % nb]: b broadcasts over the leading dims of a (n % nb == 0).
    void (*binary_forward)(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                           int64_t nb);
    // da[i] += d/da; db[j] += sum over i with i % nb == j of d/db. da or db may be null.
    void (*binary_backward)(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                            const float* b, int64_t n, int64_t nb);

    // --- fused layer tails (one pass where the op-by-op graph takes four or five) ------------
    // x viewed as (rows, F); gb, b (F) broadcast over rows; gb, s, b may be null (= 0).
    // out = sigmoid(p + gb) * m + s + b   (the gated residual of a graph-flow layer; with s and b
    // null, the gated mix an attention layer feeds to its layer norm)
    void (*gated_residual_forward)(float* out, const float* p, const float* gb, const float* m,
                                   const float* s, const float* b, int64_t rows, int64_t F);
    // With y = sigmoid(p + gb): dpre = dout * m * y (1 - y) is written (assign: the gradient of
    // p, whose column sums are gb's); dp += dpre, dm += dout * y, ds += dout. dp, dm, ds may be
    // null. (b's gradient is the column sums of dout.)
    void (*gated_residual_backward)(float* dpre, float* dp, float* dm, float* ds, const float* dout,
                                    const float* p, const float* gb, const float* m, int64_t rows,
                                    int64_t F);
    // out = (a + b) / 2, then max(., 0) when relu (an ensemble layer's two branches joined).
    void (*average_forward)(float* out, const float* a, const float* b, int64_t n, bool relu);
    // da += dout / 2 and db += dout / 2 where out > 0 (everywhere when !relu); da, db may be null.
    void (*average_backward)(float* da, float* db, const float* dout, const float* out, int64_t n,
                             bool relu);

    // --- reductions and layout ------------------------------------------------------------------
    // x viewed as (outer, len, inner): out[o, i] = sum_l x[o, l, i]   (assign)
    void (*reduce_sum)(float* out, const float* x, int64_t outer, int64_t len, int64_t inner);
    // dx[o, l, i] += scale * dout[o, i]
    void (*broadcast_add)(float* dx, const float* dout, int64_t outer, int64_t len, int64_t inner,
                          float scale);
    // out[o, out_off + l, i] (= or +=) x[o, x_off + l, i] for l < len; out and x are viewed as
    // (outer, out_len, inner) and (outer, x_len, inner). Serves concat, slice and their backward.
    void (*copy_block)(float* out, int64_t out_len, int64_t out_off, const float* x, int64_t x_len,
                       int64_t x_off, int64_t len, int64_t outer, int64_t inner, bool accumulate);
    // out[r, :] = x[idx[r], :] for r < n; x is (rows_x, F).
    void (*gather_rows_forward)(float* out, const float* x, const int32_t* idx, int64_t n,
                                int64_t F);
    // dx[v, :] += sum over r in inverse row v of dout[r, :]. `inverse` maps each row v of x to
    // the positions r with idx[r] == v (no atomics: a gather over the inverse index).
    void (*gather_rows_backward)(float* dx, const float* dout, CsrView inverse, int64_t F);

    // --- normalisation --------------------------------------------------------------------------
    // x viewed as (outer, len, inner); softmax along len.
    void (*softmax_forward)(float* out, const float* x, int64_t outer, int64_t len, int64_t inner);
    void (*softmax_backward)(float* dx, const float* dout, const float* y, int64_t outer,
                             int64_t len, int64_t inner);
    // Row-wise over (rows, cols): out = (x - mean) * rstd * gamma + beta; mean, rstd are (rows).
    void (*layer_norm_forward)(float* out, float* mean, float* rstd, const float* x,
                               const float* gamma, const float* beta, int64_t rows, int64_t cols,
                               float eps);
    // dx, dgamma, dbeta accumulate; any of them may be null.
    void (*layer_norm_backward)(float* dx, float* dgamma, float* dbeta, const float* dout,
                                const float* x, const float* mean, const float* rstd,
                                const float* gamma, int64_t rows, int64_t cols);

    // --- graphs ---------------------------------------------------------------------------------
    // out[g, :] = sum over nodes i in [seg_ptr[g], seg_ptr[g+1]) of w[i] * x[i, :]; w null = 1.
    void (*segment_sum_forward)(float* out, const float* x, const int32_t* seg_ptr, const float* w,
                                int64_t G, int64_t F);
    // dx[i, :] += w[i] * dout[g(i), :]
    void (*segment_sum_backward)(float* dx, const float* dout, const int32_t* seg_ptr,
                                 const float* w, int64_t G, int64_t F);
    // out[i, :] (= or +=) sum over edge slots e of row i of v(e) * x[col[e], :], where
    // v(e) = val[edge_id ? edge_id[e] : e], or 1 when val is null. Walk the forward CSR for the
    // forward product and the reverse CSR (with edge_id) for the backward one.
    void (*spmm)(float* out, CsrView A, const float* val, const float* x, int64_t F,
                 bool accumulate);
    // out[e] = <a[row(e), :], b[col[e], :]> for every edge slot e of the CSR (assign).
    void (*sddmm)(float* out, CsrView A, const float* a, const float* b, int64_t F);
    // Softmax of the edge values of each row: out[e] = exp(s[e]) / sum over row of exp(s).
    void (*edge_softmax_forward)(float* out, CsrView A, const float* s);
    // ds[e] += y[e] * (dy[e] - sum over the row of y * dy)
    void (*edge_softmax_backward)(float* ds, CsrView A, const float* y, const float* dy);

    // --- the whole graph part of the predictor, inference only (fused_readout.h) -------------
    void (*fused_readout)(const FusedReadoutArgs& args);

    // --- randomness -----------------------------------------------------------------------------
    // out[i] = x[i] * keep(i) / (1 - p), keep(i) = hash_uniform(seed, i) >= p
    void (*dropout_forward)(float* out, const float* x, int64_t n, float p, uint64_t seed);
    void (*dropout_backward)(float* dx, const float* dout, int64_t n, float p, uint64_t seed);

    // --- losses (the scalar loss lives in device memory: loss[0]) -------------------------------
    // loss = mean over pairs k of max(0, margin - sign[k] * (s[pi[k]] - s[pj[k]]))
    void (*pair_hinge_forward)(float* loss, const float* s, const int32_t* pi, const int32_t* pj,
                               const float* sign, int64_t P, float margin);
    // ds[m] += dloss[0] / P * sum over the pair ends touching score m of d/ds[m]. `by_score`
    // maps each score m to its pair ends q = col[e] in [0, 2P): q < P means m == pi[q] (sign +),
    // q >= P means m == pj[q - P] (sign -). A gather, no atomics. `work` is P floats of scratch.
    void (*pair_hinge_backward)(float* ds, const float* dloss, const float* s, const int32_t* pi,
                                const int32_t* pj, const float* sign, int64_t P, float margin,
                                CsrView by_score, float* work);
    // loss = mean (pred - target)^2
    void (*mse_forward)(float* loss, const float* pred, const float* target, int64_t n);
    void (*mse_backward)(float* dpred, const float* dloss, const float* pred, const float* target,
                         int64_t n);

    // --- optimiser ------------------------------------------------------------------------------
    // Decoupled weight decay (Loshchilov & Hutter): p -= lr * wd * p; then the Adam update with
    // bias corrections c1 = 1 - beta1^t, c2 = 1 - beta2^t.
    void (*adamw_step)(float* param, const float* grad, float* m, float* v, int64_t n, float lr,
                       float beta1, float beta2, float eps, float weight_decay, float c1, float c2);
};

// The table of a backend. Cuda throws when the binary was built without CUDA.
const KernelTable& kernel_table(Backend b);

// True when this binary contains the CUDA backend (it may still find no GPU at run time).
bool cuda_compiled();

}  // namespace nasflat::kernels
