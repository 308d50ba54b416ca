// cpu_kernels.h — declarations of the CPU kernels. `*_cpu` are the plain-loop references (the
// spec: no Eigen, no tricks); `*_cpu_fast` exist only where a faster CPU version pays.
// Argument meanings are those of the matching KernelTable entry (kernels.h).
#pragma once

#include "kernels/kernels.h"

namespace nasflat::kernels {

// dense.cpp
void fill_cpu(float* out, int64_t n, float value);
void copy_cpu(float* out, const float* x, int64_t n);
void add_scaled_cpu(float* out, const float* x, int64_t n, float alpha);
void gemm_cpu(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
              float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
              float beta, float* C, int64_t stride_c);
void unary_forward_cpu(UnaryOp op, float* out, const float* x, int64_t n, float alpha);
void unary_backward_cpu(UnaryOp op, float* dx, const float* dout, const float* x, const float* y,
                        int64_t n, float alpha);
void binary_forward_cpu(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                        int64_t nb);
void binary_backward_cpu(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                         const float* b, int64_t n, int64_t nb);
void gated_residual_forward_cpu(float* out, const float* p, const float* gb, const float* m,
                                const float* s, const float* b, int64_t rows, int64_t F);
void gated_residual_backward_cpu(float* dpre, float* dp, float* dm, float* ds, const float* dout,
                                 const float* p, const float* gb, const float* m, int64_t rows,
                                 int64_t F);
void average_forward_cpu(float* out, const float* a, const float* b, int64_t n, bool relu);
void average_backward_cpu(float* da, float* db, const float* dout, const float* out, int64_t n,
                          bool relu);

// layout.cpp
void reduce_sum_cpu(float* out, const float* x, int64_t outer, int64_t len, int64_t inner);
void broadcast_add_cpu(float* dx, const float* dout, int64_t outer, int64_t len, int64_t inner,
                       float scale);
void copy_block_cpu(float* out, int64_t out_len, int64_t out_off, const float* x, int64_t x_len,
                    int64_t x_off, int64_t len, int64_t outer, int64_t inner, bool accumulate);
void gather_rows_forward_cpu(float* out, const float* x, const int32_t* idx, int64_t n, int64_t F);
void gather_rows_backward_cpu(float* dx, const float* dout, CsrView inverse, int64_t F);
// the CPU twin of the chunked CUDA version (gather_chunks.h), summing in the GPU's order
void gather_rows_backward_chunked_cpu(float* dx, const float* dout, CsrView inverse, int64_t F);

// norm.cpp
void softmax_forward_cpu(float* out, const float* x, int64_t outer, int64_t len, int64_t inner);
void softmax_backward_cpu(float* dx, const float* dout, const float* y, int64_t outer, int64_t len,
                          int64_t inner);
void layer_norm_forward_cpu(float* out, float* mean, float* rstd, const float* x,
                            const float* gamma, const float* beta, int64_t rows, int64_t cols,
                            float eps);
void layer_norm_backward_cpu(float* dx, float* dgamma, float* dbeta, const float* dout,
                             const float* x, const float* mean, const float* rstd,
                             const float* gamma, int64_t rows, int64_t cols);

// graph.cpp
void segment_sum_forward_cpu(float* out, const float* x, const int32_t* seg_ptr, const float* w,
                             int64_t G, int64_t F);
void segment_sum_backward_cpu(float* dx, const float* dout, const int32_t* seg_ptr, const float* w,
                              int64_t G, int64_t F);
void spmm_cpu(float* out, CsrView A, const float* val, const float* x, int64_t F, bool accumulate);
void sddmm_cpu(float* out, CsrView A, const float* a, const float* b, int64_t F);
void edge_softmax_forward_cpu(float* out, CsrView A, const float* s);
void edge_softmax_backward_cpu(float* ds, CsrView A, const float* y, const float* dy);

// train.cpp
void dropout_forward_cpu(float* out, const float* x, int64_t n, float p, uint64_t seed);
void dropout_backward_cpu(float* dx, const float* dout, int64_t n, float p, uint64_t seed);
void pair_hinge_forward_cpu(float* loss, const float* s, const int32_t* pi, const int32_t* pj,
                            const float* sign, int64_t P, float margin);
void pair_hinge_backward_cpu(float* ds, const float* dloss, const float* s, const int32_t* pi,
                             const int32_t* pj, const float* sign, int64_t P, float margin,
                             CsrView by_score, float* work);
void mse_forward_cpu(float* loss, const float* pred, const float* target, int64_t n);
void mse_backward_cpu(float* dpred, const float* dloss, const float* pred, const float* target,
                      int64_t n);
void adamw_step_cpu(float* param, const float* grad, float* m, float* v, int64_t n, float lr,
                    float beta1, float beta2, float eps, float weight_decay, float c1, float c2);

// Fast versions (gemm_fast.cpp, elementwise_fast.cpp).
void gemm_cpu_fast(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                   float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
                   float beta, float* C, int64_t stride_c);

void unary_forward_cpu_fast(UnaryOp op, float* out, const float* x, int64_t n, float alpha);
void unary_backward_cpu_fast(UnaryOp op, float* dx, const float* dout, const float* x,
                             const float* y, int64_t n, float alpha);
void binary_forward_cpu_fast(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                             int64_t nb);
void binary_backward_cpu_fast(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                              const float* b, int64_t n, int64_t nb);
void gated_residual_forward_cpu_fast(float* out, const float* p, const float* gb, const float* m,
                                     const float* s, const float* b, int64_t rows, int64_t F);
void gated_residual_backward_cpu_fast(float* dpre, float* dp, float* dm, float* ds,
                                      const float* dout, const float* p, const float* gb,
                                      const float* m, int64_t rows, int64_t F);
void spmm_cpu_fast(float* out, CsrView A, const float* val, const float* x, int64_t F,
                   bool accumulate);
void sddmm_cpu_fast(float* out, CsrView A, const float* a, const float* b, int64_t F);
void layer_norm_forward_cpu_fast(float* out, float* mean, float* rstd, const float* x,
                                 const float* gamma, const float* beta, int64_t rows, int64_t cols,
                                 float eps);
void layer_norm_backward_cpu_fast(float* dx, float* dgamma, float* dbeta, const float* dout,
                                  const float* x, const float* mean, const float* rstd,
                                  const float* gamma, int64_t rows, int64_t cols);

}  // namespace nasflat::kernels
