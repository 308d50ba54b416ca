// measurements.cpp — see measurements.h.
#include "nas/measurements.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <unordered_map>

#include "kernels/base/check.h"
#include "nas/device_data.h"
#include "nas/json_io.h"

namespace nasflat::nas {

namespace {

const std::vector<std::string> kAllowedKeys = {
    "space",   "unit",    "metric",   "count",         "arch_index", "archs",
    "latency", "device",  "hardware", "device_type",   "batch_size", "value_type",
    "note",    "comment", "source",   "format_version"};
const std::vector<std::string> kUnits = {"ms", "us", "s"};

// One entry of "archs" -> architecture index of `ss`.
int arch_entry(const Json& j, const SearchSpace& ss, const std::string& file,
               const std::string& at) {
    if (j.is_number_integer()) {
        int64_t v = as_int(j, file, at);
        if (v < 0 || v >= ss.size()) {
            file_error(file, at, "index " + std::to_string(v) + " is out of range",
                       "indices run from 0 to " + std::to_string(ss.size() - 1));
        }
        return static_cast<int>(v);
    }
    std::string text;
    if (j.is_string()) {
        text = j.get<std::string>();
    } else if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i) {
            text += (i ? "," : "") + std::to_string(as_int(j[i], file, entry_at(at, i)));
        }
    } else {
        file_error(
            file, at,
            std::string("expected an arch string, an op list or an index, got ") + j.type_name(),
            "");
    }
    try {
        return ss.parse_arch(text);
    } catch (const Error& e) {
        file_error(file, at, e.what(), "");
    }
}

bool is_latency_unit(const std::string& unit) {
    return std::find(kUnits.begin(), kUnits.end(), unit) != kUnits.end();
}

void check_content(const Measurements& m, const std::string& file) {
    if (m.latency.empty())
        file_error(file, "latency", "no measurements", "measure at least one architecture");
    if (m.latency.size() != m.arch_index.size()) {
        file_error(file, "latency",
                   std::to_string(m.latency.size()) + " values for " +
                       std::to_string(m.arch_index.size()) + " architectures",
                   "give one latency per architecture");
    }
    std::unordered_map<int32_t, size_t> seen;
    for (size_t k = 0; k < m.arch_index.size(); ++k) {
        auto [it, fresh] = seen.emplace(m.arch_index[k], k);
        if (!fresh) {
            file_error(file, entry_at("archs", k),
                       "architecture " + std::to_string(m.arch_index[k]) +
                           " appears twice (also entry " + std::to_string(it->second) + ")",
                       "average repeated measurements into one value");
        }
        if (!(m.latency[k] > 0) || !std::isfinite(m.latency[k])) {
            std::ostringstream os;
            os << "latency " << m.latency[k] << " is not a positive finite number";
            file_error(file, entry_at("latency", k), os.str(),
                       "re-measure that architecture or drop the entry");
        }
    }
}

}  // namespace

std::vector<int32_t> read_arch_indices(const Json& root, const SearchSpace& ss,
                                       const std::string& path) {
    const bool has_index = root.contains("arch_index"), has_archs = root.contains("archs");
    if (!has_index && !has_archs) {
        file_error(path, "top level", "missing \"arch_index\" or \"archs\"",
                   "name the measured architectures by index or by arch string / op list");
    }
    std::vector<int32_t> index;
    if (has_index) index = get_index_array(root, "arch_index", path, ss.size(), false);
    if (has_archs) {
        const Json& archs = as_array(root["archs"], path, "archs");
        std::vector<int32_t> from_archs;
        for (size_t k = 0; k < archs.size(); ++k) {
            from_archs.push_back(arch_entry(archs[k], ss, path, entry_at("archs", k)));
        }
        if (has_index) {
            if (from_archs.size() != index.size()) {
                file_error(path, "archs",
                           "has " + std::to_string(from_archs.size()) + " entries but arch_index " +
                               std::to_string(index.size()),
                           "give the same architectures in both, or only one of the keys");
            }
            for (size_t k = 0; k < from_archs.size(); ++k) {
                if (from_archs[k] != index[k]) {
                    file_error(path, entry_at("archs", k),
                               "is architecture " + std::to_string(from_archs[k]) +
                                   " but arch_index says " + std::to_string(index[k]),
                               "make them agree or keep only one of the keys");
                }
            }
        }
        index = from_archs;
    }
    return index;
}


