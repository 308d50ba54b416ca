// cuda_kernels.cuh — declarations of the CUDA entry points that cuda_table.cu puts in the CUDA
// KernelTable. Same arguments and meanings as the KernelTable entries (kernels.h) and their CPU
// twins (cpu_kernels.h); all pointers are device pointers, all work goes to the default stream.
// Ops with numbered versions (spmm, sddmm, edge softmax, gather backward) are declared in
// cuda_options.h with their `int version` argument.
#pragma once

#include "kernels/cuda_options.h"
#include "kernels/fused/fused_readout.h"
#include "kernels/kernels.h"

namespace nasflat::kernels {

// dense.cu
void fill_cuda(float* out, int64_t n, float value);
void copy_cuda(float* out, const float* x, int64_t n);
void add_scaled_cuda(float* out, const float* x, int64_t n, float alpha);
void gemm_cuda(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
               float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
               float beta, float* C, int64_t stride_c);
void unary_forward_cuda(UnaryOp op, float* out, const float* x, int64_t n, float alpha);
void unary_backward_cuda(UnaryOp op, float* dx, const float* dout, const float* x, const float* y,
                         int64_t n, float alpha);
void binary_forward_cuda(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                         int64_t nb);
void binary_backward_cuda(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                          const float* b, int64_t n, int64_t nb);
void gated_residual_forward_cuda(float* out, const float* p, const float* gb, const float* m,
                                 const float* s, const float* b, int64_t rows, int64_t F);
void gated_residual_backward_cuda(float* dpre, float* dp, float* dm, float* ds, const float* dout,
                                  const float* p, const float* gb, const float* m, int64_t rows,
                                  int64_t F);
void average_forward_cuda(float* out, const float* a, const float* b, int64_t n, bool relu);
void average_backward_cuda(float* da, float* db, const float* dout, const float* out, int64_t n,
                           bool relu);

// layout.cu
void reduce_sum_cuda(float* out, const float* x, int64_t outer, int64_t len, int64_t inner);
void broadcast_add_cuda(float* dx, const float* dout, int64_t outer, int64_t len, int64_t inner,
                        float scale);
void copy_block_cuda(float* out, int64_t out_len, int64_t out_off, const float* x, int64_t x_len,
                     int64_t x_off, int64_t len, int64_t outer, int64_t inner, bool accumulate);
void gather_rows_forward_cuda(float* out, const float* x, const int32_t* idx, int64_t n, int64_t F);

// norm.cu
void softmax_forward_cuda(float* out, const float* x, int64_t outer, int64_t len, int64_t inner);
void softmax_backward_cuda(float* dx, const float* dout, const float* y, int64_t outer, int64_t len,
                           int64_t inner);
void layer_norm_forward_cuda(float* out, float* mean, float* rstd, const float* x,
                             const float* gamma, const float* beta, int64_t rows, int64_t cols,
                             float eps);
void layer_norm_backward_cuda(float* dx, float* dgamma, float* dbeta, const float* dout,
                              const float* x, const float* mean, const float* rstd,
                              const float* gamma, int64_t rows, int64_t cols);

// graph.cu
void segment_sum_forward_cuda(float* out, const float* x, const int32_t* seg_ptr, const float* w,
                              int64_t G, int64_t F);
void segment_sum_backward_cuda(float* dx, const float* dout, const int32_t* seg_ptr, const float* w,
                               int64_t G, int64_t F);

// train.cu
void dropout_forward_cuda(float* out, const float* x, int64_t n, float p, uint64_t seed);
void dropout_backward_cuda(float* dx, const float* dout, int64_t n, float p, uint64_t seed);
void pair_hinge_forward_cuda(float* loss, const float* s, const int32_t* pi, const int32_t* pj,
                             const float* sign, int64_t P, float margin);
void pair_hinge_backward_cuda(float* ds, const float* dloss, const float* s, const int32_t* pi,
                              const int32_t* pj, const float* sign, int64_t P, float margin,
                              CsrView by_score, float* work);
void mse_forward_cuda(float* loss, const float* pred, const float* target, int64_t n);
void mse_backward_cuda(float* dpred, const float* dloss, const float* pred, const float* target,
                       int64_t n);
void adamw_step_cuda(float* param, const float* grad, float* m, float* v, int64_t n, float lr,
                     float beta1, float beta2, float eps, float weight_decay, float c1, float c2);

// fused_readout.cu
void fused_readout_cuda(const FusedReadoutArgs& args);

}  // namespace nasflat::kernels
