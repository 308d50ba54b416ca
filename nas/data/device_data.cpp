// device_data.cpp — see device_data.h.
#include "nas/data/device_data.h"

#include <algorithm>
#include <cmath>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/data/manifest.h"

namespace nasflat::nas {

bool DeviceData::covers(int arch) const {
    return std::binary_search(arch_index.begin(), arch_index.end(), arch);
}

double DeviceData::value(int arch) const {
    auto it = std::lower_bound(arch_index.begin(), arch_index.end(), arch);
    if (it == arch_index.end() || *it != arch) {
        fail("device '", name, "' (", file, ") has no ", metric, " for architecture ", arch,
             "; fix: use only the architectures in its arch_index (", count(), " of them)");
    }
    return values[it - arch_index.begin()];
}

std::vector<double> DeviceData::dense(int space_size) const {
    std::vector<double> out(static_cast<size_t>(space_size), std::nan(""));
    for (size_t k = 0; k < arch_index.size(); ++k) {
        NASFLAT_CHECK(arch_index[k] < space_size, "device '", name, "' has architecture ",
                      arch_index[k], " beyond the space size ", space_size);
        out[arch_index[k]] = values[k];
    }
    return out;
}

DeviceData load_device_file(const std::string& path, Space space, int space_size,
                            const std::string& expected_metric) {
    Json root = read_json_file(path);
    DeviceData d;
    d.file = path;
    d.name = get_string(root, "device", path);
    std::string declared = get_string(root, "space", path);
    if (declared != space_name(space)) {
        file_error(path, "space", "is '" + declared + "', expected '" + space_name(space) + "'",
                   "load it as a " + declared + " device");
    }
    d.metric = get_string(root, "metric", path);
    if (d.metric != "latency" && d.metric != "energy") {
        file_error(path, "metric", "is '" + d.metric + "'", "use latency or energy");
    }
    if (!expected_metric.empty() && d.metric != expected_metric) {
        file_error(path, "metric", "is '" + d.metric + "', expected '" + expected_metric + "'", "");
    }
    d.unit = get_string(root, "unit", path);
    const std::string unit = d.metric == "latency" ? "ms" : "mJ";
    if (d.unit != unit) {
        file_error(path, "unit", "is '" + d.unit + "'",
                   d.metric + " files are in " + unit + "; convert the values");
    }
    d.device_type = root.contains("device_type") ? get_string(root, "device_type", path) : "";
    d.hardware = root.contains("hardware") ? get_string(root, "hardware", path) : "";
    d.value_type = root.contains("value_type") ? get_string(root, "value_type", path) : "float";
    if (root.contains("batch_size") && !root["batch_size"].is_null()) {
        int64_t b = get_int(root, "batch_size", path);
        if (b <= 0) file_error(path, "batch_size", "must be positive or null", "");
        d.batch_size = static_cast<int>(b);
    }
    d.arch_index = get_index_array(root, "arch_index", path, space_size, true);
    d.values = get_number_array(root, d.metric, path, NullPolicy::Reject, SignPolicy::NonNegative,
                                d.metric);
    int64_t count = get_int(root, "count", path);
    if (count != static_cast<int64_t>(d.arch_index.size()) ||
        d.arch_index.size() != d.values.size()) {
        file_error(path, "count",
                   "count " + std::to_string(count) + ", arch_index has " +
                       std::to_string(d.arch_index.size()) + " entries, " + d.metric + " has " +
                       std::to_string(d.values.size()),
                   "give one " + d.metric + " per arch_index entry and set count to that number");
    }
    if (d.value_type == "integer") {
        const Json& arr = root[d.metric];
        for (size_t k = 0; k < arr.size(); ++k) {
            if (!arr[k].is_number_integer()) {
                file_error(path, entry_at(d.metric, k), "is not a whole number",
                           "value_type \"integer\" files hold whole numbers; or set \"float\"");
            }
        }
    } else if (d.value_type != "float") {
        file_error(path, "value_type", "is '" + d.value_type + "'", "use float or integer");
    }
    return d;
}

namespace {

DeviceData load_named(const std::string& data_dir, Space space, const std::string& device,
                      const std::string& metric) {
    Manifest m = load_manifest(data_dir);
    const ManifestDevice& entry = m.device(space, device, metric);
    DeviceData d = load_device_file(m.path(entry.file), space, m.space(space).num_archs, metric);
    if (d.name != entry.device) {
        file_error(d.file, "device",
                   "is '" + d.name + "' but manifest.json lists the file as '" + entry.device + "'",
                   "make the names agree");
    }
    if (d.count() != entry.count) {
        file_error(d.file, "count",
                   "has " + std::to_string(d.count()) + " values but " + m.file + " says " +
                       std::to_string(entry.count),
                   "rebuild the data folder (make_data.py) or fix the manifest");
    }
    return d;
}

std::vector<std::string> names_of(const std::vector<ManifestDevice>& list) {
    std::vector<std::string> out;
    for (const auto& d : list) out.push_back(d.device);
    return out;
}

}  // namespace

DeviceData load_device(const std::string& data_dir, Space space, const std::string& device) {
    return load_named(data_dir, space, device, "latency");
}

DeviceData load_energy(const std::string& data_dir, Space space, const std::string& device) {
    return load_named(data_dir, space, device, "energy");
}

std::vector<std::string> list_devices(const std::string& data_dir, Space space) {
    return names_of(load_manifest(data_dir).space(space).devices);
}

std::vector<std::string> list_energy_devices(const std::string& data_dir, Space space) {
    return names_of(load_manifest(data_dir).space(space).energy_devices);
}

}  // namespace nasflat::nas
