// fused_readout.cpp — the CPU twin of the fused readout kernel: the same stages (fused_tile.h),
// each run for thread 0, 1, ..., kFusedThreads-1 in turn, one tile after another. It exists to
// test the kernel's arithmetic and indexing without a GPU; the op-by-op CPU path is the faster
// one on a CPU (per-thread register tiles do not vectorise here).
#include "kernels/fused/fused_readout.h"

#include <utility>
#include <vector>

#include "kernels/base/check.h"
#include "kernels/fused/fused_tile.h"
#include "kernels/base/rng.h"

namespace nasflat::kernels {

namespace {
uint64_t g_thread_order_seed = 0;  // 0: threads 0, 1, ..., kFusedThreads - 1
}  // namespace

void set_fused_twin_thread_order(uint64_t seed) {
    g_thread_order_seed = seed;
}

void check_fused_readout_args(const FusedReadoutArgs& args) {
    NASFLAT_CHECK(args.version == kFusedDefaultVersion || args.version == kFusedTf32Version,
                  "fused readout: unknown kernel version ", args.version, "; hint: ",
                  kFusedDefaultVersion, " (fp32) or ", kFusedTf32Version, " (TF32)");
    NASFLAT_CHECK(args.gate_rows && args.upd_table,
                  "fused readout: the gate rows and the update table are required");
    for (int i = 0; i < args.op_update.num_layers; ++i) {
        const FusedLayer& l = args.op_update.layers[i];
        NASFLAT_CHECK(!l.flow_gate_w == !l.flow_gate_table && !l.att_gate_w == !l.att_gate_table,
                      "fused readout: op-update layer ", i, " needs a gate table per branch");
    }
    for (int i = 0; i < args.main.num_layers; ++i) {
        const FusedLayer& l = args.main.layers[i];
        NASFLAT_CHECK(!l.flow_gate_table && !l.att_gate_table, "fused readout: main layer ", i,
                      " has a gate table; its gate vectors are per node");
    }
}

void fused_readout_cpu(const FusedReadoutArgs& args) {
    check_fused_readout_args(args);
    if (args.num_graphs == 0) return;
    const int gpt = fused_graphs_per_tile(args.max_nodes);
    const int64_t tiles = (args.num_graphs + gpt - 1) / gpt;
    std::vector<float> mem(
        static_cast<size_t>(fused::tile_bytes(args.gate_dim, args.max_nodes, gpt) / 4));
    std::vector<int> order(kFusedThreads);
    for (int i = 0; i < kFusedThreads; ++i) order[i] = i;
    Rng rng(g_thread_order_seed);
    auto each_thread = [&](auto&& stage) {
        if (g_thread_order_seed != 0) {  // a new shuffle for every stage
            for (int i = kFusedThreads - 1; i > 0; --i) {
                std::swap(order[i], order[rng.below(static_cast<uint64_t>(i) + 1)]);
            }
        }
        for (int tid : order) stage(tid);
    };
    for (int64_t tile = 0; tile < tiles; ++tile) {
        const fused::Tile t = fused::make_tile(args, tile, gpt, mem.data());
        fused::run_tile(args, t, each_thread);
    }
}

#ifndef NASFLAT_WITH_CUDA
bool fused_readout_tf32_available() {
    return false;
}
#endif

}  // namespace nasflat::kernels
