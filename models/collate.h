// collate.h — turns a list of architecture graphs (+ the device each is scored for) into one
// block-diagonal batch for the predictor: node index maps, the predecessor CSR for graph-flow
// message passing, the attention CSR, readout weights. Validated here, trusted by the kernels.
// Dims: G graphs, N nodes (all graphs), E edges, D supplementary-encoding width.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "autograd/index.h"
#include "autograd/tensor.h"
#include "models/arch_graph.h"
#include "models/config.h"

namespace nasflat::models {

struct ModelBatch {
    int32_t num_graphs = 0;
    int32_t num_nodes = 0;
    int32_t max_nodes = 0;  // nodes of the largest graph
    Device device = Device::CPU;
    IntArray seg_ptr;       // (G + 1) node offsets
    Csr pred;               // (N x N) row i lists the predecessors of i
    Csr attention;          // (N x N) reference: all nodes of i's graph; fixed: preds + self
    Tensor attention_mask;  // (E_att) reference: 1 on predecessor edges, else 0; fixed: undefined
    // Gate vectors [op_emb[op] ; hw_emb[device]] take only P << N distinct values: the batch's
    // (op row, device row) pairs. Op rows: op_vocab = input node (zeros), op_vocab+1 = output
    // node; device rows likewise after device_vocab.
    IndexMap gate_rows;     // (N) -> its node's pair, numbered as first seen
    IndexMap gate_op_rows;  // (P) pair -> op table row
    IndexMap gate_hw_rows;  // (P) pair -> device table row
    IndexMap node_type;     // (N) -> 0 input node, 1 any other node
    IndexMap output_nodes;  // (G) -> the output node of each graph
    IndexMap node_graph;    // (N) -> its graph
    IndexMap graph_device;  // (G) -> device row
    Tensor readout_weight;  // (N) 1/count over the nodes read out, 0 elsewhere
    Tensor supp;            // (G, D) or undefined
};

// `supp` is (G, supp_dim) row-major or null when supp_dim == 0.
ModelBatch collate(const std::vector<const ArchGraph*>& graphs, const std::vector<int32_t>& devices,
                   const float* supp, int supp_dim, const ModelConfig& config, Device device);

}  // namespace nasflat::models
