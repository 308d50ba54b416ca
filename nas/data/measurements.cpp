// measurements.cpp — see measurements.h.
#include "nas/data/measurements.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <unordered_map>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/data/device_data.h"

namespace nasflat::nas {

namespace {

const std::vector<std::string> kAllowedKeys = {
    "space",   "unit",   "metric",  "count",    "arch_index", "archs",
    "latency", "energy", "device",  "hardware", "device_type", "batch_size",
    "value_type", "note", "comment", "source",  "format_version"};

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

void check_unit(const std::string& file, const std::string& metric, const std::string& unit) {
    const auto& units = metric_units(metric);
    if (std::find(units.begin(), units.end(), unit) == units.end()) {
        file_error(file, "unit", "'" + printable(unit, 40) + "' is not a unit of " + metric,
                   "use " + join_names(units));
    }
}

void check_content(const Measurements& m, const std::string& file) {
    const std::string& key = m.metric;
    if (m.values.empty())
        file_error(file, key, "no measurements", "measure at least one architecture");
    if (m.values.size() != m.arch_index.size()) {
        file_error(file, key,
                   std::to_string(m.values.size()) + " values for " +
                       std::to_string(m.arch_index.size()) + " architectures",
                   "give one " + key + " per architecture");
    }
    const double to_base = base_per_unit(m.metric, m.unit);
    std::unordered_map<int32_t, size_t> seen;
    for (size_t k = 0; k < m.arch_index.size(); ++k) {
        auto [it, fresh] = seen.emplace(m.arch_index[k], k);
        if (!fresh) {
            file_error(file, entry_at("archs", k),
                       "architecture " + std::to_string(m.arch_index[k]) +
                           " appears twice (also entry " + std::to_string(it->second) + ")",
                       "average repeated measurements into one value");
        }
        const double v = m.values[k] * to_base;
        if (!(v >= kMinValue && v <= kMaxValue)) {
            std::ostringstream os;
            os << key << " " << m.values[k] << " " << m.unit << " is outside " << kMinValue
               << " .. " << kMaxValue << " " << base_unit(m.metric);
            file_error(file, entry_at(key, k), os.str(),
                       "check the value and the unit (\"unit\": " + join_names(metric_units(key)) +
                           "), or re-measure that architecture");
        }
    }
}

}  // namespace

const char* base_unit(const std::string& metric) {
    if (metric == "latency") return "ms";
    if (metric == "energy") return "mJ";
    fail("'", printable(metric, 40), "' is not a metric; fix: use latency or energy");
}

const std::vector<std::string>& metric_units(const std::string& metric) {
    static const std::vector<std::string> latency = {"ms", "us", "s"}, energy = {"mJ", "uJ", "J"};
    base_unit(metric);  // validates
    return metric == "latency" ? latency : energy;
}

double base_per_unit(const std::string& metric, const std::string& unit) {
    const auto& units = metric_units(metric);
    const double scale[] = {1.0, 1e-3, 1e3};
    for (size_t i = 0; i < units.size(); ++i)
        if (units[i] == unit) return scale[i];
    fail("'", printable(unit, 40), "' is not a unit of ", metric, "; fix: use ",
         join_names(units));
}

std::vector<double> Measurements::base_values() const {
    const double to_base = base_per_unit(metric, unit);
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values) out.push_back(v * to_base);
    return out;
}

