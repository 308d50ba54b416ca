// fused_readout.h — the predictor's graph part (NasflatModel steps 1-5: gate vectors, the
// op-update pass, the gate update, the main pass and the readout) for a tile of graphs in one
// go, every intermediate kept in a block's shared memory (CUDA) or a tile buffer (CPU).
// Inference only: nothing is kept for a backward pass.
// An optional module, and the one model-specific kernel: the model computes the same readout op
// by op (NasflatModel::readout_by_ops) and takes this kernel only where it pays on a GPU.
// Files: fused_layout.h (tile memory), fused_gemm.h (products), fused_tile.h (stages, shared by
// both executors), fused_kernel.cuh + fused_readout.cu (CUDA), fused_readout.cpp (CPU twin).
//
// Why: op by op, each ensemble layer makes 5-10 passes over (nodes x 128) tensors in device
// memory and launches ~15 kernels; here a layer's tensors never leave the tile.
//
// Shapes (F = kFusedFeat = 128 everywhere inside; C = gate width <= kFusedMaxGate): every layer
// maps F -> F except each pass's first, whose products of the two distinct node states
// (input node, any other node) are computed outside and handed in as (2, F) tables. The
// kernel trusts a ModelBatch built by collate: graphs of at most kFusedMaxNodes nodes, each
// graph's CSR columns inside the graph, no repeated edges.
#pragma once

#include <cstdint>

#include "kernels/csr_view.h"

namespace nasflat::kernels {

constexpr int kFusedFeat = 128;          // node-state width inside the tile
constexpr int kFusedMaxGate = 64;        // gate vector width C
constexpr int kFusedMaxNodes = 32;       // nodes per graph (neighbour sets are 32-bit masks)
constexpr int kFusedMaxLayers = 6;       // ensemble layers per pass
constexpr int kFusedMaxMlp = 4;          // linears of the output MLP
constexpr int kFusedTileRows = 32;       // node rows of one tile (whole graphs only)
constexpr int kFusedThreads = 128;       // threads of one tile (CUDA block size): 8 rows a warp
constexpr int kFusedBlocksPerSm = 3;     // CUDA blocks resident per SM (launch bounds)
// Kernel versions (the GEMM loop, fused_gemm.h): 2 fp32, the default; 3 TF32 tensor cores (GPU
// only, on request: the model takes it while CUDA GEMMs run in TF32). Any other is an error.
constexpr int kFusedDefaultVersion = 2;
constexpr int kFusedTf32Version = 3;

// One ensemble layer (models/layers.h). A branch's pointers are null when the layer lacks it.
struct FusedLayer {
    const float* flow_w = nullptr;       // (F, F), unused in a pass's first layer
    const float* flow_b = nullptr;       // (F)
    const float* flow_gate_w = nullptr;  // (C, F)
    const float* flow_gate_b = nullptr;  // (F)
    const float* att_w = nullptr;        // (F, F), unused in a pass's first layer
    const float* att_a = nullptr;        // (F) score weights
    const float* att_gate_w = nullptr;   // (C, F)
    const float* att_gate_b = nullptr;   // (F)
    const float* ln_gamma = nullptr;     // (F)
    const float* ln_beta = nullptr;      // (F)
    // Op-update pass: e W_g on the batch's distinct gate vectors, (P, F) each (rows picked by
    // FusedReadoutArgs::gate_rows), required where the branch exists. Main pass: null (its e'
    // is per node; the kernel multiplies it by the *_gate_w above).
    const float* flow_gate_table = nullptr;
    const float* att_gate_table = nullptr;
};

// A stack of layers, ReLU between them (none after the last).
struct FusedPass {
    int num_layers = 0;
    FusedLayer layers[kFusedMaxLayers];
    const float* first_flow = nullptr;  // (2, F): [input state; other state] x flow_w of layer 0
    const float* first_att = nullptr;   // (2, F): the same through att_w of layer 0
};

struct FusedReadoutArgs {
    int version = kFusedDefaultVersion;  // 2 or 3 (kFusedTf32Version)

    // The batch (device pointers of a ModelBatch).
    int32_t num_graphs = 0;
    int32_t max_nodes = 0;                  // largest graph (<= kFusedMaxNodes)
    const int32_t* seg_ptr = nullptr;       // (G + 1)
    CsrView pred;                           // row i: predecessors of node i
    CsrView attention;                      // row i: the nodes i attends to
    const float* attention_mask = nullptr;  // (E_att) multiplies the scores, or null
    const int32_t* node_type = nullptr;     // (N) 0 input node, 1 other
    const int32_t* output_nodes = nullptr;  // (G)
    const float* readout_weight = nullptr;  // (N)
    const int32_t* gate_rows = nullptr;     // (N) the node's distinct (op, device) pair, in [0, P)

    // Gate width C. The op-update pass's gate vectors are never built: every product with
    // them comes as a (P, F) table of the batch's distinct ones (FusedLayer, upd_table).
    int gate_dim = 0;

    float leaky_slope = 0.01f, ln_eps = 1e-5f;
    FusedPass op_update, main;
    // g = output MLP(y[output node]): Linear (F -> F), ReLU between.
    int num_out_mlp = 0;
    const float* out_mlp_w[kFusedMaxMlp] = {};  // (F, F)
    const float* out_mlp_b[kFusedMaxMlp] = {};  // (F)
    // e' = W2 ReLU(W1 [e ; g] + b1) + b2 = W2 ReLU(e W1[:C] + g W1[C:] + b1) + b2
    const float* upd_w1 = nullptr;     // (C + F, F); the kernel reads rows C.. (the g part)
    const float* upd_b1 = nullptr;     // (F)
    const float* upd_w2 = nullptr;     // (F, C)
    const float* upd_b2 = nullptr;     // (C)
    const float* upd_table = nullptr;  // (P, F) e W1[:C] on the distinct gate vectors; required

    float* out = nullptr;  // (G, F) readout rows
};

// Graphs per tile for a batch whose largest graph has `max_nodes` nodes.
inline int fused_graphs_per_tile(int max_nodes) {
    return max_nodes <= 0 ? 1 : kFusedTileRows / max_nodes;
}

// Throws (naming the field) when args lack what the kernel needs (the gate rows and tables) or
// name an unknown version. Both launchers call it.
void check_fused_readout_args(const FusedReadoutArgs& args);

// Writes args.out. fused_readout_cpu is the CPU twin: it runs each tile's stages thread by
// thread, in the CUDA kernel's order and index arithmetic (fused_tile.h), so it tests that
// arithmetic where no GPU is. fused_readout_cuda is the kernel (fused_readout.cu).
using FusedReadoutFn = void(const FusedReadoutArgs& args);
FusedReadoutFn fused_readout_cpu, fused_readout_cuda;

// Whether this process can run v3: a GPU of compute capability >= 8.0 and a binary with code
// built for it (false without CUDA). The model falls back to v2, and says so, where it cannot.
bool fused_readout_tf32_available();

// For tests: run each stage's threads in a fresh random order drawn from `seed` (0: in order).
// A stage that read another thread's write of the same stage (a race on the GPU) would then
// give different bits.
void set_fused_twin_thread_order(uint64_t seed);

}  // namespace nasflat::kernels
