// zcp.cpp — see zcp.h.
#include "nas/data/zcp.h"

#include <algorithm>
#include <cmath>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

const std::vector<std::string>& zcp_proxy_names() {
    static const std::vector<std::string> kNames = {
        "epe_nas", "fisher", "flops", "grad_norm", "grasp",   "jacov", "l2_norm",
        "nwot",    "params", "plain", "snip",      "synflow", "zen"};
    return kNames;
}

const std::vector<double>& ZcpTable::proxy(const std::string& name) const {
    for (size_t p = 0; p < proxies.size(); ++p) {
        if (proxies[p] == name) return values[p];
    }
    fail("unknown zero-cost proxy '", name, "' in ", file, "; fix: use one of ",
         join_names(proxies));
}

ZcpTable load_zcp(const std::string& data_dir, Space space, int space_size) {
    ZcpTable t;
    t.space = space;
    t.file = data_dir + "/" + space_name(space) + "/zcp.json";
    const std::string& file = t.file;
    Json root = read_json_file(file);
    if (get_string(root, "space", file) != space_name(space)) {
        file_error(file, "space", std::string("expected '") + space_name(space) + "'", "");
    }
    const Json& names = as_array(require_key(root, "proxies", file), file, "proxies");
    for (size_t p = 0; p < names.size(); ++p) {
        t.proxies.push_back(as_string(names[p], file, entry_at("proxies", p)));
    }
    std::vector<std::string> sorted = t.proxies;
    std::sort(sorted.begin(), sorted.end());
    if (sorted != zcp_proxy_names()) {
        file_error(file, "proxies", "are " + join_names(t.proxies),
                   "expected the 13 proxies " + join_names(zcp_proxy_names()));
    }
    t.arch_index = get_index_array(root, "arch_index", file, space_size, true);
    if (get_int(root, "count", file) != static_cast<int64_t>(t.arch_index.size())) {
        file_error(file, "count", "differs from the length of arch_index", "");
    }
    const Json& values = require_key(root, "values", file);
    // NB201 marks a failed proxy (NaN/inf in NASLib) with null; FBNet has none.
    NullPolicy nulls = space == Space::NB201 ? NullPolicy::AsNaN : NullPolicy::Reject;
    for (const std::string& name : t.proxies) {
        t.values.push_back(get_number_array(values, name, file, nulls, SignPolicy::AnySign,
                                            "proxy value", "values"));
        if (t.values.back().size() != t.arch_index.size()) {
            file_error(file, entry_key("values", name),
                       "has " + std::to_string(t.values.back().size()) + " values but arch_index " +
                           std::to_string(t.arch_index.size()),
                       "one value per architecture");
        }
    }
    if (space == Space::NB201) {
        const Json& all = require_key(root, "all_cells", file);
        std::vector<int32_t> idx =
            get_index_array(all, "arch_index", file, space_size, true, "all_cells");
        if (idx.size() != static_cast<size_t>(space_size)) {
            file_error(file, "all_cells.arch_index", "must list every cell", "");
        }
        t.all_flops = get_number_array(all, "flops", file, NullPolicy::Reject,
                                       SignPolicy::NonNegative, "flops", "all_cells");
        t.all_params = get_number_array(all, "params", file, NullPolicy::Reject,
                                        SignPolicy::NonNegative, "params", "all_cells");
        if (t.all_flops.size() != idx.size() || t.all_params.size() != idx.size()) {
            file_error(file, "all_cells", "flops/params lengths differ from arch_index", "");
        }
    }
    return t;
}

}  // namespace nasflat::nas
