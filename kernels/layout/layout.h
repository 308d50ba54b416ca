// layout.h — the layout family: sums over a dim and their broadcast backward, block copies
// (concat, slice) and row gathers (embedding lookup, index_select) with their backward.
// One function type per op (the KernelTable's entry, kernels.h) and the backends that define it:
//   *_cpu    layout.cpp   plain loops: the spec and the tests' oracle
//   *_cuda   layout.cu    no atomics: every output element has one owner
// Dims: a tensor viewed as (outer, len, inner), row-major; F features; n gathered rows.
// `_forward` and reductions assign their output; `_backward` accumulates (+=).
#pragma once

#include <cstdint>

#include "kernels/csr_view.h"

namespace nasflat::kernels {

// out[o, i] = sum_l x[o, l, i]   (assign)
// out (outer, inner), x (outer, len, inner).
using ReduceSumFn = void(float* out, const float* x, int64_t outer, int64_t len, int64_t inner);
ReduceSumFn reduce_sum_cpu, reduce_sum_cuda;

// dx[o, l, i] += scale * dout[o, i]
// dx (outer, len, inner), dout (outer, inner).
using BroadcastAddFn = void(float* dx, const float* dout, int64_t outer, int64_t len, int64_t inner,
                            float scale);
BroadcastAddFn broadcast_add_cpu, broadcast_add_cuda;

// out[o, out_off + l, i] (= or +=) x[o, x_off + l, i] for l < len. Serves concat, slice and
// their backward.
// out (outer, out_len, inner), x (outer, x_len, inner).
using CopyBlockFn = void(float* out, int64_t out_len, int64_t out_off, const float* x,
                         int64_t x_len, int64_t x_off, int64_t len, int64_t outer, int64_t inner,
                         bool accumulate);
CopyBlockFn copy_block_cpu, copy_block_cuda;

// out[r, :] = x[idx[r], :] for r < n.
// out (n, F), x (rows_x, F), idx (n) in [0, rows_x).
using GatherRowsForwardFn = void(float* out, const float* x, const int32_t* idx, int64_t n,
                                 int64_t F);
GatherRowsForwardFn gather_rows_forward_cpu, gather_rows_forward_cuda;

// dx[v, :] += sum over r in inverse row v of dout[r, :]. `inverse` maps each row v of x to the
// positions r with idx[r] == v (no atomics: a gather over the inverse index).
// gather_rows_backward_cuda picks one of its two kernels by the average in-degree (layout.cu):
// *_per_row_cuda (a thread per (row, feature)) or *_chunked_cuda (chunks of entries, for tables
// of few rows hit many times); gather_rows_backward_chunked_cpu is the chunked kernel's CPU twin
// (gather_chunks.h), summing in the GPU's order.
// dx (inverse.num_rows, F), dout (n, F), inverse: row v of x -> positions r, idx[r] == v.
using GatherRowsBackwardFn = void(float* dx, const float* dout, CsrView inverse, int64_t F);
GatherRowsBackwardFn gather_rows_backward_cpu, gather_rows_backward_chunked_cpu,
    gather_rows_backward_cuda, gather_rows_backward_per_row_cuda, gather_rows_backward_chunked_cuda;

}  // namespace nasflat::kernels
