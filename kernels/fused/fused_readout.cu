// fused_readout.cu — the fused readout (fused_readout.h) as one CUDA kernel: a block of
// kFusedThreads threads per tile of whole graphs (at most kFusedTileRows node rows), every
// intermediate in shared memory, weights read through L1/L2. The stages are fused_tile.h's,
// the same code the CPU twin runs; __syncthreads() separates them.
//
// Versions (fused_gemm.h, gemm_tile): v1 fp32 on CUDA cores, 8x4 register tiles per thread,
// weights straight from global memory; v2 the same reading X as float4; v3 TF32 tensor cores.
// Shared memory ~64 KB per block for NB201 (C = 48, M = 8), registers capped at 168 by the
// launch bounds, so three blocks share an SM: while one waits at a barrier, the others issue.
// (Tiles of 64 rows and 256 threads took 127 KB and 188 registers, one block per SM: 8 warps,
// 0.4 eligible per scheduler, IPC 1.2 under Nsight Compute on an H200.)
#include <cuda_runtime.h>

#include "kernels/base/cuda_check.cuh"
#include "kernels/cuda_options.h"
#include "kernels/fused/fused_readout.h"
#include "kernels/fused/fused_tile.h"

namespace nasflat::kernels {
namespace {

struct BlockExec {
    template <class Stage>
    __device__ void operator()(Stage&& stage) const {
        stage(static_cast<int>(threadIdx.x));
        __syncthreads();
    }
};

// One kernel per (version, blocks per SM): with the version a compile-time constant, each
// kernel holds only its own GEMM loop. Blocks: the launch bounds' register cap (65536 / (128 x
// blocks)): 3 blocks fit 168 registers with ~30 words spilled (v1, v2; more for v3), 2 blocks
// the uncapped ~200 registers without spills. Which wins is measured (bench_model --fused).
template <int Version, int Blocks>
__global__ void __launch_bounds__(kFusedThreads, Blocks)
    fused_readout_kernel(const FusedReadoutArgs args, int gpt) {
    extern __shared__ __align__(128) float tile_mem[];  // v3's wmma loads need 32 B
    fused::Tile t = fused::make_tile(args, blockIdx.x, gpt, tile_mem);
    t.version = Version;
    fused::run_tile(args, t, BlockExec{});
}

template <int Version, int Blocks>
void launch(const FusedReadoutArgs& args, int gpt, int64_t tiles, int64_t bytes) {
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

template <int Blocks>
void launch_version(const FusedReadoutArgs& args, int gpt, int64_t tiles, int64_t bytes) {
    switch (args.version) {
        case 2:
            launch<2, Blocks>(args, gpt, tiles, bytes);
            break;
        case 3:
            launch<3, Blocks>(args, gpt, tiles, bytes);
            break;
        default:
            launch<1, Blocks>(args, gpt, tiles, bytes);
            break;
    }
}

int g_blocks_per_sm = kFusedBlocksPerSm;

}  // namespace

void fused_readout_cuda(const FusedReadoutArgs& args) {
    check_fused_readout_args(args);
    if (args.num_graphs == 0) return;
    const int gpt = fused_graphs_per_tile(args.max_nodes);
    const int64_t tiles = (args.num_graphs + gpt - 1) / gpt;
    const int64_t bytes = fused::tile_bytes(args.gate_dim, args.max_nodes, gpt);
    if (g_blocks_per_sm == 2) {
        launch_version<2>(args, gpt, tiles, bytes);
    } else {
        launch_version<3>(args, gpt, tiles, bytes);
    }
}

void set_fused_readout_blocks_per_sm(int blocks) {
    NASFLAT_CHECK(blocks == 2 || blocks == 3, "fused readout: ", blocks,
                  " blocks per SM is not built; hint: 2 or 3");
    g_blocks_per_sm = blocks;
}

}  // namespace nasflat::kernels
