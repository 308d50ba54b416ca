// arch_graph.h — an architecture as the small ops-on-nodes DAG the predictor reads.
// Node 0 is the input node and node num_nodes-1 the output node. ops[i] is node i's op index in
// the space's *model* vocabulary; edges are (from, to) pairs, a[from][to] = 1 in the authors'
// adjacency convention, listed in row-major order of that matrix.
//
//   NB201 model vocabulary (the authors'): 0 output, 1 input, 2 avg_pool_3x3, 3 nor_conv_1x1,
//     4 nor_conv_3x3, 5 none, 6 skip_connect.
//   FBNet model vocabulary: the 9 layer choices 0..8 (k3_e1 .. skip); input/output nodes of the
//     fixed graph get kFbnetInputOp / kFbnetOutputOp, which the model replaces by its own
//     input/output embeddings.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/arch_graph.h"
#include "models/config.h"

namespace nasflat::nas {

// The graph type is the model's (models/arch_graph.h): the encoders here build what it reads.
using models::ArchGraph;

// The encoding follows the model's flavor (models/config.h): Reference is the authors' encoding,
// defects included (FBNet identity adjacency); Fixed is FBNet as a visible chain of its 22
// layers between an input and an output node. NB201 is the same in both.
using GraphMode = models::Flavor;

// archs.json edge-op vocabulary of NB201 (none=0 skip=1 conv1x1=2 conv3x3=3 avgpool=4).
constexpr int kNb201NumEdges = 6;
constexpr int kNb201NumOps = 5;
constexpr int kNb201GraphNodes = 8;
constexpr int kNb201ModelVocab = 7;
// FBNet: 22 layers, 9 choices.
constexpr int kFbnetNumLayers = 22;
constexpr int kFbnetNumOps = 9;
constexpr int kFbnetInputOp = 9;
constexpr int kFbnetOutputOp = 10;

// archs.json NB201 op (0..4) -> model vocabulary (2..6).
int32_t nb201_model_op(int edge_op);

// The authors' 8-node graph of a cell: nodes [input, e01, e02, e12, e03, e13, e23, output],
// base DAG 0->1, 0->2, 0->4, 1->3, 1->5, 2->6, 3->6, 4->7, 5->7, 6->7; then op nodes 1..6 are
// edited in order (none: cut all its edges; skip: bridge predecessors to successors), then nodes
// not on a path input->output lose all edges. Ops keep their labels even when isolated. Ops are
// checked (0..4), else an error.
ArchGraph nb201_graph(const std::array<int, 6>& edge_ops);

// Reference: 22 nodes (ops = layer choices), edges (i, i) for every node (the authors'
// identity adjacency). Fixed: 24 nodes = input, the 22 layers, output; edges i -> i+1.
// Ops are checked (22 values in 0..8), else an error.
ArchGraph fbnet_graph(const std::vector<int>& layer_ops, GraphMode mode);

// NB201 cell with its dead edges set to none: an edge stays only if it is not none and lies on a
// path cell-input -> cell-output of non-none edges. The result computes the same function and
// has no dead ops; used as the zero-cost-proxy fallback (data/encoding.h).
std::array<int, 6> nb201_live_ops(const std::array<int, 6>& edge_ops);

}  // namespace nasflat::nas
