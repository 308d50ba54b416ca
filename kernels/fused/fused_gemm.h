// fused_gemm.h — the fused readout's dense products on a tile (fused_layout.h): Y = X W for the
// tile's rows, in two kernel versions and a scalar loop, and the (P, F) gate tables read in the
// same layout.
// Each result goes to an epilogue, which does the stage's elementwise work where the value is.
// GEMMs: warp w owns rows 8w..8w+7 and lane l columns l, l+32, l+64, l+96, so the warp reads
// one row of X at a time (a broadcast) and 32 consecutive floats of W (one coalesced load).
// The op-update pass's gates (and the update MLP's e W1[:C]) are read from (P, F) tables of the
// batch's distinct gate vectors (table_tile), so the tile never builds that pass's e.
#pragma once

#include <type_traits>
#include <utility>

#include "kernels/fused/fused_layout.h"

#ifdef __CUDACC__
#include <mma.h>
#endif

namespace nasflat::kernels::fused {

// Epilogues take one result at a time, epi(r, o, v). One that also has row(r, lane, v) gets a
// thread's kColsPerLane results of row r at once (columns lane, lane + 32, ...), so that its
// per-row work (reading the row's neighbour set, walking it) runs once for all of them.
template <class E, class = void>
struct HasRowEpilogue : std::false_type {};
template <class E>
struct HasRowEpilogue<E, std::void_t<decltype(std::declval<const E&>().row(
                             0, 0, static_cast<const float*>(nullptr)))>> : std::true_type {};

// Both forms from one columns<N>(r, o0, step, v) of the derived epilogue (N results of row r
// at columns o0, o0 + step, ...).
template <class Self>
struct RowEpilogue {
    NASFLAT_HD void operator()(int r, int o, float v) const {
        self().template columns<1>(r, o, 0, &v);
    }
    NASFLAT_HD void row(int r, int lane, const float* v) const {
        self().template columns<kColsPerLane>(r, lane, 32, v);
    }
    NASFLAT_HD const Self& self() const { return static_cast<const Self&>(*this); }
};

template <class Epi>
NASFLAT_HD void emit_row(Epi& epi, int r, int lane, const float* v) {
    if constexpr (HasRowEpilogue<std::decay_t<Epi>>::value) {
        epi.row(r, lane, v);
    } else {
        for (int j = 0; j < kColsPerLane; ++j) epi(r, lane + 32 * j, v[j]);
    }
}

// Y = X W for rows [0, nr) of X (ldx stride, K columns) and W (K, F); epi(row, col, value)
// receives each result. Kernel versions (Tile::version):
//   v2: X four k at a time (float4; needs ldx and K multiples of 4): per 4 k, 8 + 16 loads for
//       128 FMAs, so the FMA units rather than the load units set the pace.
//   v3: TF32 tensor cores (gemm_tile_tf32 above), GPU only (sm_80+): inputs rounded to 10-bit
//       mantissas, so scores move by ~1e-3 relative (the --tf32 trade).
//   The scalar loop, X one float at a time (per k, 8 shared loads + 4 weight loads for 32
//   FMAs), serves every other case: v2 where K or ldx is not a multiple of 4, v3 where K is not
//   a multiple of 8, and v3's tiles in the CPU twin (so only the GPU tests check v3). Same sums
//   in the same order as v2 (the bits may differ where the compiler contracts differently into
//   FMAs). As a version of its own (v1) it lost to v2 and is timed by the bench only.
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
// v3: TF32 tensor cores (wmma 16x16x8). Warp w owns rows 16 (w / 2) .. +15 and columns
// 64 (w % 2) .. +63 (four accumulator tiles); each finished tile goes through the warp's
// scratch so that epi sees (row, col, value) as in v1. Needs K % 8 == 0, ldx % 4 == 0 and
// 32-byte aligned X and W (checked by the caller: readout_fused).
template <class Epi>
__device__ void gemm_tile_tf32(const Tile& t, const float* x, int ldx, int K, const float* w,
                               int nr, int tid, Epi& epi) {
    namespace wmma = nvcuda::wmma;
    const int warp = tid / 32, lane = tid % 32, r0 = (warp / 2) * 16, c0 = (warp % 2) * 64;
    if (r0 >= nr) return;  // the whole warp leaves together
    wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[4];
    for (int c = 0; c < 4; ++c) wmma::fill_fragment(acc[c], 0.0f);
    wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fa;
    wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb;
    for (int k = 0; k < K; k += 8) {
        wmma::load_matrix_sync(fa, x + r0 * ldx + k, ldx);
        for (int i = 0; i < fa.num_elements; ++i) fa.x[i] = wmma::__float_to_tf32(fa.x[i]);
        for (int c = 0; c < 4; ++c) {
            wmma::load_matrix_sync(fb, w + k * F + c0 + 16 * c, F);
            for (int i = 0; i < fb.num_elements; ++i) fb.x[i] = wmma::__float_to_tf32(fb.x[i]);
            wmma::mma_sync(acc[c], fa, fb, acc[c]);
        }
    }
    float* scratch = t.scratch + warp * 256;
    for (int c = 0; c < 4; ++c) {
        wmma::store_matrix_sync(scratch, acc[c], 16, wmma::mem_row_major);
        __syncwarp();
        for (int i = lane; i < 256; i += 32) {
            const int r = r0 + i / 16;
            if (r < nr) epi(r, c0 + 16 * c + i % 16, scratch[i]);
        }
        __syncwarp();
    }
}
#endif

NASFLAT_HD_TEMPLATE
template <class Epi>
NASFLAT_HD void gemm_tile(const Tile& t, const float* x, int ldx, int K, const float* w, int nr,
                          int tid, Epi&& epi) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    if (t.version == 3 && K % 8 == 0 && ldx % 4 == 0) {
        gemm_tile_tf32(t, x, ldx, K, w, nr, tid, epi);
        return;
    }
#endif
    const int r0 = (tid / 32) * kRowsPerWarp, lane = tid % 32;
    if (r0 >= nr) return;  // the whole warp leaves together
    float acc[kRowsPerWarp][kColsPerLane];
    for (int i = 0; i < kRowsPerWarp; ++i)
        for (int j = 0; j < kColsPerLane; ++j) acc[i][j] = 0.0f;
    if (t.version == 2 && ldx % 4 == 0 && K % 4 == 0) {
        for (int k = 0; k < K; k += 4) {
            float wv[4][kColsPerLane];
            for (int kk = 0; kk < 4; ++kk)
                for (int j = 0; j < kColsPerLane; ++j) wv[kk][j] = w[(k + kk) * F + lane + 32 * j];
            for (int i = 0; i < kRowsPerWarp; ++i) {
                float xv[4];
                load4(x + (r0 + i) * ldx + k, xv);
                for (int kk = 0; kk < 4; ++kk)
                    for (int j = 0; j < kColsPerLane; ++j) acc[i][j] += xv[kk] * wv[kk][j];
            }
        }
    } else {
        for (int k = 0; k < K; ++k) {
            float wv[kColsPerLane];
            for (int j = 0; j < kColsPerLane; ++j) wv[j] = w[k * F + lane + 32 * j];
            for (int i = 0; i < kRowsPerWarp; ++i) {
                const float xv = x[(r0 + i) * ldx + k];
                for (int j = 0; j < kColsPerLane; ++j) acc[i][j] += xv * wv[j];
            }
        }
    }
    for (int i = 0; i < kRowsPerWarp; ++i) {
        if (r0 + i >= nr) break;
        emit_row(epi, r0 + i, lane, acc[i]);
    }
}

