// fused_readout.cu — the product's instances of the fused readout kernel (fused_kernel.cuh):
// v2 (fp32) and v3 (TF32 tensor cores, sm_80 and newer), three blocks per SM.
// Shared memory ~64 KB per block for NB201 (C = 48, M = 8), registers capped at 168 by the
// launch bounds, so three blocks share an SM: while one waits at a barrier, the others issue.
// Obituaries (bench_model --fused, NB201 reference, batches 4096-262144, H200, 2026-11-27; both
// live on in bench/experiments/fused_variants.cu):
//   v1, X read one float at a time (8 shared loads + 4 weight loads per 32 FMAs): v2 is
//     1.07-1.13x faster. Its loop stays as v2's path for K or row strides not a multiple of 4.
//   two blocks per SM (no register cap, no spills): three are 1.14-1.35x faster.
#include "kernels/fused/fused_kernel.cuh"

namespace nasflat::kernels {

bool fused_readout_tf32_available() {
    static const bool available = [] {
        cudaFuncAttributes attr{};
        CUDA_CHECK(cudaFuncGetAttributes(&attr, fused::fused_readout_kernel<3, kFusedBlocksPerSm>));
        // The TF32 loop exists only in code built for sm_80 or newer (fused_gemm.h); a binary
        // run from older PTX, or on an older card, has the fp32 loops only.
        return attr.ptxVersion >= 80 && attr.binaryVersion >= 80;
    }();
    return available;
}

void fused_readout_cuda(const FusedReadoutArgs& args) {
    check_fused_readout_args(args);
    if (args.version == 3) {
        NASFLAT_CHECK(fused_readout_tf32_available(),
                      "fused readout v3 (TF32) needs a GPU of compute capability 8.0 or newer and "
                      "a binary built for it; hint: version 2, or CMAKE_CUDA_ARCHITECTURES with "
                      "80 or newer");
        fused::launch_fused_readout<3, kFusedBlocksPerSm>(args);
    } else {
        fused::launch_fused_readout<2, kFusedBlocksPerSm>(args);
    }
}

}  // namespace nasflat::kernels
