// cuda_common.cuh — launch geometry and deterministic reductions shared by the CUDA kernels
// (kernels/*/*.cu, bench/experiments/).
// Every kernel walks its work with a grid-stride loop over int64 indices, so a grid capped at
// kMaxBlocks still covers any n (1M graphs x 22 nodes x 128 features = 2.8e9 > 2^31), and the
// launchers never launch an empty grid (they return early when there is no work).
// Reductions are fixed trees (xor butterflies, shared-memory halving): the same input gives the
// same bits on every run, with no atomics anywhere.
#pragma once

#include <cstdint>

#include "kernels/base/cuda_check.cuh"

namespace nasflat::kernels::cuda_detail {

constexpr int kThreads = 256;  // default block for elementwise kernels
constexpr int kWarp = 32;
constexpr int kWarpsPerBlock = kThreads / kWarp;
constexpr int64_t kMaxBlocks = 1 << 20;  // well under the 2^31 - 1 limit of gridDim.x
constexpr int kColumnThreads = 1024;     // block of the column-sum kernels (tile x row split)
constexpr unsigned kFullMask = 0xffffffffu;

// Blocks for `work` items at `per_block` items per block; work > 0 (callers return early).
inline unsigned int blocks_for(int64_t work, int64_t per_block) {
    int64_t blocks = (work + per_block - 1) / per_block;
    return static_cast<unsigned int>(blocks < kMaxBlocks ? blocks : kMaxBlocks);
}

// One warp per row: blocks of kThreads threads (kWarpsPerBlock rows each, then grid-stride).
inline unsigned int warp_blocks_for(int64_t rows) {
    return blocks_for(rows, kWarpsPerBlock);
}

__device__ __forceinline__ int64_t global_thread() {
    return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ int64_t grid_threads() {
    return static_cast<int64_t>(gridDim.x) * blockDim.x;
}
__device__ __forceinline__ int64_t global_warp() {
    return global_thread() / kWarp;
}
__device__ __forceinline__ int64_t grid_warps() {
    return grid_threads() / kWarp;
}
__device__ __forceinline__ int lane_id() {
    return static_cast<int>(threadIdx.x % kWarp);
}

// Xor butterfly: partners add the same two numbers (a + b == b + a exactly), so after the 5
// steps every lane holds the same, run-to-run identical total. All 32 lanes must call it.
__device__ __forceinline__ float warp_sum(float v) {
    for (int offset = kWarp / 2; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(kFullMask, v, offset);
    }
    return v;
}
__device__ __forceinline__ float warp_max(float v) {
    for (int offset = kWarp / 2; offset > 0; offset >>= 1) {
        v = fmaxf(v, __shfl_xor_sync(kFullMask, v, offset));
    }
    return v;
}

// Sums `v` over threadIdx.y in a fixed tree; returns the column total (valid where
// threadIdx.y == 0). Every thread of the block must call it; `smem` holds blockDim.x * blockDim.y
// floats. Ends with a barrier so the caller may reuse `smem` at once.
__device__ __forceinline__ float block_column_sum(float v, float* smem) {
    const unsigned int tx = threadIdx.x, ty = threadIdx.y, width = blockDim.x;
    smem[ty * width + tx] = v;
    __syncthreads();
    for (unsigned int half = blockDim.y / 2; half > 0; half >>= 1) {
        if (ty < half) smem[ty * width + tx] += smem[(ty + half) * width + tx];
        __syncthreads();
    }
    float total = smem[tx];
    __syncthreads();
    return total;
}

// 16-byte vector loads need 16-byte aligned rows: F % 4 == 0 and aligned base pointers.
inline bool aligned16(const void* p) {
    return (reinterpret_cast<uintptr_t>(p) & 15u) == 0;
}

}  // namespace nasflat::kernels::cuda_detail