// epi(r, o, v) for the tile's rows with v = table[gate row of r, o]: a product of the op-update
// pass's gate vectors, read from its (P, F) table of the batch's distinct ones.
NASFLAT_HD_TEMPLATE
template <class Epi>
NASFLAT_HD void table_tile(const FusedReadoutArgs& args, const Tile& t, const float* table, int tid,
                           Epi&& epi) {
    // The GEMMs' layout: warp w takes rows 8w.., lane l columns l, l + 32, ... (coalesced reads).
    const int r0 = (tid / 32) * kRowsPerWarp, lane = tid % 32;
    for (int i = 0; i < kRowsPerWarp && r0 + i < t.nr; ++i) {
        const float* row = table + static_cast<int64_t>(args.gate_rows[t.base + r0 + i]) * F;
        float v[kColsPerLane];
        for (int j = 0; j < kColsPerLane; ++j) v[j] = row[lane + 32 * j];
        emit_row(epi, r0 + i, lane, v);
    }
}

// epi(r, o, (e W)[r, o]): from the table in the op-update pass, else (main pass) e' W on the
// tile's rows.
NASFLAT_HD_TEMPLATE
template <class Epi>
NASFLAT_HD void gate_tile(const FusedReadoutArgs& args, const Tile& t, const float* table,
                          const float* w, int tid, Epi&& epi) {
    if (table) {
        table_tile(args, t, table, tid, epi);
    } else {
        gemm_tile(t, t.e, t.C, t.C, w, t.nr, tid, epi);
    }
}

}  // namespace nasflat::kernels::fused
