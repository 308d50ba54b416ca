// cuda_columns.cuh — deterministic column sums of a (rows, cols) view in two passes, for the
// gradient reductions (bias db, layer-norm dgamma/dbeta, reduce_sum over a non-last dim).
// Pass 1: the rows are cut into chunks of kRowsPerChunk; block (column tile, chunk) sums its
//         chunk for 32 adjacent columns (a warp wide: coalesced) with 8 row-threads, meeting in
//         shared memory in a fixed order -> partial[k][chunk][col].
// Pass 2: one thread per (k, col) adds the chunk partials in chunk order -> out_k[col].
// Why: one block per column tile (the first version) leaves most of the GPU idle when there are
// few columns and many rows; it took most of a large training step (docs/performance.md).
// No atomics; the order of every sum depends only on (rows, cols): same bits on every run.
// K values per element: `Value` is a functor with
//   __device__ void operator()(int64_t r, int64_t c, float (&v)[K]) const
#pragma once

#include <cstdint>

#include "kernels/cuda_common.cuh"

namespace nasflat::kernels::cuda_detail {

// A device buffer kept between calls and grown on demand (through raw_alloc, so allocation
// counts see it). Work on the default stream runs in order, so callers may reuse it freely.
float* cuda_workspace(int64_t floats);  // cuda_glue.cu

constexpr int kColTile = 32;
constexpr int kColRowThreads = 8;
constexpr int64_t kRowsPerChunk = 256;
constexpr int64_t kMaxChunkBlocks = 65535;  // gridDim.y limit

template <int K, typename Value>
__global__ void __launch_bounds__(kColTile * kColRowThreads)
    column_partials_kernel(float* __restrict__ partial,  // (K, chunks, cols)
                           Value value, int64_t rows, int64_t cols, int64_t chunks) {
    __shared__ float smem[K][kColRowThreads][kColTile];
    const int64_t c = static_cast<int64_t>(blockIdx.x) * kColTile + threadIdx.x;
    for (int64_t ch = blockIdx.y; ch < chunks; ch += gridDim.y) {
        float acc[K];
        for (int k = 0; k < K; ++k) acc[k] = 0.0f;
        if (c < cols) {
            const int64_t end = rows < (ch + 1) * kRowsPerChunk ? rows : (ch + 1) * kRowsPerChunk;
            for (int64_t r = ch * kRowsPerChunk + threadIdx.y; r < end; r += kColRowThreads) {
                float v[K];
                value(r, c, v);
                for (int k = 0; k < K; ++k) acc[k] += v[k];
            }
        }
        for (int k = 0; k < K; ++k) smem[k][threadIdx.y][threadIdx.x] = acc[k];
        __syncthreads();
        if (threadIdx.y == 0 && c < cols) {
            for (int k = 0; k < K; ++k) {
                float t = 0.0f;
                for (int y = 0; y < kColRowThreads; ++y) t += smem[k][y][threadIdx.x];
                partial[(k * chunks + ch) * cols + c] = t;
            }
        }
        __syncthreads();
    }
}

// out_k[c] (= or +=) sum over chunks of partial[k][chunk][c]; a null out_k is skipped.
template <int K>
__global__ void column_finish_kernel(float* __restrict__ out0, float* __restrict__ out1,
                                     const float* __restrict__ partial, int64_t chunks,
                                     int64_t cols, bool accumulate) {
    for (int64_t t = global_thread(); t < K * cols; t += grid_threads()) {
        const int64_t k = t / cols, c = t % cols;
        float* out = k == 0 ? out0 : out1;
        if (out == nullptr) continue;
        float s = 0.0f;
        for (int64_t ch = 0; ch < chunks; ++ch) s += partial[(k * chunks + ch) * cols + c];
        out[c] = accumulate ? out[c] + s : s;
    }
}

// out_k[c] (= or +=) sum_r value(r, c)[k]. rows, cols > 0.
template <int K, typename Value>
void column_sums(float* out0, float* out1, Value value, int64_t rows, int64_t cols,
                 bool accumulate) {
    const int64_t chunks = (rows + kRowsPerChunk - 1) / kRowsPerChunk;
    float* partial = cuda_workspace(K * chunks * cols);
    const dim3 block(kColTile, kColRowThreads);
    const dim3 grid(static_cast<unsigned int>((cols + kColTile - 1) / kColTile),
                    static_cast<unsigned int>(chunks < kMaxChunkBlocks ? chunks : kMaxChunkBlocks));
    column_partials_kernel<K><<<grid, block>>>(partial, value, rows, cols, chunks);
    CUDA_CHECK(cudaGetLastError());
    column_finish_kernel<K><<<blocks_for(K * cols, kThreads), kThreads>>>(out0, out1, partial,
                                                                        chunks, cols, accumulate);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::kernels::cuda_detail
