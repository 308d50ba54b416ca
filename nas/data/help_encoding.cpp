// help_encoding.cpp — see help_encoding.h for the layouts.
#include "nas/data/help_encoding.h"

#include "kernels/base/check.h"

namespace nasflat::nas {

namespace {

// Ops-on-nodes DAG of an NB201 cell before the global node: (from, to) over nodes 0..7.
// Edge node k+1 stands for edge k; an edge u->v feeds every edge leaving v, and edges into
// the cell's last vertex (3) feed the output node 7.
constexpr int kNb201DagEdges[][2] = {
    {0, 1}, {0, 2}, {0, 4},  // input -> edges leaving vertex 0 (0->1, 0->2, 0->3)
    {1, 3}, {1, 5},          // edge 0->1 -> edges leaving vertex 1 (1->2, 1->3)
    {2, 6}, {3, 6},          // edges into vertex 2 (0->2, 1->2) -> edge 2->3
    {4, 7}, {5, 7}, {6, 7},  // edges into vertex 3 -> output
};

}  // namespace

HelpNb201Graph help_nb201_graph(const std::vector<int>& edge_ops) {
    NASFLAT_CHECK(edge_ops.size() == 6, "help_nb201_graph: an NB201 cell has 6 edge ops, got ",
                  edge_ops.size());
    constexpr int n = kHelpNb201Nodes, f = kHelpNb201Features;
    HelpNb201Graph g;
    g.adjacency.assign(n * n, 0.0f);
    g.features.assign(n * f, 0.0f);
    for (const auto& e : kNb201DagEdges) g.adjacency[e[1] * n + e[0]] = 1.0f;  // transposed
    for (int i = 0; i < n; ++i) {
        g.adjacency[i * n + i] = 1.0f;        // self-loop
        g.adjacency[(n - 1) * n + i] = 1.0f;  // i -> global node
    }
    g.features[0 * f + 0] = 1.0f;  // input
    for (int k = 0; k < 6; ++k) {
        NASFLAT_CHECK(edge_ops[k] >= 0 && edge_ops[k] < 5, "help_nb201_graph: edge ", k,
                      " has op ", edge_ops[k], "; fix: NB201 ops are 0..4");
        g.features[(k + 1) * f + 1 + edge_ops[k]] = 1.0f;
    }
    g.features[7 * f + 6] = 1.0f;  // output
    g.features[8 * f + 7] = 1.0f;  // global
    return g;
}

std::vector<float> help_fbnet_vector(const std::vector<int>& layer_ops) {
    NASFLAT_CHECK(layer_ops.size() == 22, "help_fbnet_vector: an FBNet network has 22 layer ops, "
                  "got ", layer_ops.size());
    std::vector<float> v(kHelpFbnetDim, 0.0f);
    for (size_t l = 0; l < layer_ops.size(); ++l) {
        const int op = layer_ops[l];
        NASFLAT_CHECK(op >= 0 && op <= 8, "help_fbnet_vector: layer ", l, " has op ", op,
                      "; fix: FBNet ops are 0..8");
        if (op == 8) continue;  // skip: all zeros
        float* row = v.data() + l * 6;
        row[op < 4 ? 0 : 1] = 1.0f;  // k3 (ops 0..3) or k5 (4..7)
        row[2 + op % 4] = 1.0f;      // e1, e1_g2, e3, e6
    }
    return v;
}

}  // namespace nasflat::nas
