// graph.cu — CUDA message passing over a block-diagonal CSR batch of many small graphs (graph.h):
// segment readout, sparse-dense product (SpMM), edge scores (SDDMM), edge softmax.
// Dims: N nodes (all graphs), E edge slots, F features, G graphs (segments); row-major.
// Reference twins: graph.cpp. Bench: bench/bench_kernels.cpp (spmm, sddmm, edge_softmax rows).
// Forward products walk the forward CSR (row i = the nodes i reads from); their backward is the
// same SpMM on the reverse CSR (row j = the nodes that read j) with edge_id pointing at values
// in forward order: every output row has one owner, so there are no atomics anywhere.
//
// Every kernel here gives a CSR row to one warp: the row's col/val are broadcast loads shared
// by 32 lanes. SpMM: lanes over features (float4 when F % 4 == 0 and rows are 16-byte aligned),
// so a 128-feature row of x is one 512-byte coalesced read. SDDMM: per edge, lanes multiply
// features and a shuffle tree sums. Edge softmax: lanes over the row's edges, shuffle max/sum.
// Obituaries (bench_kernels, 4096 NB201-sized graphs, F = 128, H200, 2026-11-27; the losers
// live on in bench/experiments/ so the benchmark can time them on other cards):
//   spmm v1, a thread per (row, feature): 1.7x slower than the warp per row (0.033 vs 0.020 ms).
//   cuSPARSE SpMM (CSR_ALG2): 1.3-1.7x slower on these batches of tiny graphs, and it cannot
//     follow edge_id (the backward's reverse CSR).
//   sddmm v1, a thread per row: 3.3x slower (0.160 vs 0.048 ms, complete 8-node graphs).
//   edge softmax v1, a thread per row: 1.3x faster on 8-entry rows (0.008 vs 0.011 ms) but 2.6x
//     slower on FBNet's 22-entry rows (0.059 vs 0.023 ms); the warp per row serves both.
#include <cmath>

#include "kernels/cuda_common.cuh"
#include "kernels/elementwise/elementwise.h"
#include "kernels/graph/graph.h"

