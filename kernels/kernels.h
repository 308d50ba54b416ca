// kernels.h — the table of raw compute kernels, one table per backend.
// Every op the autograd layer needs is one entry: a plain function on pointers, row-major
// float32, int32 indices. Pointers belong to the table's device (host memory for the CPU tables).
// Backends: CpuReference (plain loops: the spec), CpuFast (Eigen GEMM and vectorisable loops;
// the reference where it is already fast), Cuda (kernels/*/*.cu, present when built with CUDA).
//
// Each op family lives in its own folder with its CPU reference, fast CPU and CUDA versions side
// by side; its header declares one function type per op, with the formula and every pointer's
// shape, and the backends that define it, e.g. in graph/graph.h:
//   // out (A.num_rows, F), A: forward or reverse CSR, val (E) or null (= 1), x (A.num_cols, F).
//   using SpmmFn = void(float* out, CsrView A, const float* val, const float* x, int64_t F,
//                       bool accumulate);
//   SpmmFn spmm_cpu, spmm_cpu_fast, spmm_cuda;     // declares three functions of that type
// and the entry here is a pointer of that type (`SpmmFn* spmm`), so a backend whose signature
// drifted does not compile. kernel_table.cpp fills the tables.
// Conventions: "_forward" writes its output (assign) unless an `accumulate` flag says otherwise;
// every "_backward" accumulates (+=) into gradients, never zeroes them.
#pragma once

#include "kernels/csr_view.h"
#include "kernels/elementwise/elementwise.h"
#include "kernels/fused/fused_readout.h"
#include "kernels/gemm/gemm.h"
#include "kernels/graph/graph.h"
#include "kernels/layout/layout.h"
#include "kernels/norm/norm.h"
#include "kernels/train/train.h"

namespace nasflat::kernels {

enum class Backend { CpuReference, CpuFast, Cuda };

struct KernelTable {
    Backend backend;

    // elementwise/elementwise.h
    FillFn* fill;
    CopyFn* copy;
    AddScaledFn* add_scaled;
    UnaryForwardFn* unary_forward;
    UnaryBackwardFn* unary_backward;
    BinaryForwardFn* binary_forward;
    BinaryBackwardFn* binary_backward;
    GatedResidualForwardFn* gated_residual_forward;
    GatedResidualBackwardFn* gated_residual_backward;
    AverageForwardFn* average_forward;
    AverageBackwardFn* average_backward;

    // gemm/gemm.h
    GemmFn* gemm;

    // layout/layout.h
    ReduceSumFn* reduce_sum;
    BroadcastAddFn* broadcast_add;
    CopyBlockFn* copy_block;
    GatherRowsForwardFn* gather_rows_forward;
    GatherRowsBackwardFn* gather_rows_backward;

    // norm/norm.h
    SoftmaxForwardFn* softmax_forward;
    SoftmaxBackwardFn* softmax_backward;
    MaskedSoftmaxForwardFn* masked_softmax_forward;
    LayerNormForwardFn* layer_norm_forward;
    LayerNormBackwardFn* layer_norm_backward;

    // graph/graph.h
    SegmentSumForwardFn* segment_sum_forward;
    SegmentSumBackwardFn* segment_sum_backward;
    SpmmFn* spmm;
    SddmmFn* sddmm;
    EdgeSoftmaxForwardFn* edge_softmax_forward;
    EdgeSoftmaxBackwardFn* edge_softmax_backward;

    // fused/fused_readout.h: the whole graph part of the predictor, inference only (optional:
    // the model computes the same op by op)
    FusedReadoutFn* fused_readout;

    // train/train.h
    DropoutForwardFn* dropout_forward;
    DropoutBackwardFn* dropout_backward;
    PairHingeForwardFn* pair_hinge_forward;
    PairHingeBackwardFn* pair_hinge_backward;
    MseForwardFn* mse_forward;
    MseBackwardFn* mse_backward;
    L1ForwardFn* l1_forward;
    L1BackwardFn* l1_backward;
    AdamwStepFn* adamw_step;
};

// The table of a backend. Cuda throws when the binary was built without CUDA.
const KernelTable& kernel_table(Backend b);

// Replaces the table kernel_table(b) hands out, until called again with null (the built-in
// table comes back). For tools that swap kernels the product does not know: the profiler
// (profiled_table.h) and the benchmark (timing a version the product does not run). `t` must
// outlive its use; not thread-safe: set it before the work starts.
void override_kernel_table(Backend b, const KernelTable* t);
const KernelTable* kernel_table_override(Backend b);  // null when none

// True when this binary contains the CUDA backend (it may still find no GPU at run time).
bool cuda_compiled();

}  // namespace nasflat::kernels
