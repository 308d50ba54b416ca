// gather_chunks.h — the work split of the chunked gather backward (layout.cu:
// gather_rows_backward_chunked_cuda) and of its CPU twin (layout.cpp), written once for both.
//
// The inverse index holds E entries sorted by table row v (row v of dx <- positions r with
// idx[r] == v). They are cut at every row boundary and at every kGatherChunk-th entry:
// piece (c, v) = the entries of row v inside chunk c. Its partial sum goes to slot c + v.
// Walking the entries, every boundary crossed (of a chunk or of a row) raises c + v by one, so
// distinct pieces get distinct slots (a row v' < v in a later chunk than row v would put an
// entry of v' after one of v), and chunks + rows - 1 slots hold them all.
//   Pass 1: block (chunk c, 32 features), kGatherRowThreads row-threads: thread y sums entries
//           lo + y, lo + y + kGatherRowThreads, ... of each piece; the threads meet in a fixed
//           tree (block_column_sum in cuda_common.cuh; gather_tree_sum below is its twin).
//   Pass 2: thread (v, f) adds row v's slots in chunk order into dx[v, f].
// Why: a block per table row has rows x F / 32 blocks, 28 for a 7-row op table at F = 128, on
// a 132-SM GPU; here the blocks scale with E. No atomics; the order of every sum
// depends only on the index, so the GPU and the twin produce the same bits.
#pragma once

#include <cstdint>

#include "kernels/base/host_device.h"

namespace nasflat::kernels {

constexpr int32_t kGatherChunk = 256;  // entries per chunk
constexpr int kGatherRowThreads = 8;   // threads splitting a piece's entries (a power of two)
// gather_rows_backward_cuda takes the chunked kernel from this average in-degree E / rows on.
constexpr int32_t kGatherChunkedMinDegree = 32;

NASFLAT_HD int32_t gather_chunk_count(int32_t E) {
    return (E + kGatherChunk - 1) / kGatherChunk;
}

// Slots of pass 1's partials, each F floats wide. E > 0, rows > 0.
NASFLAT_HD int64_t gather_slot_count(int32_t E, int32_t rows) {
    return static_cast<int64_t>(gather_chunk_count(E)) + rows - 1;
}

// The row holding entry e (0 <= e < E): the largest v with row_ptr[v] <= e. Binary search over
// row_ptr (rows + 1 entries); empty rows before it are skipped by "largest".
NASFLAT_HD int32_t gather_row_of_entry(const int32_t* row_ptr, int32_t rows, int32_t e) {
    int32_t lo = 0, hi = rows - 1;
    while (lo < hi) {
        const int32_t mid = lo + (hi - lo + 1) / 2;
        if (row_ptr[mid] <= e) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

// Thread y's share of piece [lo, hi) for feature f of dout (n, F).
NASFLAT_HD float gather_piece_share(const float* dout, const int32_t* col, int32_t lo, int32_t hi,
                                    int y, int64_t f, int64_t F) {
    float acc = 0.0f;
    for (int32_t e = lo + y; e < hi; e += kGatherRowThreads) {
        acc += dout[static_cast<int64_t>(col[e]) * F + f];
    }
    return acc;
}

// The twin of block_column_sum's tree over kGatherRowThreads shares (in place; result in s[0]).
NASFLAT_HD float gather_tree_sum(float (&s)[kGatherRowThreads]) {
    for (int half = kGatherRowThreads / 2; half > 0; half /= 2) {
        for (int y = 0; y < half; ++y) s[y] += s[y + half];
    }
    return s[0];
}

// Pass 2 for (v, f): row v's slots in chunk order; 0 for an empty row.
NASFLAT_HD float gather_row_total(const float* partial, const int32_t* row_ptr, int32_t v,
                                  int64_t f, int64_t F) {
    float s = 0.0f;
    if (row_ptr[v] == row_ptr[v + 1]) return s;
    const int32_t c_first = row_ptr[v] / kGatherChunk;
    const int32_t c_last = (row_ptr[v + 1] - 1) / kGatherChunk;
    for (int32_t c = c_first; c <= c_last; ++c) s += partial[(static_cast<int64_t>(c) + v) * F + f];
    return s;
}

}  // namespace nasflat::kernels
