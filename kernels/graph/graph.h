// graph.h — the message-passing family over a block-diagonal CSR batch of many small graphs:
// segment readout, sparse-dense product (SpMM), edge scores (SDDMM), edge softmax.
// One function type per op (the KernelTable's entry, kernels.h) and the backends that define it:
//   *_cpu       graph.cpp        plain loops: the spec and the tests' oracle
//   *_cpu_fast  graph_fast.cpp   SpMM rows in vector registers, SDDMM dots in lanes, 8 edges
//                                at a time; edge softmax with a vectorisable exp
//   *_cuda      graph.cu         a warp per CSR row
// Dims: N nodes (all graphs), E edge slots, F features, G graphs (segments); row-major.
// Forward products walk the forward CSR (row i = the nodes i reads from); their backward is the
// same product on the reverse CSR (row j = the nodes that read j) with edge_id pointing at values
// in forward order, so every output row has one owner: no atomics anywhere.
#pragma once

#include <cstdint>

#include "kernels/csr_view.h"

namespace nasflat::kernels {

// out[g, :] = sum over nodes i in [seg_ptr[g], seg_ptr[g+1]) of w[i] * x[i, :]; w null = 1.
// out (G, F), x (N, F), seg_ptr (G + 1), w (N) or null.
using SegmentSumForwardFn = void(float* out, const float* x, const int32_t* seg_ptr, const float* w,
                                 int64_t G, int64_t F);
SegmentSumForwardFn segment_sum_forward_cpu, segment_sum_forward_cuda;

// dx[i, :] += w[i] * dout[g(i), :]
// dx (N, F), dout (G, F), seg_ptr (G + 1), w (N) or null.
using SegmentSumBackwardFn = void(float* dx, const float* dout, const int32_t* seg_ptr,
                                  const float* w, int64_t G, int64_t F);
SegmentSumBackwardFn segment_sum_backward_cpu, segment_sum_backward_cuda;

// out[i, :] (= or +=) sum over edge slots e of row i of v(e) * x[col[e], :], where
// v(e) = val[edge_id ? edge_id[e] : e], or 1 when val is null. Walk the forward CSR for the
// forward product and the reverse CSR (with edge_id) for the backward one.
// out (A.num_rows, F), A: forward or reverse CSR, val (E) or null (= 1), x (A.num_cols, F).
using SpmmFn = void(float* out, CsrView A, const float* val, const float* x, int64_t F,
                    bool accumulate);
SpmmFn spmm_cpu, spmm_cpu_fast, spmm_cuda;

// out[e] = <a[row(e), :], b[col[e], :]> for every edge slot e of the CSR (assign).
// out (E), A: forward CSR, a (A.num_rows, F), b (A.num_cols, F).
using SddmmFn = void(float* out, CsrView A, const float* a, const float* b, int64_t F);
SddmmFn sddmm_cpu, sddmm_cpu_fast, sddmm_cuda;

// Softmax of the edge values of each row: out[e] = exp(s[e]) / sum over the row of exp(s)
// (max-subtracted); an empty row writes nothing.
// out (E), A: forward CSR, s (E).
using EdgeSoftmaxForwardFn = void(float* out, CsrView A, const float* s);
EdgeSoftmaxForwardFn edge_softmax_forward_cpu, edge_softmax_forward_cpu_fast,
    edge_softmax_forward_cuda;

// ds[e] += y[e] * (dy[e] - sum over the row of y * dy)
// ds (E), A: forward CSR, y (E) the forward's output, dy (E).
using EdgeSoftmaxBackwardFn = void(float* ds, CsrView A, const float* y, const float* dy);
EdgeSoftmaxBackwardFn edge_softmax_backward_cpu, edge_softmax_backward_cuda;

}  // namespace nasflat::kernels
