// manifest.cpp — see manifest.h.
#include "nas/data/manifest.h"

#include <filesystem>
#include <set>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

namespace {

ManifestDevice read_device(const Json& j, const std::string& file, const std::string& at) {
    ManifestDevice d;
    d.device = get_string(j, "device", file, at);
    d.metric = get_string(j, "metric", file, at);
    d.file = get_string(j, "file", file, at);
    d.unit = get_string(j, "unit", file, at);
    d.value_type = get_string(j, "value_type", file, at);
    d.device_type = get_string(j, "device_type", file, at);
    d.hardware = get_string(j, "hardware", file, at);
    d.collection = get_string(j, "collection", file, at);
    d.count = static_cast<int>(get_int(j, "count", file, at));
    const Json& batch = require_key(j, "batch_size", file, at);
    d.batch_size =
        batch.is_null() ? -1 : static_cast<int>(as_int(batch, file, entry_key(at, "batch_size")));
    d.min = as_number(require_key(j, "min", file, at), file, entry_key(at, "min"));
    d.median = as_number(require_key(j, "median", file, at), file, entry_key(at, "median"));
    d.max = as_number(require_key(j, "max", file, at), file, entry_key(at, "max"));
    if (d.count <= 0) file_error(file, entry_key(at, "count"), "must be positive", "");
    return d;
}

std::vector<ManifestDevice> read_devices(const Json& space, const std::string& key,
                                         const std::string& metric, const std::string& file,
                                         const std::string& at) {
    const std::string where = entry_key(at, key);
    const Json& arr = as_array(require_key(space, key, file, at), file, where, true);
    std::vector<ManifestDevice> out;
    std::set<std::string> seen;
    for (size_t k = 0; k < arr.size(); ++k) {
        out.push_back(read_device(arr[k], file, entry_at(where, k)));
        if (out.back().metric != metric) {
            file_error(file, entry_at(where, k), "metric is '" + out.back().metric + "'",
                       "entries of " + key + " have metric '" + metric + "'");
        }
        if (!seen.insert(out.back().device).second) {
            file_error(file, entry_at(where, k), "device '" + out.back().device + "' listed twice",
                       "");
        }
    }
    return out;
}

ManifestSpace read_space(const Json& spaces, Space s, const std::string& file) {
    const std::string at = std::string("spaces.") + space_name(s);
    const Json& j = require_key(spaces, space_name(s), file, "spaces");
    ManifestSpace m;
    m.archs_file = get_string(j, "archs_file", file, at);
    m.zcp_file = get_string(j, "zcp_file", file, at);
    if (s == Space::NB201) m.accuracy_file = get_string(j, "accuracy_file", file, at);
    m.num_archs = static_cast<int>(get_int(j, "num_archs", file, at));
    m.devices = read_devices(j, "devices", "latency", file, at);
    m.energy_devices = read_devices(j, "energy_devices", "energy", file, at);
    if (m.devices.empty()) file_error(file, entry_key(at, "devices"), "no latency devices", "");
    return m;
}

}  // namespace

Manifest load_manifest(const std::string& data_dir) {
    Manifest m;
    m.data_dir = data_dir;
    m.file = data_dir + "/manifest.json";
    Json root = read_json_file(m.file);
    int64_t version = get_int(root, "format_version", m.file);
    if (version != 2) {
        file_error(m.file, "format_version", "is " + std::to_string(version) + ", expected 2",
                   "use the data folder of this project (../shared/data)");
    }
    const Json& spaces = require_key(root, "spaces", m.file);
    m.nb201 = read_space(spaces, Space::NB201, m.file);
    m.fbnet = read_space(spaces, Space::FBNet, m.file);
    return m;
}

const ManifestDevice& Manifest::device(Space s, const std::string& name,
                                       const std::string& metric) const {
    const ManifestSpace& sp = space(s);
    const auto& list = metric == "energy" ? sp.energy_devices : sp.devices;
    std::vector<std::string> names;
    for (const auto& d : list) {
        if (d.device == name) return d;
        names.push_back(d.device);
    }
    const std::string guess =
        path(std::string(space_name(s)) + "/" + metric + "/" + name + ".json");
    std::error_code ec;
    if (std::filesystem::exists(guess, ec)) {
        fail("device '", name, "': ", guess, " exists but ", file, " has no ", space_name(s), " ",
             metric, " entry for it; fix: add an entry to spaces.", space_name(s), ".",
             metric == "energy" ? "energy_devices" : "devices", " (nasflat data checks it)");
    }
    std::string hint = closest_name(name, names);
    fail("unknown ", space_name(s), " ", metric, " device '", name, "': no entry in ", file,
         " and no file ", guess, hint.empty() ? "" : " (did you mean '" + hint + "'?)",
         "; fix: use one of ", join_names(names), " (nasflat data lists them)");
}

}  // namespace nasflat::nas
