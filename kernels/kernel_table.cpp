// kernel_table.cpp — fills one KernelTable per CPU backend; the CUDA table comes from
// cuda_table.cu when this binary was built with CUDA.
#include "kernels/base/check.h"
#include "kernels/cpu_kernels.h"
#include "kernels/fused/fused_readout.h"
#include "kernels/kernels.h"
#include "kernels/profiler.h"

namespace nasflat::kernels {

#ifdef NASFLAT_WITH_CUDA
const KernelTable& cuda_kernel_table();  // cuda_table.cu
#endif

const char* backend_name(Backend b) {
    switch (b) {
        case Backend::CpuReference: return "cpu-reference";
        case Backend::CpuFast: return "cpu-fast";
        case Backend::Cuda: return "cuda";
    }
    return "?";
}

namespace {
KernelTable make_cpu_table(Backend backend) {
    KernelTable t{};
    t.backend = backend;
    t.fill = fill_cpu;
    t.copy = copy_cpu;
    t.add_scaled = add_scaled_cpu;
    t.gemm = backend == Backend::CpuFast ? gemm_cpu_fast : gemm_cpu;
    const bool fast = backend == Backend::CpuFast;
    t.unary_forward = fast ? unary_forward_cpu_fast : unary_forward_cpu;
    t.unary_backward = fast ? unary_backward_cpu_fast : unary_backward_cpu;
    t.binary_forward = fast ? binary_forward_cpu_fast : binary_forward_cpu;
    t.binary_backward = fast ? binary_backward_cpu_fast : binary_backward_cpu;
    t.gated_residual_forward = fast ? gated_residual_forward_cpu_fast : gated_residual_forward_cpu;
    t.gated_residual_backward =
        fast ? gated_residual_backward_cpu_fast : gated_residual_backward_cpu;
    t.average_forward = average_forward_cpu;
    t.average_backward = average_backward_cpu;
    t.reduce_sum = reduce_sum_cpu;
    t.broadcast_add = broadcast_add_cpu;
    t.copy_block = copy_block_cpu;
    t.gather_rows_forward = gather_rows_forward_cpu;
    t.gather_rows_backward = gather_rows_backward_cpu;
    t.softmax_forward = softmax_forward_cpu;
    t.softmax_backward = softmax_backward_cpu;
    t.layer_norm_forward = fast ? layer_norm_forward_cpu_fast : layer_norm_forward_cpu;
    t.layer_norm_backward = fast ? layer_norm_backward_cpu_fast : layer_norm_backward_cpu;
    t.segment_sum_forward = segment_sum_forward_cpu;
    t.segment_sum_backward = segment_sum_backward_cpu;
    t.spmm = fast ? spmm_cpu_fast : spmm_cpu;
    t.sddmm = fast ? sddmm_cpu_fast : sddmm_cpu;
    t.edge_softmax_forward = edge_softmax_forward_cpu;
    t.edge_softmax_backward = edge_softmax_backward_cpu;
    t.fused_readout = fused_readout_cpu;  // the CUDA kernel's twin on both CPU tables
    t.dropout_forward = dropout_forward_cpu;
    t.dropout_backward = dropout_backward_cpu;
    t.pair_hinge_forward = pair_hinge_forward_cpu;
    t.pair_hinge_backward = pair_hinge_backward_cpu;
    t.mse_forward = mse_forward_cpu;
    t.mse_backward = mse_backward_cpu;
    t.adamw_step = adamw_step_cpu;
    return t;
}
}  // namespace

const KernelTable& kernel_table(Backend b) {
    if (const KernelTable* profiled = profiling_table(b)) return *profiled;
    static const KernelTable reference = make_cpu_table(Backend::CpuReference);
    static const KernelTable fast = make_cpu_table(Backend::CpuFast);
    switch (b) {
        case Backend::CpuReference: return reference;
        case Backend::CpuFast: return fast;
        case Backend::Cuda:
#ifdef NASFLAT_WITH_CUDA
            return cuda_kernel_table();
#else
            fail("kernel_table: the CUDA backend is not in this build; hint: rebuild where nvcc "
                 "is found, or use the CPU");
#endif
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
