// model_fixtures.h — small hand-made architecture graphs for model tests (no data files).
#pragma once

#include <vector>

#include "kernels/base/rng.h"
#include "models/collate.h"

namespace nasflat::testing {

// NB201 cells as 8-node graphs (ops-on-nodes, the authors' golden examples).
inline models::ArchGraph nb201_idx0() {
    return {8, {1, 2, 3, 6, 3, 6, 6, 0}, {{0, 1}, {0, 2}, {0, 4}, {1, 7}, {2, 7}, {4, 7}}};
}
inline models::ArchGraph nb201_idx1() {
    return {8,
            {1, 4, 4, 2, 6, 4, 6, 0},
            {{0, 1}, {0, 2}, {0, 7}, {1, 3}, {1, 5}, {2, 7}, {3, 7}, {5, 7}}};
}
inline models::ArchGraph nb201_idx3() { return {8, {1, 2, 6, 5, 5, 5, 6, 0}, {{0, 7}}}; }

// A random DAG with ops on nodes (edges only from lower to higher node ids).
inline models::ArchGraph random_dag(Rng& rng, int n, int num_ops) {
    models::ArchGraph g;
    g.num_nodes = n;
    g.ops.assign(n, 0);
    for (int i = 1; i + 1 < n; ++i) g.ops[i] = static_cast<int32_t>(rng.below(num_ops));
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
            if (rng.uniform() < 0.4) g.edges.push_back({i, j});
        }
    }
    return g;
}

inline std::vector<const models::ArchGraph*> pointers(const std::vector<models::ArchGraph>& gs) {
    std::vector<const models::ArchGraph*> out;
    for (const auto& g : gs) out.push_back(&g);
    return out;
}

}  // namespace nasflat::testing
