// fused_readout.cu — the fused readout (fused_readout.h) as one CUDA kernel: a block of
// kFusedThreads threads per tile of whole graphs (at most kFusedTileRows node rows), every
// intermediate in shared memory, weights read through L1/L2. The stages are fused_tile.h's,
// the same code the CPU twin runs; __syncthreads() separates them.
//
// Versions (fused_tile.h, gemm_tile): v1 fp32 on CUDA cores, 8x4 register tiles per thread,
// weights straight from global memory; v2 the same reading X as float4; v3 TF32 tensor cores.
// Shared memory ~127 KB per block for NB201 (C = 48, M = 8): one block per SM.
#include <cuda_runtime.h>

#include "kernels/cuda_check.cuh"
#include "kernels/cuda_kernels.cuh"
#include "kernels/fused_readout.h"
#include "kernels/fused_tile.h"

namespace nasflat::kernels {
namespace {

struct BlockExec {
    template <class Stage>
    __device__ void operator()(Stage&& stage) const {
        stage(static_cast<int>(threadIdx.x));
        __syncthreads();
    }
};

__global__ void __launch_bounds__(kFusedThreads)
    fused_readout_kernel(const FusedReadoutArgs args, int gpt) {
    extern __shared__ __align__(128) float tile_mem[];  // v3's wmma loads need 32 B
    const fused::Tile t = fused::make_tile(args, blockIdx.x, gpt, tile_mem);
    fused::run_tile(args, t, BlockExec{});
}

}  // namespace

void fused_readout_cuda(const FusedReadoutArgs& args) {
    check_fused_readout_args(args);
    if (args.num_graphs == 0) return;
    const int gpt = fused_graphs_per_tile(args.max_nodes);
    const int64_t tiles = (args.num_graphs + gpt - 1) / gpt;
    const int64_t bytes = fused::tile_bytes(args.gate_dim, args.max_nodes, gpt);
    static int64_t allowed = 0;  // the largest dynamic shared memory asked for so far
    if (bytes > allowed) {
        CUDA_CHECK(cudaFuncSetAttribute(fused_readout_kernel,
                                                cudaFuncAttributeMaxDynamicSharedMemorySize,
                                                static_cast<int>(bytes)));
        allowed = bytes;
    }
    fused_readout_kernel<<<static_cast<unsigned int>(tiles), kFusedThreads,
                           static_cast<size_t>(bytes)>>>(args, gpt);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::kernels
