// zcp.h — raw zero-cost proxies, <data>/<space>/zcp.json (13 proxies, unnormalised).
//   NB201: 9445 cells (those without dead ops), CIFAR-10; 4 nulls (cell 1651) -> NaN here;
//          plus exact flops/params (millions) for all 15625 cells ("all_cells").
//   FBNet: all 5000 networks; no nulls.
// The two spaces' proxies are not comparable (different code, units, synflow log vs raw).
// Normalised per-architecture vectors are built in encoding.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nas/space/space.h"

namespace nasflat::nas {

struct ZcpTable {
    Space space = Space::NB201;
    std::string file;
    std::vector<std::string> proxies;           // (P = 13) file order
    std::vector<int32_t> arch_index;            // (C) strictly increasing
    std::vector<std::vector<double>> values;    // (P)(C), NaN where the proxy failed (NB201)
    std::vector<double> all_flops, all_params;  // NB201 only: (15625) in millions

    // Values of one proxy (aligned with arch_index); unknown name -> error listing them.
    const std::vector<double>& proxy(const std::string& name) const;
};

// The 13 proxy names every zcp file must hold (in NB201's alphabetical order, as the authors
// list them).
const std::vector<std::string>& zcp_proxy_names();

// Reads and validates the file: the 13 proxies, arch_index strictly increasing in
// [0, space_size), every proxy as long as arch_index, values finite (null only in NB201),
// NB201 all_cells complete and positive.
ZcpTable load_zcp(const std::string& data_dir, Space space, int space_size);

}  // namespace nasflat::nas
