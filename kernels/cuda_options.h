// cuda_options.h — numbered kernel versions of the CUDA backend, for host code (.cpp) that wants
// more than the KernelTable: launchers that take an explicit `int version` so the benchmark can
// time every version side by side. Plain C++: no CUDA headers. Defined in kernels/*/*.cu; only
// present when NASFLAT_WITH_CUDA. The KernelTable always uses the k*DefaultVersion.
#pragma once

#include <cstdint>

#include "kernels/csr_view.h"

namespace nasflat::kernels {

// Fused readout kernel (fused_readout.cu): blocks per SM its launch bounds aim at, 2 or 3
// (kFusedBlocksPerSm by default), for the benchmark to time both. A no-op without CUDA.
void set_fused_readout_blocks_per_sm(int blocks);

// Brackets the launches an external profiler started with capture off (`ncu
// --profile-from-start off`) records: cudaProfilerStart / Stop. A no-op without CUDA.
void cuda_profiler_capture(bool on);

// Sparse product (graph.cu). 1: thread per (row, feature); 2: warp per row, lanes over features,
// float4 when possible; 3: cuSPARSE SpMM (only without edge_id; allocates its workspace).
constexpr int kSpmmDefaultVersion = 2;
constexpr int kSpmmCusparseVersion = 3;
constexpr int kSpmmNumVersions = 3;
void spmm_cuda(float* out,        // (A.num_rows, F)
               CsrView A,         // forward or reverse CSR (edge_id only with versions 1, 2)
               const float* val,  // (E) or null (= 1)
               const float* x,    // (A.num_cols, F)
               int64_t F, bool accumulate, int version);

// Edge scores (graph.cu). 1: thread per row; 2: warp per row, shuffle-reduced dot products.
constexpr int kSddmmDefaultVersion = 2;
constexpr int kSddmmNumVersions = 2;
void sddmm_cuda(float* out,      // (E)
                CsrView A,       // forward CSR
                const float* a,  // (A.num_rows, F)
                const float* b,  // (A.num_cols, F)
                int64_t F, int version);

// Edge softmax (graph.cu). 1: thread per row; 2: warp per row.
constexpr int kEdgeSoftmaxDefaultVersion = 2;
constexpr int kEdgeSoftmaxNumVersions = 2;
void edge_softmax_forward_cuda(float* out,      // (E)
                               CsrView A,       // forward CSR
                               const float* s,  // (E)
                               int version);
void edge_softmax_backward_cuda(float* ds,        // (E), accumulates
                                CsrView A,        // forward CSR
                                const float* y,   // (E) forward output
                                const float* dy,  // (E)
                                int version);

// Gather backward (layout.cu). 1: thread per (source row, feature); 2: block per source row,
// threads split the row's entries (for embedding tables whose rows are hit thousands of times);
// 3: two passes over chunks of 256 entries, blocks scaling with the entries (gather_chunks.h).
// 0 picks by average in-degree (E / rows >= 32 -> 3), which is what the KernelTable does.
constexpr int kGatherBackwardAutoVersion = 0;
constexpr int kGatherBackwardNumVersions = 3;
void gather_rows_backward_cuda(float* dx,          // (inverse.num_rows, F), accumulates
                               const float* dout,  // (n, F)
                               CsrView inverse,    // row v of x -> positions r with idx[r] == v
                               int64_t F, int version);

}  // namespace nasflat::kernels