namespace nasflat::kernels {

using namespace cuda_detail;

// Value of edge slot e: val[edge_id[e]] when walking a reverse CSR, val[e] otherwise, 1 if null.
static __device__ __forceinline__ float edge_value(const float* __restrict__ val,
                                                   const int32_t* __restrict__ edge_id, int32_t e) {
    return val == nullptr ? 1.0f : val[edge_id != nullptr ? edge_id[e] : e];
}

// --- segment readout ---------------------------------------------------------------------------

// forward: out[g, f] = sum_{i in segment g} w_i x[i, f]; one thread per (g, f)
static __global__ void segment_sum_forward_kernel(float* __restrict__ out,              // (G, F)
                                                  const float* __restrict__ x,          // (N, F)
                                                  const int32_t* __restrict__ seg_ptr,  // (G + 1)
                                                  const float* __restrict__ w,  // (N) or null
                                                  int64_t G, int64_t F) {
    for (int64_t t = global_thread(); t < G * F; t += grid_threads()) {
        const int64_t g = t / F, f = t % F;
        float acc = 0.0f;
        for (int32_t i = seg_ptr[g]; i < seg_ptr[g + 1]; ++i) {
            acc += (w != nullptr ? w[i] : 1.0f) * x[static_cast<int64_t>(i) * F + f];
        }
        out[t] = acc;
    }
}

// backward: dx[i, f] += w_i dout[g(i), f]; segments are disjoint, so the thread of (g, f) owns
// column f of every node of segment g
static __global__ void segment_sum_backward_kernel(float* __restrict__ dx,               // (N, F)
                                                   const float* __restrict__ dout,       // (G, F)
                                                   const int32_t* __restrict__ seg_ptr,  // (G + 1)
                                                   const float* __restrict__ w,  // (N) or null
                                                   int64_t G, int64_t F) {
    for (int64_t t = global_thread(); t < G * F; t += grid_threads()) {
        const int64_t g = t / F, f = t % F;
        const float d = dout[t];
        for (int32_t i = seg_ptr[g]; i < seg_ptr[g + 1]; ++i) {
            dx[static_cast<int64_t>(i) * F + f] += (w != nullptr ? w[i] : 1.0f) * d;
        }
    }
}

void segment_sum_forward_cuda(float* out, const float* x, const int32_t* seg_ptr, const float* w,
                              int64_t G, int64_t F) {
    if (G <= 0 || F <= 0) return;
    segment_sum_forward_kernel<<<blocks_for(G * F, kThreads), kThreads>>>(out, x, seg_ptr, w, G, F);
    CUDA_CHECK(cudaGetLastError());
}

void segment_sum_backward_cuda(float* dx, const float* dout, const int32_t* seg_ptr, const float* w,
                               int64_t G, int64_t F) {
    if (G <= 0 || F <= 0) return;
    segment_sum_backward_kernel<<<blocks_for(G * F, kThreads), kThreads>>>(dx, dout, seg_ptr, w, G,
                                                                           F);
    CUDA_CHECK(cudaGetLastError());
}

// --- SpMM --------------------------------------------------------------------------------------
// forward:  out_i (= or +=) sum_{e in row i} v_e x_{col(e)}       (forward CSR)
// backward: dx_j += sum_{e in reverse row j} v_{edge_id(e)} dout_i  (reverse CSR, same kernels)
// The accumulator starts from out (accumulate) or 0 and adds edges in CSR order: the reference's
// exact order of operations.

// v2: one warp per row i, lane l owns features l, l + 32, ... (scalar path, any F)
static __global__ void spmm_kernel2(float* __restrict__ out,              // (rows, F)
                                    const int32_t* __restrict__ row_ptr,  // (rows + 1)
                                    const int32_t* __restrict__ col,      // (E)
                                    const int32_t* __restrict__ edge_id,  // (E) or null
                                    const float* __restrict__ val,        // (E) or null
                                    const float* __restrict__ x,          // (cols, F)
                                    int64_t rows, int64_t F, bool accumulate) {
    for (int64_t i = global_warp(); i < rows; i += grid_warps()) {
        const int32_t lo = row_ptr[i], hi = row_ptr[i + 1];
        for (int64_t f = lane_id(); f < F; f += kWarp) {
            float acc = accumulate ? out[i * F + f] : 0.0f;
            for (int32_t e = lo; e < hi; ++e) {
                acc += edge_value(val, edge_id, e) * x[static_cast<int64_t>(col[e]) * F + f];
            }
            out[i * F + f] = acc;
        }
    }
}

// v2, vector path: F4 = F / 4 float4 columns; same ownership, a quarter of the load instructions
static __global__ void spmm_kernel2_vec4(float4* __restrict__ out,             // (rows, F4)
                                         const int32_t* __restrict__ row_ptr,  // (rows + 1)
                                         const int32_t* __restrict__ col,      // (E)
                                         const int32_t* __restrict__ edge_id,  // (E) or null
                                         const float* __restrict__ val,        // (E) or null
                                         const float4* __restrict__ x,         // (cols, F4)
                                         int64_t rows, int64_t F4, bool accumulate) {
    for (int64_t i = global_warp(); i < rows; i += grid_warps()) {
        const int32_t lo = row_ptr[i], hi = row_ptr[i + 1];
        for (int64_t f = lane_id(); f < F4; f += kWarp) {
            float4 acc = accumulate ? out[i * F4 + f] : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            for (int32_t e = lo; e < hi; ++e) {
                const float v = edge_value(val, edge_id, e);
                const float4 xv = x[static_cast<int64_t>(col[e]) * F4 + f];
                acc.x += v * xv.x;
                acc.y += v * xv.y;
                acc.z += v * xv.z;
                acc.w += v * xv.w;
            }
            out[i * F4 + f] = acc;
        }
    }
}

void spmm_cuda(float* out, CsrView A, const float* val, const float* x, int64_t F,
               bool accumulate) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || F <= 0) return;
    if (F % 4 == 0 && aligned16(out) && aligned16(x)) {
        spmm_kernel2_vec4<<<warp_blocks_for(rows), kThreads>>>(
            reinterpret_cast<float4*>(out), A.row_ptr, A.col, A.edge_id, val,
            reinterpret_cast<const float4*>(x), rows, F / 4, accumulate);
    } else {
        spmm_kernel2<<<warp_blocks_for(rows), kThreads>>>(out, A.row_ptr, A.col, A.edge_id, val, x,
                                                          rows, F, accumulate);
    }
    CUDA_CHECK(cudaGetLastError());
}

