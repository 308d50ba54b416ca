// fused_tile.h — the stages of the fused readout (fused_readout.h) for one tile of graphs,
// written once for two executors: the CUDA kernel (fused_readout.cu) runs every stage on its
// block's kFusedThreads threads and synchronises after it; the CPU twin (fused_readout.cpp)
// runs a stage's threads one after another. The rule that makes both orders agree: a stage reads
// only what earlier stages wrote, or what its own thread wrote in it.
//
// Tile memory (floats; R = kFusedTileRows node rows, F = 128, C gate width, M = max nodes):
//   h, a, b   (R, F+4) node states / flow products S / attention keys K (row stride F + 4:
//             16-byte aligned rows for float4 loads, and rows l, l+1, ..., l+7 read by
//             neighbouring threads fall in different shared-memory banks)
//   scratch   (8, 16 x 16) one accumulator tile per warp (v3)
//   e         (R, C)   the main pass's gate vectors e' (the op-update pass's come as tables)
//   score     (R, M)   attention logits, then weights, over the nodes of the row's graph
//   mask      (R, M)   the attention mask (1 where the batch has none)
//   stats     (2R)     layer-norm mean and 1/std per row
// then ints: graph_of_row, type (R); pred_bits, att_bits (R); row0 (GPT + 1); out_row (GPT).
// GEMMs: warp w owns rows 8w..8w+7 and lane l columns l, l+32, l+64, l+96, so the warp reads
// one row of X at a time (a broadcast) and 32 consecutive floats of W (one coalesced load).
// The op-update pass's gates (and the update MLP's e W1[:C]) are read from (P, F) tables of the
// batch's distinct gate vectors (table_tile), so the tile never builds that pass's e.
#pragma once

#include <math.h>

#include <cstdint>
#include <type_traits>
#include <utility>

#include "kernels/fused_readout.h"
#include "kernels/host_device.h"

#ifdef __CUDACC__
#include <mma.h>
#endif

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
    int version = 1;  // GEMM loop (gemm_tile)
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

// Epilogues take one result at a time, epi(r, o, v). One that also has row(r, lane, v) gets a
// thread's kColsPerLane results of row r at once (columns lane, lane + 32, ...), so that its
// per-row work (reading the row's neighbour set, walking it) runs once for all of them.
template <class E, class = void>
struct HasRowEpilogue : std::false_type {};
template <class E>
struct HasRowEpilogue<E, std::void_t<decltype(std::declval<const E&>().row(
                             0, 0, static_cast<const float*>(nullptr)))>> : std::true_type {};

template <class Epi>
NASFLAT_HD void emit_row(Epi& epi, int r, int lane, const float* v) {
    if constexpr (HasRowEpilogue<std::decay_t<Epi>>::value) {
        epi.row(r, lane, v);
    } else {
        for (int j = 0; j < kColsPerLane; ++j) epi(r, lane + 32 * j, v[j]);
    }
}

// Y = X W for rows [0, nr) of X (ldx stride, K columns) and W (K, F); epi(row, col, value)
// receives each result. Kernel versions (FusedReadoutArgs::version):
//   v1: X one float at a time: per k, 8 shared loads (broadcasts) + 4 weight loads for 32 FMAs.
//   v2: X four k at a time (float4; needs ldx and K multiples of 4): per 4 k, 8 + 16 loads for
//       128 FMAs, so the FMA units rather than the load units set the pace. Same sums in the same
//       order as v1 (the bits may differ where the compiler contracts differently into FMAs).
//   v3: TF32 tensor cores (gemm_tile_tf32 above), GPU only: inputs rounded to 10-bit
//       mantissas, so scores move by ~1e-3 relative (the --tf32 trade). The CPU twin runs
//       v3's tiles as v1, so only the GPU tests check v3.
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

// --- setup ----------------------------------------------------------------------------------

NASFLAT_HD void stage_clear(const Tile& t, int tid) {
    const int n = static_cast<int>(tile_floats(t.C, t.M));
    for (int i = tid; i < n; i += T) t.h[i] = 0.0f;  // the float buffers are contiguous
}

NASFLAT_HD void stage_graphs(const FusedReadoutArgs& args, const Tile& t, int tid) {
    if (tid <= t.ng) t.row0[tid] = args.seg_ptr[t.g0 + tid] - t.base;
    if (tid < t.ng) t.out_row[tid] = args.output_nodes[t.g0 + tid] - t.base;
}

