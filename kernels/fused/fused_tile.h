// fused_tile.h — the stages of the fused readout (fused_readout.h) for one tile of graphs,
// written once for two executors: the CUDA kernel (fused_readout.cu) runs every stage on its
// block's kFusedThreads threads and synchronises after it; the CPU twin (fused_readout.cpp)
// runs a stage's threads one after another. The rule that makes both orders agree: a stage reads
// only what earlier stages wrote, or what its own thread wrote in it. The tile's memory is
// fused_layout.h's; its dense products, fused_gemm.h's.
#pragma once

#include "kernels/fused/fused_gemm.h"

namespace nasflat::kernels::fused {

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
struct FlowEpilogue : RowEpilogue<FlowEpilogue> {
    const FusedLayer& L;
    const Tile& t;
    NASFLAT_HD FlowEpilogue(const FusedLayer& layer, const Tile& tile) : L(layer), t(tile) {}
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
struct MixEpilogue : RowEpilogue<MixEpilogue> {
    const FusedLayer& L;
    const Tile& t;
    NASFLAT_HD MixEpilogue(const FusedLayer& layer, const Tile& tile) : L(layer), t(tile) {}
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
