// help_encoding.h — HELP's architecture encodings (Lee et al. 2021), shared by the HELP and
// MultiPredict baselines (reference/NASFLAT_SPEC.md 10.1 and 10.2).
//   NB201: ops on nodes, 9 nodes x 8 features. Nodes: 0 input, 1..6 the six edges in edge order
//          0->1, 0->2, 1->2, 0->3, 1->3, 2->3 (search_space.h), 7 output, 8 a global node.
//          Features (one-hot): 0 input, 1..5 the edge op (none, skip, conv1x1, conv3x3, avgpool,
//          archs.json order), 6 output, 7 global. Adjacency A (9, 9) row-major, already
//          transposed as HELP stores it: A[i][j] = 1 when j feeds i (edge j -> i), or j == i
//          (self-loops), or i == 8 (every node points to the global node). So A H sums each
//          node's predecessors and itself, and the global row sums every node.
//   FBNet: 22 layers x 6 = 132 floats; per layer [kernel 3, kernel 5, e1, e1_g2, e3, e6]
//          (one-hot kernel, one-hot expansion variant); a skip layer is all zeros.
#pragma once

#include <vector>

namespace nasflat::nas {

constexpr int kHelpNb201Nodes = 9;     // 8 + the global node
constexpr int kHelpNb201Features = 8;  // 7 + the global node's column
constexpr int kHelpFbnetDim = 132;     // 22 layers x 6

struct HelpNb201Graph {
    std::vector<float> adjacency;  // (9, 9) row-major, A[i][j] = 1: j feeds i (see above)
    std::vector<float> features;   // (9, 8) row-major one-hot
};

// The graph of a cell given as its 6 edge ops (0..4); bad length or op -> error.
HelpNb201Graph help_nb201_graph(const std::vector<int>& edge_ops);
// The 132-d vector of a network given as its 22 layer ops (0..8); bad length or op -> error.
std::vector<float> help_fbnet_vector(const std::vector<int>& layer_ops);

}  // namespace nasflat::nas
