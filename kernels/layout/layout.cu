// layout.cu — CUDA kernels that move or reduce data (layout.h): sums over a dim, block copies
// (concat, slice) and row gathers (embedding lookup, index_select) with their backward.
// Dims: a tensor viewed as (outer, len, inner), row-major; F features; n gathered rows.
// Reference twins: layout.cpp. Bench: bench/bench_kernels.cpp (embedding rows).
// No atomics: reduce_sum owns each output (a warp per row when inner == 1, else the two-pass
// column sums of cuda_columns.cuh); gather backward walks the inverse index (layout.h), one
// owner per row of dx.
// Gather backward, two kernels (layout.h), picked by the average in-degree E / rows:
//   per row (< kGatherChunkedMinDegree): one thread per (source row v, feature f), entries
//            summed in CSR order, the reference's order.
//   chunked (>= it): two passes over chunks of 256 entries (gather_chunks.h): blocks scale
//            with E, not with the table's rows (a 7-row op table hit by every node of 4096
//            graphs would give the per-row kernel 7 x F threads with thousands of loads each).
// Obituary: v2, a block per table row with its threads splitting the row's entries, lost to the
// chunked kernel by 5.2x (7-row table, 4096 NB201 graphs, H100; it had 28 blocks for 132 SMs);
// it lives on in bench/experiments/ for the benchmark.
#include <algorithm>

#include "kernels/cuda_columns.cuh"
#include "kernels/cuda_common.cuh"
#include "kernels/elementwise/elementwise.h"
#include "kernels/layout/layout.h"
#include "kernels/layout/gather_chunks.h"

