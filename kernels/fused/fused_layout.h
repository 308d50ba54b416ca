// fused_layout.h — one tile of the fused readout (fused_readout.h) in memory: its constants,
// the carving of a block's shared memory (or the CPU twin's buffer) into buffers, the tile's
// place in the batch, and small helpers both executors share.
//
// Tile memory (floats; R = kFusedTileRows node rows, F = 128, C gate width, M = max nodes):
//   h, a, b   (R, F+4) node states / flow products S / attention keys K (row stride F + 4:
//             16-byte aligned rows for float4 loads, and rows l, l+1, ..., l+7 read by
//             neighbouring threads fall in different shared-memory banks)
//   scratch   (warps, 16 x 16) one accumulator tile per warp (v3)
//   e         (R, C)   the main pass's gate vectors e' (the op-update pass's come as tables)
//   score     (R, M)   attention logits, then weights, over the nodes of the row's graph
//   mask      (R, M)   the attention mask (1 where the batch has none)
//   stats     (2R)     layer-norm mean and 1/std per row
// then ints: graph_of_row, type (R); pred_bits, att_bits (R); row0 (GPT + 1); out_row (GPT).
#pragma once

#include <math.h>

#include <cstdint>

#include "kernels/fused/fused_readout.h"
#include "kernels/base/host_device.h"

namespace nasflat::kernels::fused {

constexpr int F = kFusedFeat;
constexpr int R = kFusedTileRows;
constexpr int T = kFusedThreads;
constexpr int kLd = F + 4;
constexpr int kWarps = T / 32;
constexpr int kRowsPerWarp = R / kWarps;
constexpr int kColsPerLane = F / 32;
static_assert(R == kRowsPerWarp * kWarps && kRowsPerWarp == 8, "GEMM tiles are 8 rows per warp");
static_assert(F == 32 * kColsPerLane, "F must be a multiple of the warp width");
static_assert(kWarps == 2 * (R / 16), "v3: two warps per 16 rows (64 columns each)");

constexpr int kScratch = kWarps * 16 * 16;  // one 16 x 16 accumulator tile per warp (v3)

struct Tile {
    float *h, *a, *b, *scratch, *e, *score, *mask, *stats;
    int32_t *graph_of_row, *type, *row0, *out_row;
    uint32_t *pred_bits, *att_bits;
    int64_t g0 = 0;    // first graph of the tile
    int ng = 0;        // graphs in the tile
    int nr = 0;        // node rows in the tile
    int32_t base = 0;  // batch node index of row 0
    int C = 0, M = 0;
    int version = 2;  // GEMM loop (gemm_tile: 2, 3, or 1 = the scalar loop)
};

NASFLAT_HD int64_t tile_floats(int C, int M) {
    return 3LL * R * kLd + kScratch + static_cast<int64_t>(R) * C + 2LL * R * M + 2LL * R;
}
NASFLAT_HD int64_t tile_bytes(int C, int M, int gpt) {
    return 4 * (tile_floats(C, M) + 4LL * R + 2LL * gpt + 1);
}

// Carves the tile memory and reads the tile's place in the batch (every thread alike).
NASFLAT_HD Tile make_tile(const FusedReadoutArgs& args, int64_t tile, int gpt, float* mem) {
    Tile t;
    t.C = args.gate_dim;
    t.M = args.max_nodes;
    t.version = args.version;
    t.h = mem;
    t.a = t.h + R * kLd;
    t.b = t.a + R * kLd;
    t.scratch = t.b + R * kLd;
    t.e = t.scratch + kScratch;
    t.score = t.e + R * t.C;
    t.mask = t.score + R * t.M;
    t.stats = t.mask + R * t.M;
    t.graph_of_row = reinterpret_cast<int32_t*>(t.stats + 2 * R);
    t.type = t.graph_of_row + R;
    t.pred_bits = reinterpret_cast<uint32_t*>(t.type + R);
    t.att_bits = t.pred_bits + R;
    t.row0 = reinterpret_cast<int32_t*>(t.att_bits + R);
    t.out_row = t.row0 + gpt + 1;
    t.g0 = tile * gpt;
    const int64_t g1 = t.g0 + gpt < args.num_graphs ? t.g0 + gpt : args.num_graphs;
    t.ng = static_cast<int>(g1 - t.g0);
    t.base = args.seg_ptr[t.g0];
    t.nr = args.seg_ptr[g1] - t.base;
    return t;
}

// Index of the lowest set bit of a non-zero mask.
NASFLAT_HD int lowest_bit(uint32_t x) {
#ifdef __CUDA_ARCH__
    return __ffs(static_cast<int>(x)) - 1;
#else
    return __builtin_ctz(x);
#endif
}

NASFLAT_HD float sigmoid(float x) {
    return 1.0f / (1.0f + expf(-x));
}

// Four consecutive floats from p, 16-byte aligned: one vector load on the GPU.
NASFLAT_HD void load4(const float* p, float* v) {
#ifdef __CUDA_ARCH__
    const float4 q = *reinterpret_cast<const float4*>(p);
    v[0] = q.x;
    v[1] = q.y;
    v[2] = q.z;
    v[3] = q.w;
#else
    for (int i = 0; i < 4; ++i) v[i] = p[i];
#endif
}

}  // namespace nasflat::kernels::fused
