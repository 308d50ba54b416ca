// experiments.h — kernel versions that lost to the product's, kept so that the benchmark can
// still time them (on another card the race may end differently). Each has a one-line obituary
// in the header of the product file it lost to: what it was, what beat it, by how much, where.
// Same function types (and so the same contracts) as the product's entries; device pointers.
//   graph_versions.cu  spmm v1 (thread per (row, feature)), cuSPARSE SpMM, sddmm v1 and edge
//                      softmax v1 (thread per row)            -> kernels/graph/graph.cu
//   gather_v2.cu       gather backward v2 (block per table row) -> kernels/layout/layout.cu
//   fused_variants.cu  fused readout v1 (scalar GEMM loop) and two blocks per SM
//                                                               -> kernels/fused/fused_readout.cu
//   profiler_capture.cu  cudaProfilerStart/Stop around the launches `ncu --profile-from-start
//                        off` should record (bench_model --capture)
// Only built with CUDA.
#pragma once

#include "kernels/kernels.h"

namespace nasflat::bench {

// graph_versions.cu. cuSPARSE cannot follow edge_id (the reverse CSR): it throws on one.
kernels::SpmmFn spmm_v1_cuda, spmm_cusparse_cuda;
kernels::SddmmFn sddmm_v1_cuda;
kernels::EdgeSoftmaxForwardFn edge_softmax_forward_v1_cuda;
kernels::EdgeSoftmaxBackwardFn edge_softmax_backward_v1_cuda;

// gather_v2.cu
kernels::GatherRowsBackwardFn gather_rows_backward_v2_cuda;

// fused_variants.cu: v1 at three blocks per SM; v1 and the args' version (2 or 3) at two.
kernels::FusedReadoutFn fused_readout_v1_cuda, fused_readout_v1_2blocks_cuda,
    fused_readout_2blocks_cuda;

// profiler_capture.cu
void cuda_profiler_capture(bool on);

}  // namespace nasflat::bench
