// fused_variants.cu — the fused readout kernel (kernels/fused/fused_kernel.cuh) in the variants
// the product dropped: v1, the scalar GEMM loop (v2 is 1.07-1.13x faster), and two blocks per SM
// instead of three (three are 1.14-1.35x faster; NB201 reference, H200, 2026-11-27).
// bench_model --fused times them beside the product's versions through override_kernel_table.
#include "bench/experiments/experiments.h"
#include "kernels/fused/fused_kernel.cuh"

namespace nasflat::bench {

using kernels::FusedReadoutArgs;

void fused_readout_v1_cuda(const FusedReadoutArgs& args) {
    kernels::check_fused_readout_args(args);
    kernels::fused::launch_fused_readout<1, kernels::kFusedBlocksPerSm>(args);
}

void fused_readout_v1_2blocks_cuda(const FusedReadoutArgs& args) {
    kernels::check_fused_readout_args(args);
    kernels::fused::launch_fused_readout<1, 2>(args);
}

void fused_readout_2blocks_cuda(const FusedReadoutArgs& args) {
    kernels::check_fused_readout_args(args);
    if (args.version == kernels::kFusedTf32Version) {
        kernels::fused::launch_fused_readout<3, 2>(args);
    } else {
        kernels::fused::launch_fused_readout<2, 2>(args);
    }
}

}  // namespace nasflat::bench