namespace nasflat::kernels {

using namespace cuda_detail;

// --- reductions ------------------------------------------------------------------------------

// forward: out[o, i] = sum_l x[o, l, i]. inner == 1: one warp per o, lanes stride over l.
static __global__ void reduce_sum_rows_kernel(float* __restrict__ out,      // (outer)
                                              const float* __restrict__ x,  // (outer, len)
                                              int64_t outer, int64_t len) {
    for (int64_t o = global_warp(); o < outer; o += grid_warps()) {
        float acc = 0.0f;
        for (int64_t l = lane_id(); l < len; l += kWarp) acc += x[o * len + l];
        acc = warp_sum(acc);
        if (lane_id() == 0) out[o] = acc;
    }
}

// forward, inner > 1: column c = (o, i) of the (len, outer * inner) view, summed over l by the
// two-pass column sums of cuda_columns.cuh.
struct ReduceSumValue {
    const float* x;  // (outer, len, inner)
    int64_t len, inner;
    __device__ void operator()(int64_t l, int64_t c, float (&v)[1]) const {
        v[0] = x[((c / inner) * len + l) * inner + c % inner];
    }
};

// backward of a (scaled) sum: dx[o, l, i] += scale * dout[o, i]
static __global__ void broadcast_add_kernel(float* __restrict__ dx,          // (outer, len, inner)
                                            const float* __restrict__ dout,  // (outer, inner)
                                            int64_t n, int64_t len, int64_t inner, float scale) {
    for (int64_t t = global_thread(); t < n; t += grid_threads()) {
        const int64_t o = t / (len * inner), i = t % inner;
        dx[t] += scale * dout[o * inner + i];
    }
}

void reduce_sum_cuda(float* out, const float* x, int64_t outer, int64_t len, int64_t inner) {
    if (outer <= 0 || inner <= 0) return;
    if (inner == 1) {
        reduce_sum_rows_kernel<<<warp_blocks_for(outer), kThreads>>>(out, x, outer, len);
    } else {
        if (len <= 0) {
            fill_cuda(out, outer * inner, 0.0f);
            return;
        }
        column_sums<1>(out, nullptr, ReduceSumValue{x, len, inner}, len, outer * inner, false);
        return;
    }
    CUDA_CHECK(cudaGetLastError());
}

void broadcast_add_cuda(float* dx, const float* dout, int64_t outer, int64_t len, int64_t inner,
                        float scale) {
    const int64_t n = outer * len * inner;
    if (n <= 0) return;
    broadcast_add_kernel<<<blocks_for(n, kThreads), kThreads>>>(dx, dout, n, len, inner, scale);
    CUDA_CHECK(cudaGetLastError());
}

// --- block copy ------------------------------------------------------------------------------

// out[o, out_off + l, i] (= or +=) x[o, x_off + l, i]; t enumerates (o, l * inner + i)
static __global__ void copy_block_kernel(float* __restrict__ out,      // (outer, out_len, inner)
                                         const float* __restrict__ x,  // (outer, x_len, inner)
                                         int64_t out_len, int64_t out_off, int64_t x_len,
                                         int64_t x_off, int64_t len, int64_t outer, int64_t inner,
                                         bool accumulate) {
    const int64_t block = len * inner;
    for (int64_t t = global_thread(); t < outer * block; t += grid_threads()) {
        const int64_t o = t / block, k = t % block;
        const float v = x[(o * x_len + x_off) * inner + k];
        float* dst = out + (o * out_len + out_off) * inner + k;
        *dst = accumulate ? *dst + v : v;
    }
}

void copy_block_cuda(float* out, int64_t out_len, int64_t out_off, const float* x, int64_t x_len,
                     int64_t x_off, int64_t len, int64_t outer, int64_t inner, bool accumulate) {
    const int64_t n = outer * len * inner;
    if (n <= 0) return;
    copy_block_kernel<<<blocks_for(n, kThreads), kThreads>>>(out, x, out_len, out_off, x_len, x_off,
                                                             len, outer, inner, accumulate);
    CUDA_CHECK(cudaGetLastError());
}

// --- row gathers -----------------------------------------------------------------------------

// forward: out[r, f] = x[idx[r], f]; adjacent threads read adjacent f (coalesced)
static __global__ void gather_rows_forward_kernel(float* __restrict__ out,          // (n, F)
                                                  const float* __restrict__ x,      // (rows_x, F)
                                                  const int32_t* __restrict__ idx,  // (n)
                                                  int64_t n, int64_t F) {
    for (int64_t t = global_thread(); t < n * F; t += grid_threads()) {
        const int64_t r = t / F, f = t % F;
        out[t] = x[static_cast<int64_t>(idx[r]) * F + f];
    }
}

void gather_rows_forward_cuda(float* out, const float* x, const int32_t* idx, int64_t n,
                              int64_t F) {
    if (n <= 0 || F <= 0) return;
    gather_rows_forward_kernel<<<blocks_for(n * F, kThreads), kThreads>>>(out, x, idx, n, F);
    CUDA_CHECK(cudaGetLastError());
}

// backward v1: dx[v, f] += sum_{e in inverse row v} dout[col(e), f], one thread per (v, f),
// entries in CSR order (the reference's order)
static __global__ void gather_rows_backward_kernel1(
    float* __restrict__ dx,               // (rows, F)
    const float* __restrict__ dout,       // (n, F)
    const int32_t* __restrict__ row_ptr,  // (rows+1)
    const int32_t* __restrict__ col,      // (E)
    int64_t rows, int64_t F) {
    for (int64_t t = global_thread(); t < rows * F; t += grid_threads()) {
        const int64_t v = t / F, f = t % F;
        float acc = 0.0f;
        for (int32_t e = row_ptr[v]; e < row_ptr[v + 1]; ++e) {
            acc += dout[static_cast<int64_t>(col[e]) * F + f];
        }
        dx[t] += acc;
    }
}

// backward v3, pass 1: block (32-feature tile, chunk c) sums each piece (c, v) of its chunk into
// slot c + v of partial; its kGatherRowThreads row-threads meet in block_column_sum's tree.
constexpr int kGatherThreads = kWarp * kGatherRowThreads;
static __global__ void __launch_bounds__(kGatherThreads)
    gather_chunk_partials_kernel(float* __restrict__ partial,          // (slots, F)
                                 const float* __restrict__ dout,       // (n, F)
                                 const int32_t* __restrict__ row_ptr,  // (rows + 1)
                                 const int32_t* __restrict__ col,      // (E)
                                 int32_t rows, int32_t E, int64_t F) {
    __shared__ float smem[kGatherThreads];
    const int64_t f = static_cast<int64_t>(blockIdx.x) * kWarp + threadIdx.x;
    for (int32_t c = blockIdx.y; c < gather_chunk_count(E); c += gridDim.y) {
        const int32_t cs = c * kGatherChunk, ce = min(cs + kGatherChunk, E);
        for (int32_t v = gather_row_of_entry(row_ptr, rows, cs); v < rows && row_ptr[v] < ce; ++v) {
            const int32_t lo = max(row_ptr[v], cs), hi = min(row_ptr[v + 1], ce);
            if (lo >= hi) continue;  // an empty row: the same for the whole block
            const float share =
                f < F ? gather_piece_share(dout, col, lo, hi, threadIdx.y, f, F) : 0.0f;
            const float total = block_column_sum(share, smem);
            if (threadIdx.y == 0 && f < F) partial[(static_cast<int64_t>(c) + v) * F + f] = total;
        }
    }
}

// backward v3, pass 2: thread (v, f) adds row v's slots in chunk order.
static __global__ void gather_chunk_finish_kernel(float* __restrict__ dx,  // (rows, F)
                                                  const float* __restrict__ partial,
                                                  const int32_t* __restrict__ row_ptr, int32_t rows,
                                                  int64_t F) {
    for (int64_t t = global_thread(); t < rows * F; t += grid_threads()) {
        const int32_t v = static_cast<int32_t>(t / F);
        dx[t] += gather_row_total(partial, row_ptr, v, t % F, F);
    }
}

void gather_rows_backward_per_row_cuda(float* dx, const float* dout, CsrView inverse, int64_t F) {
    const int64_t rows = inverse.num_rows;
    if (rows <= 0 || F <= 0 || inverse.num_edges <= 0) return;  // nothing to add
    gather_rows_backward_kernel1<<<blocks_for(rows * F, kThreads), kThreads>>>(
        dx, dout, inverse.row_ptr, inverse.col, rows, F);
    CUDA_CHECK(cudaGetLastError());
}

void gather_rows_backward_chunked_cuda(float* dx, const float* dout, CsrView inverse, int64_t F) {
    const int64_t rows = inverse.num_rows;
    if (rows <= 0 || F <= 0 || inverse.num_edges <= 0) return;  // nothing to add
    const int32_t E = inverse.num_edges, chunks = gather_chunk_count(E);
    float* partial = cuda_workspace(gather_slot_count(E, inverse.num_rows) * F);
    const dim3 block(kWarp, kGatherRowThreads);
    const dim3 grid(static_cast<unsigned int>((F + kWarp - 1) / kWarp),
                    static_cast<unsigned int>(std::min<int64_t>(chunks, kMaxChunkBlocks)));
    gather_chunk_partials_kernel<<<grid, block>>>(partial, dout, inverse.row_ptr, inverse.col,
                                                  inverse.num_rows, E, F);
    CUDA_CHECK(cudaGetLastError());
    gather_chunk_finish_kernel<<<blocks_for(rows * F, kThreads), kThreads>>>(
        dx, partial, inverse.row_ptr, inverse.num_rows, F);
    CUDA_CHECK(cudaGetLastError());
}

// Few entries per row: a thread per (row, feature) has work enough and no second pass; many
// (an embedding table of a few rows hit by every node): the chunks spread them over the GPU.
void gather_rows_backward_cuda(float* dx, const float* dout, CsrView inverse, int64_t F) {
    if (inverse.num_edges >= kGatherChunkedMinDegree * static_cast<int64_t>(inverse.num_rows)) {
        gather_rows_backward_chunked_cuda(dx, dout, inverse, F);
    } else {
        gather_rows_backward_per_row_cuda(dx, dout, inverse, F);
    }
}

}  // namespace nasflat::kernels
