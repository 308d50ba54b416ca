// kernel_table.cpp — fills one KernelTable per backend, every entry from the op family that
// declares its function type (kernels.h lists them): the plain-loop reference, the fast CPU
// version where one exists, and (when built with CUDA) the CUDA version.
#include "kernels/base/check.h"
#include "kernels/kernels.h"

namespace nasflat::kernels {

namespace {

// `fast` picks the *_cpu_fast versions where they exist; every other entry is the reference.
KernelTable make_cpu_table(Backend backend) {
    const bool fast = backend == Backend::CpuFast;
    KernelTable t{};
    t.backend = backend;
    t.fill = fill_cpu;
    t.copy = copy_cpu;
    t.add_scaled = add_scaled_cpu;
    t.unary_forward = fast ? unary_forward_cpu_fast : unary_forward_cpu;
    t.unary_backward = fast ? unary_backward_cpu_fast : unary_backward_cpu;
    t.binary_forward = fast ? binary_forward_cpu_fast : binary_forward_cpu;
    t.binary_backward = fast ? binary_backward_cpu_fast : binary_backward_cpu;
    t.gated_residual_forward = fast ? gated_residual_forward_cpu_fast : gated_residual_forward_cpu;
    t.gated_residual_backward =
        fast ? gated_residual_backward_cpu_fast : gated_residual_backward_cpu;
    t.average_forward = average_forward_cpu;
    t.average_backward = fast ? average_backward_cpu_fast : average_backward_cpu;
    t.gemm = fast ? gemm_cpu_fast : gemm_cpu;
    t.reduce_sum = reduce_sum_cpu;
    t.broadcast_add = broadcast_add_cpu;
    t.copy_block = copy_block_cpu;
    t.gather_rows_forward = gather_rows_forward_cpu;
    t.gather_rows_backward = gather_rows_backward_cpu;
    t.softmax_forward = softmax_forward_cpu;
    t.softmax_backward = softmax_backward_cpu;
    t.masked_softmax_forward = masked_softmax_forward_cpu;
    t.layer_norm_forward = fast ? layer_norm_forward_cpu_fast : layer_norm_forward_cpu;
    t.layer_norm_backward = fast ? layer_norm_backward_cpu_fast : layer_norm_backward_cpu;
    t.segment_sum_forward = segment_sum_forward_cpu;
    t.segment_sum_backward = segment_sum_backward_cpu;
    t.spmm = fast ? spmm_cpu_fast : spmm_cpu;
    t.sddmm = fast ? sddmm_cpu_fast : sddmm_cpu;
    t.edge_softmax_forward = fast ? edge_softmax_forward_cpu_fast : edge_softmax_forward_cpu;
    t.edge_softmax_backward = edge_softmax_backward_cpu;
    t.fused_readout = fused_readout_cpu;  // the CUDA kernel's twin on both CPU tables
    t.dropout_forward = dropout_forward_cpu;
    t.dropout_backward = dropout_backward_cpu;
    t.pair_hinge_forward = pair_hinge_forward_cpu;
    t.pair_hinge_backward = pair_hinge_backward_cpu;
    t.mse_forward = mse_forward_cpu;
    t.mse_backward = mse_backward_cpu;
    t.l1_forward = l1_forward_cpu;
    t.l1_backward = l1_backward_cpu;
    t.adamw_step = adamw_step_cpu;
    return t;
}

#ifdef NASFLAT_WITH_CUDA
// Building the table touches no GPU.
KernelTable make_cuda_table() {
    KernelTable t{};
    t.backend = Backend::Cuda;
    t.fill = fill_cuda;
    t.copy = copy_cuda;
    t.add_scaled = add_scaled_cuda;
    t.unary_forward = unary_forward_cuda;
    t.unary_backward = unary_backward_cuda;
    t.binary_forward = binary_forward_cuda;
    t.binary_backward = binary_backward_cuda;
    t.gated_residual_forward = gated_residual_forward_cuda;
    t.gated_residual_backward = gated_residual_backward_cuda;
    t.average_forward = average_forward_cuda;
    t.average_backward = average_backward_cuda;
    t.gemm = gemm_cuda;
    t.reduce_sum = reduce_sum_cuda;
    t.broadcast_add = broadcast_add_cuda;
    t.copy_block = copy_block_cuda;
    t.gather_rows_forward = gather_rows_forward_cuda;
    t.gather_rows_backward = gather_rows_backward_cuda;
    t.softmax_forward = softmax_forward_cuda;
    t.softmax_backward = softmax_backward_cuda;
    t.masked_softmax_forward = masked_softmax_forward_cuda;
    t.layer_norm_forward = layer_norm_forward_cuda;
    t.layer_norm_backward = layer_norm_backward_cuda;
    t.segment_sum_forward = segment_sum_forward_cuda;
    t.segment_sum_backward = segment_sum_backward_cuda;
    t.spmm = spmm_cuda;
    t.sddmm = sddmm_cuda;
    t.edge_softmax_forward = edge_softmax_forward_cuda;
    t.edge_softmax_backward = edge_softmax_backward_cuda;
    t.fused_readout = fused_readout_cuda;
    t.dropout_forward = dropout_forward_cuda;
    t.dropout_backward = dropout_backward_cuda;
    t.pair_hinge_forward = pair_hinge_forward_cuda;
    t.pair_hinge_backward = pair_hinge_backward_cuda;
    t.mse_forward = mse_forward_cuda;
    t.mse_backward = mse_backward_cuda;
    t.l1_forward = l1_forward_cuda;
    t.l1_backward = l1_backward_cuda;
    t.adamw_step = adamw_step_cuda;
    return t;
}
#endif

const KernelTable* g_override[3] = {nullptr, nullptr, nullptr};  // by Backend

}  // namespace

void override_kernel_table(Backend b, const KernelTable* t) {
    g_override[static_cast<int>(b)] = t;
}

const KernelTable* kernel_table_override(Backend b) {
    return g_override[static_cast<int>(b)];
}

const KernelTable& kernel_table(Backend b) {
    if (const KernelTable* t = g_override[static_cast<int>(b)]) return *t;
    static const KernelTable reference = make_cpu_table(Backend::CpuReference);
    static const KernelTable fast = make_cpu_table(Backend::CpuFast);
    switch (b) {
        case Backend::CpuReference: return reference;
        case Backend::CpuFast: return fast;
        case Backend::Cuda: {
#ifdef NASFLAT_WITH_CUDA
            static const KernelTable cuda = make_cuda_table();
            return cuda;
#else
            fail("kernel_table: the CUDA backend is not in this build; hint: rebuild where nvcc "
                 "is found, or use the CPU");
#endif
        }
    }
    fail("kernel_table: unknown backend");
}

bool cuda_compiled() {
#ifdef NASFLAT_WITH_CUDA
    return true;
#else
    return false;
#endif
}

}  // namespace nasflat::kernels