// --- SDDMM -------------------------------------------------------------------------------------
// forward: out_e = <a_i, b_{col(e)}> for every edge slot e of row i (forward CSR)

// v2: one warp per row; for each edge, lanes take features lane, lane + 32, ... and a butterfly
// sums the 32 partial dot products (every lane ends with the same total)
static __global__ void sddmm_kernel2(float* __restrict__ out,              // (E)
                                     const int32_t* __restrict__ row_ptr,  // (rows + 1)
                                     const int32_t* __restrict__ col,      // (E)
                                     const float* __restrict__ a,          // (rows, F)
                                     const float* __restrict__ b,          // (cols, F)
                                     int64_t rows, int64_t F) {
    for (int64_t i = global_warp(); i < rows; i += grid_warps()) {
        const float* ai = a + i * F;
        for (int32_t e = row_ptr[i]; e < row_ptr[i + 1]; ++e) {  // warp-uniform loop
            const float* bj = b + static_cast<int64_t>(col[e]) * F;
            float acc = 0.0f;
            for (int64_t f = lane_id(); f < F; f += kWarp) acc += ai[f] * bj[f];
            acc = warp_sum(acc);
            if (lane_id() == 0) out[e] = acc;
        }
    }
}

void sddmm_cuda(float* out, CsrView A, const float* a, const float* b, int64_t F) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || A.num_edges <= 0) return;
    sddmm_kernel2<<<warp_blocks_for(rows), kThreads>>>(out, A.row_ptr, A.col, a, b, rows, F);
    CUDA_CHECK(cudaGetLastError());
}

// --- edge softmax ------------------------------------------------------------------------------
// forward:  y_e = exp(s_e - max_row) / sum_row exp(s - max_row); an empty row writes nothing
// backward: ds_e += y_e (dy_e - sum_row y dy)

// v2: one warp per row, lane l owns edge slots lo + l, lo + l + 32, ...; shuffle max and sum
static __global__ void edge_softmax_forward_kernel2(
    float* __restrict__ out,              // (E)
    const int32_t* __restrict__ row_ptr,  // (rows+1)
    const float* __restrict__ s,          // (E)
    int64_t rows) {
    for (int64_t i = global_warp(); i < rows; i += grid_warps()) {
        const int32_t lo = row_ptr[i], hi = row_ptr[i + 1];
        if (lo == hi) continue;  // warp-uniform
        float mx = -INFINITY;
        for (int32_t e = lo + lane_id(); e < hi; e += kWarp) mx = fmaxf(mx, s[e]);
        mx = warp_max(mx);
        float sum = 0.0f;
        for (int32_t e = lo + lane_id(); e < hi; e += kWarp) {
            const float v = expf(s[e] - mx);
            out[e] = v;
            sum += v;
        }
        sum = warp_sum(sum);
        for (int32_t e = lo + lane_id(); e < hi; e += kWarp) out[e] /= sum;  // own writes only
    }
}

static __global__ void edge_softmax_backward_kernel2(
    float* __restrict__ ds,               // (E)
    const int32_t* __restrict__ row_ptr,  // (rows+1)
    const float* __restrict__ y,          // (E)
    const float* __restrict__ dy,         // (E)
    int64_t rows) {
    for (int64_t i = global_warp(); i < rows; i += grid_warps()) {
        const int32_t lo = row_ptr[i], hi = row_ptr[i + 1];
        float dot = 0.0f;
        for (int32_t e = lo + lane_id(); e < hi; e += kWarp) dot += y[e] * dy[e];
        dot = warp_sum(dot);
        for (int32_t e = lo + lane_id(); e < hi; e += kWarp) ds[e] += y[e] * (dy[e] - dot);
    }
}

void edge_softmax_forward_cuda(float* out, CsrView A, const float* s) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || A.num_edges <= 0) return;
    edge_softmax_forward_kernel2<<<warp_blocks_for(rows), kThreads>>>(out, A.row_ptr, s, rows);
    CUDA_CHECK(cudaGetLastError());
}

void edge_softmax_backward_cuda(float* ds, CsrView A, const float* y, const float* dy) {
    const int64_t rows = A.num_rows;
    if (rows <= 0 || A.num_edges <= 0) return;
    edge_softmax_backward_kernel2<<<warp_blocks_for(rows), kThreads>>>(ds, A.row_ptr, y, dy, rows);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::kernels
