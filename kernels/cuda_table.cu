// cuda_table.cu — the CUDA KernelTable: every entry points at a *_cuda launcher (dense.cu,
// layout.cu, norm.cu, graph.cu, train.cu); ops with numbered versions get their default version
// (cuda_options.h). Building the table touches no GPU; kernel_table.cpp hands it out.
#include "kernels/cuda_kernels.cuh"
#include "kernels/kernels.h"

namespace nasflat::kernels {

namespace {

// Table signatures for the versioned launchers: the default version of each.
void spmm_default(float* out, CsrView A, const float* val, const float* x, int64_t F,
                  bool accumulate) {
    spmm_cuda(out, A, val, x, F, accumulate, kSpmmDefaultVersion);
}
void sddmm_default(float* out, CsrView A, const float* a, const float* b, int64_t F) {
    sddmm_cuda(out, A, a, b, F, kSddmmDefaultVersion);
}
void edge_softmax_forward_default(float* out, CsrView A, const float* s) {
    edge_softmax_forward_cuda(out, A, s, kEdgeSoftmaxDefaultVersion);
}
void edge_softmax_backward_default(float* ds, CsrView A, const float* y, const float* dy) {
    edge_softmax_backward_cuda(ds, A, y, dy, kEdgeSoftmaxDefaultVersion);
}
void gather_rows_backward_default(float* dx, const float* dout, CsrView inverse, int64_t F) {
    gather_rows_backward_cuda(dx, dout, inverse, F, kGatherBackwardAutoVersion);
}

KernelTable make_cuda_table() {
    KernelTable t{};
    t.backend = Backend::Cuda;
    t.fill = fill_cuda;
    t.copy = copy_cuda;
    t.add_scaled = add_scaled_cuda;
    t.gemm = gemm_cuda;
    t.unary_forward = unary_forward_cuda;
    t.unary_backward = unary_backward_cuda;
    t.binary_forward = binary_forward_cuda;
    t.binary_backward = binary_backward_cuda;
    t.gated_residual_forward = gated_residual_forward_cuda;
    t.gated_residual_backward = gated_residual_backward_cuda;
    t.average_forward = average_forward_cuda;
    t.average_backward = average_backward_cuda;
    t.reduce_sum = reduce_sum_cuda;
    t.broadcast_add = broadcast_add_cuda;
    t.copy_block = copy_block_cuda;
    t.gather_rows_forward = gather_rows_forward_cuda;
    t.gather_rows_backward = gather_rows_backward_default;
    t.softmax_forward = softmax_forward_cuda;
    t.softmax_backward = softmax_backward_cuda;
    t.layer_norm_forward = layer_norm_forward_cuda;
    t.layer_norm_backward = layer_norm_backward_cuda;
    t.segment_sum_forward = segment_sum_forward_cuda;
    t.segment_sum_backward = segment_sum_backward_cuda;
    t.spmm = spmm_default;
    t.sddmm = sddmm_default;
    t.edge_softmax_forward = edge_softmax_forward_default;
    t.edge_softmax_backward = edge_softmax_backward_default;
    t.fused_readout = fused_readout_cuda;
    t.dropout_forward = dropout_forward_cuda;
    t.dropout_backward = dropout_backward_cuda;
    t.pair_hinge_forward = pair_hinge_forward_cuda;
    t.pair_hinge_backward = pair_hinge_backward_cuda;
    t.mse_forward = mse_forward_cuda;
    t.mse_backward = mse_backward_cuda;
    t.adamw_step = adamw_step_cuda;
    return t;
}

}  // namespace

const KernelTable& cuda_kernel_table() {
    static const KernelTable table = make_cuda_table();
    return table;
}

}  // namespace nasflat::kernels
