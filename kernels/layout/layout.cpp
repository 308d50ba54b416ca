// layout.cpp — CPU reference kernels that move or reduce data: sums over a dim, block copies
// (concat, slice) and row gathers (embedding lookup, index_select) with their backward.
// Dims: a tensor viewed as (outer, len, inner); F features; n gathered rows.
// CUDA twins: layout.cu.
#include <algorithm>
#include <vector>

#include "kernels/layout/layout.h"
#include "kernels/layout/gather_chunks.h"

namespace nasflat::kernels {

// forward: out[o, i] = sum_l x[o, l, i]
void reduce_sum_cpu(float* out, const float* x, int64_t outer, int64_t len, int64_t inner) {
    for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
            float acc = 0.0f;
            for (int64_t l = 0; l < len; ++l) acc += x[(o * len + l) * inner + i];
            out[o * inner + i] = acc;
        }
    }
}

// backward of a (scaled) sum: every reduced element receives scale * dout
void broadcast_add_cpu(float* dx, const float* dout, int64_t outer, int64_t len, int64_t inner,
                       float scale) {
    for (int64_t o = 0; o < outer; ++o) {
        for (int64_t l = 0; l < len; ++l) {
            for (int64_t i = 0; i < inner; ++i) {
                dx[(o * len + l) * inner + i] += scale * dout[o * inner + i];
            }
        }
    }
}

void copy_block_cpu(float* out, int64_t out_len, int64_t out_off, const float* x, int64_t x_len,
                    int64_t x_off, int64_t len, int64_t outer, int64_t inner, bool accumulate) {
    for (int64_t o = 0; o < outer; ++o) {
        float* dst = out + (o * out_len + out_off) * inner;
        const float* src = x + (o * x_len + x_off) * inner;
        for (int64_t k = 0; k < len * inner; ++k) {
            if (accumulate) {
                dst[k] += src[k];
            } else {
                dst[k] = src[k];
            }
        }
    }
}

// forward: out[r] = x[idx[r]]
void gather_rows_forward_cpu(float* out, const float* x, const int32_t* idx, int64_t n, int64_t F) {
    for (int64_t r = 0; r < n; ++r) {
        const float* src = x + static_cast<int64_t>(idx[r]) * F;
        for (int64_t f = 0; f < F; ++f) out[r * F + f] = src[f];
    }
}

// backward: dx[v] += sum_{r : idx[r] == v} dout[r], walking the inverse index row by row
void gather_rows_backward_cpu(float* dx, const float* dout, CsrView inverse, int64_t F) {
    for (int32_t v = 0; v < inverse.num_rows; ++v) {
        for (int32_t e = inverse.row_ptr[v]; e < inverse.row_ptr[v + 1]; ++e) {
            const float* g = dout + static_cast<int64_t>(inverse.col[e]) * F;
            for (int64_t f = 0; f < F; ++f) dx[v * F + f] += g[f];
        }
    }
}

// The twin of the chunked CUDA backward (gather_rows_backward_chunked_cuda, gather_chunks.h):
// the same pieces, shares and trees, so the same bits. A test oracle for the GPU kernel's split,
// not a fast path.
void gather_rows_backward_chunked_cpu(float* dx, const float* dout, CsrView inverse, int64_t F) {
    const int32_t rows = inverse.num_rows, E = inverse.num_edges;
    if (rows <= 0 || E <= 0 || F <= 0) return;
    const int32_t* row_ptr = inverse.row_ptr;
    std::vector<float> partial(static_cast<size_t>(gather_slot_count(E, rows) * F), 0.0f);
    for (int32_t c = 0; c < gather_chunk_count(E); ++c) {  // pass 1
        const int32_t cs = c * kGatherChunk, ce = std::min(cs + kGatherChunk, E);
        for (int32_t v = gather_row_of_entry(row_ptr, rows, cs); v < rows && row_ptr[v] < ce; ++v) {
            const int32_t lo = std::max(row_ptr[v], cs), hi = std::min(row_ptr[v + 1], ce);
            if (lo >= hi) continue;  // an empty row
            for (int64_t f = 0; f < F; ++f) {
                float share[kGatherRowThreads];
                for (int y = 0; y < kGatherRowThreads; ++y) {
                    share[y] = gather_piece_share(dout, inverse.col, lo, hi, y, f, F);
                }
                partial[(static_cast<int64_t>(c) + v) * F + f] = gather_tree_sum(share);
            }
        }
    }
    for (int32_t v = 0; v < rows; ++v) {  // pass 2
        for (int64_t f = 0; f < F; ++f) {
            dx[v * F + f] += gather_row_total(partial.data(), row_ptr, v, f, F);
        }
    }
}

}  // namespace nasflat::kernels
