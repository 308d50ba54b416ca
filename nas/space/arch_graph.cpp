// arch_graph.cpp — see arch_graph.h. The NB201 procedure follows the authors' code step by step
// because it is order-dependent: an earlier skip node changes the predecessors of later nodes.
#include "nas/space/arch_graph.h"

#include "kernels/base/check.h"

namespace nasflat::nas {

int32_t nb201_model_op(int edge_op) {
    // none=0 skip=1 conv1x1=2 conv3x3=3 avgpool=4  ->  none 5, skip 6, conv1x1 3, conv3x3 4, avg 2
    static constexpr int32_t kMap[kNb201NumOps] = {5, 6, 3, 4, 2};
    NASFLAT_CHECK(edge_op >= 0 && edge_op < kNb201NumOps, "NB201 edge op ", edge_op,
                  " out of range; fix: ops are 0 none, 1 skip_connect, 2 nor_conv_1x1, "
                  "3 nor_conv_3x3, 4 avg_pool_3x3");
    return kMap[edge_op];
}

namespace {

using Adjacency = std::array<std::array<bool, kNb201GraphNodes>, kNb201GraphNodes>;

// Nodes reachable from `start` following edges forward (or backward when reverse).
std::array<bool, kNb201GraphNodes> reach(const Adjacency& a, int start, bool reverse) {
    std::array<bool, kNb201GraphNodes> seen{};
    std::vector<int> queue = {start};
    seen[start] = true;
    for (size_t head = 0; head < queue.size(); ++head) {
        int u = queue[head];
        for (int v = 0; v < kNb201GraphNodes; ++v) {
            bool edge = reverse ? a[v][u] : a[u][v];
            if (edge && !seen[v]) {
                seen[v] = true;
                queue.push_back(v);
            }
        }
    }
    return seen;
}

}  // namespace

ArchGraph nb201_graph(const std::array<int, 6>& edge_ops) {
    constexpr int kOut = kNb201GraphNodes - 1;
    ArchGraph g;
    g.num_nodes = kNb201GraphNodes;
    g.ops = {1};  // input
    for (int op : edge_ops) g.ops.push_back(nb201_model_op(op));
    g.ops.push_back(0);  // output

    Adjacency a{};
    for (auto [i, j] : {std::pair{0, 1},
                        {0, 2},
                        {0, 4},
                        {1, 3},
                        {1, 5},
                        {2, 6},
                        {3, 6},
                        {4, 7},
                        {5, 7},
                        {6, 7}}) {
        a[i][j] = true;
    }
    for (int v = 1; v <= kNb201NumEdges; ++v) {
        int op = edge_ops[v - 1];
        if (op == 0) {  // none: cut every in- and out-edge
            for (int u = 0; u < kNb201GraphNodes; ++u) a[u][v] = a[v][u] = false;
        } else if (op == 1) {  // skip: bridge p -> s; p -> v goes only if v has a successor
            std::vector<int> preds, succs;
            for (int u = 0; u < kNb201GraphNodes; ++u) {
                if (a[u][v]) preds.push_back(u);
                if (a[v][u]) succs.push_back(u);
            }
            for (int p : preds) {
                for (int s : succs) {
                    a[p][s] = true;
                    a[p][v] = false;
                }
            }
            for (int s : succs) a[v][s] = false;
        }
    }
    auto forward = reach(a, 0, false);
    auto backward = reach(a, kOut, true);
    for (int i = 0; i < kNb201GraphNodes; ++i) {
        for (int j = 0; j < kNb201GraphNodes; ++j) {
            // Both ends must lie on an input->output path; if the output is cut off, no node is.
            if (a[i][j] && forward[i] && backward[i] && forward[j] && backward[j]) {
                g.edges.emplace_back(i, j);
            }
        }
    }
    return g;
}

ArchGraph fbnet_graph(const std::vector<int>& layer_ops, GraphMode mode) {
    NASFLAT_CHECK(layer_ops.size() == static_cast<size_t>(kFbnetNumLayers),
                  "FBNet architecture has ", layer_ops.size(),
                  " layer ops; fix: give exactly 22 values in 0..8");
    for (size_t i = 0; i < layer_ops.size(); ++i) {
        NASFLAT_CHECK(layer_ops[i] >= 0 && layer_ops[i] < kFbnetNumOps, "FBNet layer ", i,
                      " has op ", layer_ops[i], "; fix: layer ops are 0..8 (k3_e1 .. skip)");
    }
    ArchGraph g;
    if (mode == GraphMode::Reference) {
        g.num_nodes = kFbnetNumLayers;
        g.ops.assign(layer_ops.begin(), layer_ops.end());
        for (int i = 0; i < g.num_nodes; ++i) g.edges.emplace_back(i, i);
    } else {
        g.num_nodes = kFbnetNumLayers + 2;
        g.ops.push_back(kFbnetInputOp);
        g.ops.insert(g.ops.end(), layer_ops.begin(), layer_ops.end());
        g.ops.push_back(kFbnetOutputOp);
        for (int i = 0; i + 1 < g.num_nodes; ++i) g.edges.emplace_back(i, i + 1);
    }
    return g;
}

std::array<int, 6> nb201_live_ops(const std::array<int, 6>& edge_ops) {
    // Cell edges in archs.json order; they are listed by source node, so one forward sweep
    // (and one backward sweep in reverse) reaches everything.
    static constexpr int kFrom[6] = {0, 0, 1, 0, 1, 2};
    static constexpr int kTo[6] = {1, 2, 2, 3, 3, 3};
    bool from_input[4] = {true, false, false, false};
    bool to_output[4] = {false, false, false, true};
    for (int e = 0; e < 6; ++e) {
        if (edge_ops[e] != 0 && from_input[kFrom[e]]) from_input[kTo[e]] = true;
    }
    for (int e = 5; e >= 0; --e) {
        if (edge_ops[e] != 0 && to_output[kTo[e]]) to_output[kFrom[e]] = true;
    }
    std::array<int, 6> live = edge_ops;
    for (int e = 0; e < 6; ++e) {
        if (!(from_input[kFrom[e]] && to_output[kTo[e]])) live[e] = 0;
    }
    return live;
}

}  // namespace nasflat::nas