// One thread per row: its graph, neighbour masks and attention mask.
NASFLAT_HD void stage_rows(const FusedReadoutArgs& args, const Tile& t, int tid) {
    if (tid >= R) return;
    const int r = tid;
    if (r >= t.nr) {
        t.graph_of_row[r] = -1;
        t.type[r] = 0;
        t.pred_bits[r] = 0;
        t.att_bits[r] = 0;
        return;
    }
    int j = 0;
    while (j + 1 < t.ng && t.row0[j + 1] <= r) ++j;
    t.graph_of_row[r] = j;
    const int lo = t.row0[j], n = t.row0[j + 1] - lo;
    const int32_t node = t.base + r;
    uint32_t bits = 0;
    for (int32_t s = args.pred.row_ptr[node]; s < args.pred.row_ptr[node + 1]; ++s) {
        const int l = args.pred.col[s] - t.base - lo;
        if (l >= 0 && l < n) bits |= 1u << l;
    }
    t.pred_bits[r] = bits;
    bits = 0;
    const CsrView& A = args.attention;
    for (int32_t s = A.row_ptr[node]; s < A.row_ptr[node + 1]; ++s) {
        const int l = A.col[s] - t.base - lo;
        if (l < 0 || l >= n) continue;
        bits |= 1u << l;
        t.mask[r * t.M + l] =
            args.attention_mask ? args.attention_mask[A.edge_id ? A.edge_id[s] : s] : 1.0f;
    }
    t.att_bits[r] = bits;
    t.type[r] = args.node_type[node];
}

// --- one ensemble layer ---------------------------------------------------------------------

// a = H W_flow, b = H W_att (a pass's first layer: the rows of the (2, F) tables by node type).
NASFLAT_HD void stage_products(const FusedPass& pass, int li, const Tile& t, int tid) {
    const FusedLayer& L = pass.layers[li];
    if (li == 0) {
        for (int i = tid; i < t.nr * F; i += T) {
            const int r = i / F, o = i % F, src = t.type[r] * F + o;
            if (L.flow_gate_w) t.a[r * kLd + o] = pass.first_flow[src];
            if (L.att_gate_w) t.b[r * kLd + o] = pass.first_att[src];
        }
        return;
    }
    if (L.flow_gate_w) {
        gemm_tile(t, t.h, kLd, F, L.flow_w, t.nr, tid,
                  [&](int r, int o, float v) { t.a[r * kLd + o] = v; });
    }
    if (L.att_gate_w) {
        gemm_tile(t, t.h, kLd, F, L.att_w, t.nr, tid,
                  [&](int r, int o, float v) { t.b[r * kLd + o] = v; });
    }
}

// Graph flow's epilogue, v = (e W_g)[r, o]: h = sigmoid(v + b_g) * (sum over predecessors of
// a) + a + b, for the N columns o0, o0 + step, ... of row r.
struct FlowEpilogue {
    const FusedLayer& L;
    const Tile& t;
    template <int N>
    NASFLAT_HD void columns(int r, int o0, int step, const float* v) const {
        const int lo = t.row0[t.graph_of_row[r]];
        float msg[N];
        for (int j = 0; j < N; ++j) msg[j] = 0.0f;
        for (uint32_t bits = t.pred_bits[r]; bits; bits &= bits - 1) {
            const float* al = t.a + (lo + lowest_bit(bits)) * kLd + o0;
            for (int j = 0; j < N; ++j) msg[j] += al[j * step];
        }
        for (int j = 0; j < N; ++j) {
            const int o = o0 + j * step;
            const float g = sigmoid(v[j] + L.flow_gate_b[o]);
            t.h[r * kLd + o] = g * msg[j] + t.a[r * kLd + o] + L.flow_b[o];
        }
    }
    NASFLAT_HD void operator()(int r, int o, float v) const { columns<1>(r, o, 0, &v); }
    NASFLAT_HD void row(int r, int lane, const float* v) const {
        columns<kColsPerLane>(r, lane, 32, v);
    }
};

// Graph flow: h = sigmoid(e W_g + b_g) * (sum over predecessors of a) + a + b.
// Attention logits: score[r, l] = leaky(<b_r * att_a / sqrt(F), b_l>) * mask[r, l].
NASFLAT_HD void stage_flow_and_logits(const FusedReadoutArgs& args, const FusedLayer& L,
                                      const Tile& t, int tid) {
    if (L.flow_gate_w)
        gate_tile(args, t, L.flow_gate_table, L.flow_gate_w, tid, FlowEpilogue{L, t});
    if (L.att_gate_w) {
        const float inv_sqrt = 1.0f / sqrtf(static_cast<float>(F));
        for (int i = tid; i < t.nr * t.M; i += T) {
            const int r = i / t.M, l = i % t.M;
            if (!((t.att_bits[r] >> l) & 1u)) continue;
            const float* kr = t.b + r * kLd;
            const float* kl = t.b + (t.row0[t.graph_of_row[r]] + l) * kLd;
            float s = 0.0f;
            for (int o = 0; o < F; ++o) s += kr[o] * (L.att_a[o] * inv_sqrt) * kl[o];
            s = s > 0.0f ? s : args.leaky_slope * s;
            t.score[r * t.M + l] = s * t.mask[r * t.M + l];
        }
    }
}