void check_transferable(const Measurements& m) {
    if (m.values.size() < 2) {
        file_error(m.file, m.metric,
                   "holds " + std::to_string(m.values.size()) +
                       " measurement; transfer needs at least 2 (20 or more fit well)",
                   "measure more architectures (`nasflat sample` chooses them)");
    }
    if (*std::max_element(m.values.begin(), m.values.end()) ==
        *std::min_element(m.values.begin(), m.values.end())) {
        file_error(m.file, m.metric,
                   "every " + m.metric + " is the same, so there is no ranking to learn",
                   "measure architectures of different sizes");
    }
}

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
    // get_index_array refuses repeats in arch_index; entries of "archs" are checked here.
    std::unordered_map<int32_t, size_t> seen;
    for (size_t k = 0; k < index.size(); ++k) {
        auto [it, fresh] = seen.emplace(index[k], k);
        if (!fresh) {
            file_error(path, entry_at(has_archs ? "archs" : "arch_index", k),
                       "architecture " + std::to_string(index[k]) + " appears twice (also entry " +
                           std::to_string(it->second) + ")",
                       "list each architecture once (average repeated measurements into one value)");
        }
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
            std::string hint = it.key().size() > 100 ? "" : closest_name(it.key(), kAllowedKeys);
            file_error(path, "key \"" + printable(it.key(), 60) + "\"",
                       "is not part of the format" +
                           (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"),
                       "use space, metric, unit, arch_index or archs, latency or energy "
                       "(docs/data.md)");
        }
    }
    Measurements m;
    m.file = path;
    std::string space = get_string(root, "space", path);
    if (space != space_name(ss.space())) {
        file_error(path, "space",
                   "is \"" + printable(space, 40) + "\", but " + space_name(ss.space()) +
                       " architectures are expected here (the checkpoint's or --space's space)",
                   std::string("give measurements of ") + space_name(ss.space()) +
                       " architectures, or a checkpoint / --space of the file's space");
    }
    m.space = ss.space();
    m.metric = root.contains("metric") ? get_string(root, "metric", path) : "latency";
    if (m.metric != "latency" && m.metric != "energy") {
        file_error(path, "metric", "'" + printable(m.metric, 40) + "' is not a metric",
                   "use \"latency\" or \"energy\"");
    }
    const std::string other = m.metric == "latency" ? "energy" : "latency";
    if (root.contains(other)) {
        file_error(path, other, "is not the file's metric (" + m.metric + ")",
                   "store one metric per file, under its own key");
    }
    m.unit = get_string(root, "unit", path);
    check_unit(path, m.metric, m.unit);
    m.arch_index = read_arch_indices(root, ss, path);
    m.values = get_number_array(root, m.metric, path, NullPolicy::Reject, SignPolicy::NonNegative,
                                m.metric);
    if (root.contains("count") && get_int(root, "count", path) != int64_t(m.values.size())) {
        file_error(path, "count", "differs from the number of values", "fix count or drop it");
    }
    check_content(m, path);
    return m;
}

void save_measurements(const std::string& path, const Measurements& m, const SearchSpace* ss) {
    base_unit(m.metric);
    check_unit(path, m.metric, m.unit);
    check_content(m, path);
    if (ss != nullptr && ss->space() != m.space) {
        fail("save_measurements: measurements are ", space_name(m.space), " but the space is ",
             space_name(ss->space()));
    }
    // One key per line, arrays inline: readable and diff-friendly.
    std::ostringstream out;
    out << "{\n  \"space\": " << Json(space_name(m.space)).dump() << ",\n"
        << "  \"metric\": " << Json(m.metric).dump() << ",\n  \"unit\": " << Json(m.unit).dump()
        << ",\n"
        << "  \"count\": " << m.values.size() << ",\n"
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
    out << "  " << Json(m.metric).dump() << ": " << Json(m.values).dump() << "\n}\n";
    write_text_file(path, out.str());
}

std::vector<double> measured_by_arch(const std::string& what, const std::string& data_dir,
                                     const SearchSpace& ss, const std::string& metric) {
    if (std::filesystem::is_regular_file(what)) {
        const Measurements m = load_measurements(what, ss);
        NASFLAT_CHECK(m.metric == metric, what, ": holds ", m.metric, " but ", metric,
                      " is compared here; fix: give a file of ", metric, " measurements");
        const std::vector<double> v = m.base_values();
        std::vector<double> dense(static_cast<size_t>(ss.size()), std::nan(""));
        for (size_t k = 0; k < m.arch_index.size(); ++k) dense[m.arch_index[k]] = v[k];
        return dense;
    }
    const DeviceData d = metric == "energy" ? load_energy(data_dir, ss.space(), what)
                                            : load_device(data_dir, ss.space(), what);
    return d.dense(ss.size());
}

}  // namespace nasflat::nas
