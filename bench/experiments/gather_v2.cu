// gather_v2.cu — the gather backward's losing version (obituary in kernels/layout/layout.cu):
// a block per table row, its threads splitting the row's entries, then a fixed tree. An
// embedding table of ~10 rows hit by 90K positions gives the per-row kernel only 10 x F threads
// with 9K serial loads each; this spreads each row over 1024 threads, but a 7-row table at
// F = 128 still has only 28 blocks, and the chunked kernel beat it 5.2x (H100, 2026-11-27).
// Dims and contract: kernels/layout/layout.h.
#include "bench/experiments/experiments.h"
#include "kernels/cuda_common.cuh"

namespace nasflat::bench {

using kernels::CsrView;
using namespace kernels::cuda_detail;

// backward v2: block per (row v, tile of TX features); thread (x, y) sums entries y, y + TY, ...
// of feature x, then the TY partial sums meet in a fixed tree (cuda_common.cuh).
static __global__ void __launch_bounds__(kColumnThreads)
    gather_rows_backward_kernel2(float* __restrict__ dx,               // (rows, F)
                                 const float* __restrict__ dout,       // (n, F)
                                 const int32_t* __restrict__ row_ptr,  // (rows + 1)
                                 const int32_t* __restrict__ col,      // (E)
                                 int64_t rows, int64_t F) {
    __shared__ float smem[kColumnThreads];
    const int64_t tiles_per_row = (F + blockDim.x - 1) / blockDim.x;
    for (int64_t work = blockIdx.x; work < rows * tiles_per_row; work += gridDim.x) {
        const int64_t v = work / tiles_per_row;
        const int64_t f = (work % tiles_per_row) * blockDim.x + threadIdx.x;
        float acc = 0.0f;
        if (f < F) {
            for (int32_t e = row_ptr[v] + static_cast<int32_t>(threadIdx.y); e < row_ptr[v + 1];
                 e += blockDim.y) {
                acc += dout[static_cast<int64_t>(col[e]) * F + f];
            }
        }
        const float total = block_column_sum(acc, smem);
        if (threadIdx.y == 0 && f < F) dx[v * F + f] += total;
    }
}

void gather_rows_backward_v2_cuda(float* dx, const float* dout, CsrView inverse, int64_t F) {
    const int64_t rows = inverse.num_rows;
    if (rows <= 0 || F <= 0 || inverse.num_edges <= 0) return;  // nothing to add
    // 32 features wide (one 128-byte line per entry), 32 entries deep.
    const dim3 block(kWarp, kColumnThreads / kWarp);
    const int64_t work = rows * ((F + kWarp - 1) / kWarp);
    gather_rows_backward_kernel2<<<blocks_for(work, 1), block>>>(dx, dout, inverse.row_ptr,
                                                                 inverse.col, rows, F);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::bench
