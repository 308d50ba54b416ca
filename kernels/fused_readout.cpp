// fused_readout.cpp — the CPU twin of the fused readout kernel: the same stages (fused_tile.h),
// each run for thread 0, 1, ..., kFusedThreads-1 in turn, one tile after another. It exists to
// test the kernel's arithmetic and indexing without a GPU; the op-by-op CPU path is the faster
// one on a CPU (per-thread register tiles do not vectorise here).
#include "kernels/fused_readout.h"

#include <vector>

#include "kernels/fused_tile.h"

namespace nasflat::kernels {

void fused_readout_cpu(const FusedReadoutArgs& args) {
    if (args.num_graphs == 0) return;
    const int gpt = fused_graphs_per_tile(args.max_nodes);
    const int64_t tiles = (args.num_graphs + gpt - 1) / gpt;
    std::vector<float> mem(static_cast<size_t>(fused::tile_bytes(args.gate_dim, args.max_nodes, gpt) / 4));
    auto each_thread = [](auto&& stage) {
        for (int tid = 0; tid < kFusedThreads; ++tid) stage(tid);
    };
    for (int64_t tile = 0; tile < tiles; ++tile) {
        const fused::Tile t = fused::make_tile(args, tile, gpt, mem.data());
        fused::run_tile(args, t, each_thread);
    }
}

}  // namespace nasflat::kernels