// Softmax of each row's logits over its attention set (thread per row).
NASFLAT_HD void stage_softmax(const Tile& t, int tid) {
    if (tid >= t.nr) return;
    const uint32_t bits = t.att_bits[tid];
    if (!bits) return;
    float* s = t.score + tid * t.M;
    float mx = -INFINITY;
    for (uint32_t m = bits; m; m &= m - 1) mx = fmaxf(mx, s[lowest_bit(m)]);
    float sum = 0.0f;
    for (uint32_t m = bits; m; m &= m - 1) {
        const int l = lowest_bit(m);
        s[l] = expf(s[l] - mx);
        sum += s[l];
    }
    const float inv = 1.0f / sum;
    for (uint32_t m = bits; m; m &= m - 1) s[lowest_bit(m)] *= inv;
}

// The attention mix's epilogue, v = (e W_g')[r, o]: a = sigmoid(v + b_g') * (sum over the
// attention set of weight * b), for the N columns o0, o0 + step, ... of row r.
struct MixEpilogue {
    const FusedLayer& L;
    const Tile& t;
    template <int N>
    NASFLAT_HD void columns(int r, int o0, int step, const float* v) const {
        const int lo = t.row0[t.graph_of_row[r]];
        const float* w = t.score + r * t.M;
        float mixed[N];
        for (int j = 0; j < N; ++j) mixed[j] = 0.0f;
        for (uint32_t bits = t.att_bits[r]; bits; bits &= bits - 1) {
            const int l = lowest_bit(bits);
            const float wl = w[l];
            const float* bl = t.b + (lo + l) * kLd + o0;
            for (int j = 0; j < N; ++j) mixed[j] += wl * bl[j * step];
        }
        for (int j = 0; j < N; ++j) {
            const int o = o0 + j * step;
            t.a[r * kLd + o] = sigmoid(v[j] + L.att_gate_b[o]) * mixed[j];
        }
    }
    NASFLAT_HD void operator()(int r, int o, float v) const { columns<1>(r, o, 0, &v); }
    NASFLAT_HD void row(int r, int lane, const float* v) const {
        columns<kColsPerLane>(r, lane, 32, v);
    }
};

// a = sigmoid(e W_g' + b_g') * (sum over the attention set of weight * b): the layer norm's input.
NASFLAT_HD void stage_attention_mix(const FusedReadoutArgs& args, const FusedLayer& L,
                                    const Tile& t, int tid) {
    gate_tile(args, t, L.att_gate_table, L.att_gate_w, tid, MixEpilogue{L, t});
}

// Layer-norm statistics of a's rows (thread per row, two passes as the op-by-op kernel).
NASFLAT_HD void stage_norm_stats(const FusedReadoutArgs& args, const Tile& t, int tid) {
    if (tid >= t.nr) return;
    const float* x = t.a + tid * kLd;
    float mean = 0.0f;
    for (int o = 0; o < F; ++o) mean += x[o];
    mean /= static_cast<float>(F);
    float var = 0.0f;
    for (int o = 0; o < F; ++o) var += (x[o] - mean) * (x[o] - mean);
    var /= static_cast<float>(F);
    t.stats[2 * tid] = mean;
    t.stats[2 * tid + 1] = 1.0f / sqrtf(var + args.ln_eps);
}

// h = (flow + LN(a)) / 2 (or the one branch), ReLU unless it is the pass's last layer.
NASFLAT_HD void stage_combine(const FusedLayer& L, bool relu, const Tile& t, int tid) {
    const bool flow = L.flow_gate_w != nullptr, att = L.att_gate_w != nullptr;
    for (int i = tid; i < t.nr * F; i += T) {
        const int r = i / F, o = i % F;
        float v = flow ? t.h[r * kLd + o] : 0.0f;
        if (att) {
            const float n =
                (t.a[r * kLd + o] - t.stats[2 * r]) * t.stats[2 * r + 1] * L.ln_gamma[o] +
                L.ln_beta[o];
            v = flow ? (v + n) * 0.5f : n;
        }
        t.h[r * kLd + o] = relu && v < 0.0f ? 0.0f : v;
    }
}

// --- between the passes: e' = update MLP([e ; output MLP(y[output node])]) -----------------

