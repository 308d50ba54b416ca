// multipredict_model.h — the MultiPredict latency predictor (Akhauri & Abdelfattah, AutoML-Conf
// 2023) as the NASFLAT authors ran it as a baseline (reference/NASFLAT_SPEC.md 10.2), built from
// autograd ops. Dims: B archs in a batch, N = 9 nodes per NB201 graph, F = 8 node features,
// H = 200 GCN width, Z zero-cost proxies (13), V vector input width, D = 8 device width.
//   arch branch, graph (NB201, HELP's graph with a global node, nas/data/help_encoding.h):
//     4 GCN layers h <- ReLU(A (h W) + b) (no normalisation), F -> H -> H -> H -> H,
//     readout = the last (global) node, then fc3 H->H ReLU, fc4 H->H ReLU, fc5 H->30;
//   arch branch, vector (FBNet, HELP's 132-d vector ⊕ the Z proxies):
//     fc1 V->100 ReLU, fc2 100->100 ReLU, fc3 100->30 ReLU;
//   device embedding: a learnable table (D per row, N(0,1) init), one row per device;
//   head: concat [arch 30, device D, (graph branch only) the Z proxies] -> 512 ReLU -> 512 ReLU
//     -> 1 -> sigmoid. Head weights N(0, sqrt(2 / (in + out))), biases N(0, sqrt(1 / in));
//     GCN weights and biases U(+-0.05) (HELP's); the other Linears PyTorch's default.
//   Loss (training lives in nas/experiment/multipredict.h): L1, summed over the batch.
// The authors draw the head's init from an unseeded numpy RNG; here every draw comes from the
// model's seed, so the same seed gives the same weights.
#pragma once

#include <cstdint>
#include <vector>

#include "autograd/ops.h"
#include "autograd/optim.h"
#include "kernels/base/rng.h"
#include "models/layers.h"

namespace nasflat::models {

enum class MultiPredictInput { Graph, Vector };

struct MultiPredictConfig {
    MultiPredictInput input = MultiPredictInput::Graph;
    int num_nodes = 9;        // graph: nodes per arch (HELP: 8 + the global node)
    int node_features = 8;    // graph: F
    int gcn_width = 200;      // graph: H
    int gcn_layers = 4;
    int vector_dim = 145;     // vector: V (132 + 13 proxies)
    int vector_hidden = 100;  // vector: fc1/fc2 width
    int arch_dim = 30;        // the arch branch's output
    int zcp_dim = 13;         // graph: proxies fed to the head (0: none)
    int hw_dim = 8;           // D
    int num_devices = 1;      // rows of the device table
    int head_width = 512;
};

// One batch. Graph input: features (B N, F) and adjacency (B, N, N) (A[i][j] = 1: j feeds i),
// zcp (B, Z) to the head (undefined when zcp_dim is 0). Vector input: vector (B, V).
// devices: the device-table row of each arch (B).
struct MultiPredictBatch {
    Tensor features, adjacency, zcp, vector;
    IndexMap devices;
    int64_t size = 0;  // B
};

class MultiPredictModel {
  public:
    MultiPredictModel(const MultiPredictConfig& config, uint64_t seed,
                      Device device = Device::CPU);
    // Predicted normalised latency in (0, 1): (B).
    Tensor forward(const MultiPredictBatch& batch) const;
    const MultiPredictConfig& config() const { return config_; }
    ParameterStore& params() { return params_; }
    const ParameterStore& params() const { return params_; }
    Device device() const { return params_.device(); }
    // Device row dst := row src (a new device starts from the best-correlated source).
    void copy_device_row(int dst, int src);

  private:
    MultiPredictConfig config_;
    ParameterStore params_;
    std::vector<Linear> gcn_;    // (in, H) weight, (H) bias; graph only
    std::vector<Linear> arch_;   // fc3, fc4, fc5 (graph) or fc1, fc2, fc3 (vector)
    Tensor hw_table_;            // (num_devices, D)
    std::vector<Linear> head_;   // 3 layers
};

}  // namespace nasflat::models