Measurements load_measurements(const std::string& path, const SearchSpace& ss) {
    Json root = read_json_file(path);
    as_object(root, path, "top level");
    for (auto it = root.begin(); it != root.end(); ++it) {
        bool known = false;
        for (const auto& k : kAllowedKeys) known = known || k == it.key();
        if (!known) {
            std::string hint = closest_name(it.key(), kAllowedKeys);
            file_error(path, "key \"" + it.key() + "\"",
                       "is not part of the format" +
                           (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"),
                       "use space, unit, arch_index or archs, latency (docs/data.md)");
        }
    }
    Measurements m;
    m.file = path;
    std::string space = get_string(root, "space", path);
    if (space != space_name(ss.space())) {
        file_error(path, "space",
                   "is '" + space + "' but the architectures are " + space_name(ss.space()),
                   std::string("write \"space\": \"") + space_name(ss.space()) +
                       "\" or use the other space");
    }
    m.space = ss.space();
    m.unit = get_string(root, "unit", path);
    if (!is_latency_unit(m.unit)) {
        file_error(path, "unit", "'" + m.unit + "' is not a latency unit", "use ms, us or s");
    }
    if (root.contains("metric") && get_string(root, "metric", path) != "latency") {
        file_error(path, "metric", "must be \"latency\"", "store latencies under \"latency\"");
    }
    m.arch_index = read_arch_indices(root, ss, path);
    m.latency = get_number_array(root, "latency", path, NullPolicy::Reject, SignPolicy::NonNegative,
                                 "latency");
    if (root.contains("count") && get_int(root, "count", path) != int64_t(m.latency.size())) {
        file_error(path, "count", "differs from the number of latencies", "fix count or drop it");
    }
    check_content(m, path);
    return m;
}

void save_measurements(const std::string& path, const Measurements& m, const SearchSpace* ss) {
    check_content(m, path);
    if (!is_latency_unit(m.unit)) {
        file_error(path, "unit", "'" + m.unit + "' is not a latency unit", "use ms, us or s");
    }
    if (ss != nullptr && ss->space() != m.space) {
        fail("save_measurements: measurements are ", space_name(m.space), " but the space is ",
             space_name(ss->space()));
    }
    // One key per line, arrays inline: readable and diff-friendly.
    std::ostringstream out;
    out << "{\n  \"space\": " << Json(space_name(m.space)).dump() << ",\n"
        << "  \"metric\": \"latency\",\n  \"unit\": " << Json(m.unit).dump() << ",\n"
        << "  \"count\": " << m.latency.size() << ",\n"
        << "  \"arch_index\": " << Json(m.arch_index).dump() << ",\n";
    if (ss != nullptr) {
        Json archs = Json::array();
        for (int32_t i : m.arch_index) {
            if (m.space == Space::NB201) {
                archs.push_back(ss->arch_string(i));
            } else {
                archs.push_back(ss->ops(i));
            }
        }
        out << "  \"archs\": " << archs.dump() << ",\n";
    }
    out << "  \"latency\": " << Json(m.latency).dump() << "\n}\n";
    write_text_file(path, out.str());
}

std::vector<double> latency_ms_by_arch(const std::string& what, const std::string& data_dir,
                                       const SearchSpace& ss) {
    if (std::filesystem::is_regular_file(what)) {
        const Measurements m = load_measurements(what, ss);
        const double to_ms = m.unit == "us" ? 1e-3 : m.unit == "s" ? 1e3 : 1.0;
        std::vector<double> dense(static_cast<size_t>(ss.size()), std::nan(""));
        for (size_t k = 0; k < m.arch_index.size(); ++k) dense[m.arch_index[k]] = m.latency[k] * to_ms;
        return dense;
    }
    return load_device(data_dir, ss.space(), what).dense(ss.size());
}

}  // namespace nasflat::nas
