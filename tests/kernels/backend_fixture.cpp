// backend_fixture.cpp — see backend_fixture.h.
#include "tests/kernels/backend_fixture.h"

namespace nasflat::testing {

std::string backend_param_name(const ::testing::TestParamInfo<kernels::Backend>& info) {
    return info.param == kernels::Backend::Cuda ? "Cuda" : "CpuFast";
}

RandomGraphs random_graphs(Rng& rng, const std::vector<int>& sizes, double density) {
    RandomGraphs g;
    g.seg_ptr.push_back(0);
    for (int n : sizes) {
        int base = g.num_nodes;
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < n; ++j) {
                if (rng.uniform() < density) {
                    g.rows.push_back(base + i);
                    g.cols.push_back(base + j);
                }
            }
        }
        g.num_nodes += n;
        g.seg_ptr.push_back(g.num_nodes);
    }
    return g;
}

}  // namespace nasflat::testing