NASFLAT_HD void stage_output_rows(const Tile& t, int tid) {
    for (int i = tid; i < t.ng * F; i += T) {
        const int j = i / F, o = i % F;
        t.a[j * kLd + o] = t.h[t.out_row[j] * kLd + o];
    }
}

// out[j] = in[j] W + b over the tile's graphs (ReLU when relu).
NASFLAT_HD void stage_graph_linear(const float* in, float* out, const float* w, const float* bias,
                                   bool relu, const Tile& t, int tid) {
    gemm_tile(t, in, kLd, F, w, t.ng, tid, [&](int j, int o, float v) {
        v += bias[o];
        out[j * kLd + o] = relu && v < 0.0f ? 0.0f : v;
    });
}

// h = ReLU(e W1[:C] + u[graph]) where u = g W1[C:] + b1 was computed per graph.
NASFLAT_HD void stage_update_hidden(const FusedReadoutArgs& args, const float* u, const Tile& t,
                                    int tid) {
    table_tile(args, t, args.upd_table, tid, [&](int r, int o, float v) {
        v += u[t.graph_of_row[r] * kLd + o];
        t.h[r * kLd + o] = v < 0.0f ? 0.0f : v;
    });
}

// e' = h W2 + b2 (C outputs per row).
NASFLAT_HD void stage_update_out(const FusedReadoutArgs& args, const Tile& t, int tid) {
    for (int i = tid; i < t.nr * t.C; i += T) {
        const int r = i / t.C, c = i % t.C;
        float s = 0.0f;
        for (int k = 0; k < F; ++k) s += t.h[r * kLd + k] * args.upd_w2[k * t.C + c];
        t.e[r * t.C + c] = s + args.upd_b2[c];
    }
}

// out[graph] = sum over its rows of readout_weight * h.
NASFLAT_HD void stage_readout(const FusedReadoutArgs& args, const Tile& t, int tid) {
    for (int i = tid; i < t.ng * F; i += T) {
        const int j = i / F, o = i % F;
        float s = 0.0f;
        for (int r = t.row0[j]; r < t.row0[j + 1]; ++r) {
            s += args.readout_weight[t.base + r] * t.h[r * kLd + o];
        }
        args.out[(t.g0 + j) * F + o] = s;
    }
}

// --- the whole tile -------------------------------------------------------------------------

// ex(f) runs f(tid) for every thread of the tile, then waits for all of them.
NASFLAT_HD_TEMPLATE
template <class Exec>
NASFLAT_HD void run_pass(const FusedReadoutArgs& args, const FusedPass& pass, const Tile& t,
                         Exec&& ex) {
    for (int li = 0; li < pass.num_layers; ++li) {
        const FusedLayer& L = pass.layers[li];
        const bool att = L.att_gate_w != nullptr;
        ex([&](int tid) { stage_products(pass, li, t, tid); });
        ex([&](int tid) { stage_flow_and_logits(args, L, t, tid); });
        if (att) {
            ex([&](int tid) { stage_softmax(t, tid); });
            ex([&](int tid) { stage_attention_mix(args, L, t, tid); });
            ex([&](int tid) { stage_norm_stats(args, t, tid); });
        }
        ex([&](int tid) { stage_combine(L, li + 1 < pass.num_layers, t, tid); });
    }
}

NASFLAT_HD_TEMPLATE
template <class Exec>
NASFLAT_HD void run_tile(const FusedReadoutArgs& args, const Tile& t, Exec&& ex) {
    ex([&](int tid) { stage_clear(t, tid); });
    ex([&](int tid) { stage_graphs(args, t, tid); });
    ex([&](int tid) { stage_rows(args, t, tid); });
    run_pass(args, args.op_update, t, ex);
    // g = output MLP(y[output node]) per graph, ping-ponging between a and b.
    ex([&](int tid) { stage_output_rows(t, tid); });
    float* g = t.a;
    for (int m = 0; m < args.num_out_mlp; ++m) {
        float* next = g == t.a ? t.b : t.a;
        ex([&](int tid) {
            stage_graph_linear(g, next, args.out_mlp_w[m], args.out_mlp_b[m],
                               m + 1 < args.num_out_mlp, t, tid);
        });
        g = next;
    }
    float* u = g == t.a ? t.b : t.a;
    ex([&](int tid) {
        stage_graph_linear(g, u, args.upd_w1 + t.C * F, args.upd_b1, false, t, tid);
    });
    ex([&](int tid) { stage_update_hidden(args, u, t, tid); });
    ex([&](int tid) { stage_update_out(args, t, tid); });
    run_pass(args, args.main, t, ex);
    ex([&](int tid) { stage_readout(args, t, tid); });
}

}  // namespace nasflat::kernels::fused
