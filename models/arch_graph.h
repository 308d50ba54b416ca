// arch_graph.h — one architecture as the predictor reads it: a small DAG with ops on its nodes.
// Node 0 is the input node and node num_nodes-1 the output node. ops[i] indexes the model's op
// table (the values of the first and last node are ignored: the model has its own input and
// output embeddings). edges are (from, to) pairs, a[from][to] = 1 in the authors' adjacency
// convention, listed in row-major order of that matrix. nas/space/arch_graph.h builds them from NB201
// cells and FBNet networks; models/collate.h batches them.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace nasflat::models {

struct ArchGraph {
    int num_nodes = 0;
    std::vector<int32_t> ops;                // (num_nodes)
    std::vector<std::pair<int, int>> edges;  // (E) pairs (from, to), row-major order
};

}  // namespace nasflat::models
