// fused_kernel.cuh — the fused readout (fused_readout.h) as one CUDA kernel template: a block of
// kFusedThreads threads per tile of whole graphs (at most kFusedTileRows node rows), every
// intermediate in shared memory, weights read through L1/L2. The stages are fused_tile.h's, the
// same code the CPU twin runs; __syncthreads() separates them.
// Template arguments: the GEMM loop (Version, fused_gemm.h: 2 fp32, 3 TF32 tensor cores; 1, the
// scalar loop, is timed by the benchmark only) and the blocks per SM the launch bounds aim at.
// fused_readout.cu instantiates what the product runs; bench/experiments/ the other variants.
#pragma once

#include <cuda_runtime.h>

#include "kernels/base/cuda_check.cuh"
#include "kernels/fused/fused_readout.h"
#include "kernels/fused/fused_tile.h"

namespace nasflat::kernels::fused {

struct BlockExec {
    template <class Stage>
    __device__ void operator()(Stage&& stage) const {
        stage(static_cast<int>(threadIdx.x));
        __syncthreads();
    }
};

// With the version a compile-time constant, each kernel holds only its own GEMM loop. Blocks:
// the launch bounds' register cap (65536 / (128 x blocks)).
template <int Version, int Blocks>
__global__ void __launch_bounds__(kFusedThreads, Blocks)
    fused_readout_kernel(const FusedReadoutArgs args, int gpt) {
    extern __shared__ __align__(128) float tile_mem[];  // v3's wmma loads need 32 B
    Tile t = make_tile(args, blockIdx.x, gpt, tile_mem);
    t.version = Version;
    run_tile(args, t, BlockExec{});
}

// One launch over every tile of the batch (args checked by the caller).
template <int Version, int Blocks>
void launch_fused_readout(const FusedReadoutArgs& args) {
    if (args.num_graphs == 0) return;
    const int gpt = fused_graphs_per_tile(args.max_nodes);
    const int64_t tiles = (args.num_graphs + gpt - 1) / gpt;
    const int64_t bytes = tile_bytes(args.gate_dim, args.max_nodes, gpt);
    static int64_t allowed = 0;  // the largest dynamic shared memory asked for so far
    if (bytes > allowed) {
        CUDA_CHECK(cudaFuncSetAttribute(fused_readout_kernel<Version, Blocks>,
                                        cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        static_cast<int>(bytes)));
        allowed = bytes;
    }
    fused_readout_kernel<Version, Blocks>
        <<<static_cast<unsigned int>(tiles), kFusedThreads, static_cast<size_t>(bytes)>>>(args,
                                                                                          gpt);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::kernels::fused
