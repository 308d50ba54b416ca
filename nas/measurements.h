// measurements.h — a user's own latency measurements (the input of `nasflat transfer`), in the
// device-file layout of the data folder, so a data-folder device file is also a valid input:
//   {"space": "nb201", "unit": "ms",
//    "arch_index": [12, 873, 4090],                      // and/or
//    "archs": ["|nor_conv_3x3~0|+|...|", 873, "4,2,1,2,1,1"],
//    "latency": [10.71, 12.9, 8.05]}
// archs entries: NB201 arch strings, 6-op lists (array or "a,b,c,d,e,f"), or indices; FBNet
// lists of 22 layer ops (array or "7,8,1,..."), or indices. With both keys they must agree.
// Optional keys: metric ("latency"), count (= length), device, hardware, device_type,
// batch_size, value_type, note, comment, source, format_version; anything else is an error.
// Values are finite and, converted to ms, within [kMinLatencyMs, kMaxLatencyMs] (bounds that
// keep every later sum, ratio and log finite); each architecture appears once (average repeats
// before writing).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/search_space.h"

namespace nasflat::nas {

constexpr double kMinLatencyMs = 1e-6;
constexpr double kMaxLatencyMs = 1e9;

struct Measurements {
    Space space = Space::NB201;
    std::string unit, file;           // unit: "ms", "us" or "s"
    std::vector<int32_t> arch_index;  // (M) file order, distinct
    std::vector<double> latency;      // (M) in `unit`, within the bounds above once in ms

    std::vector<double> latency_ms() const;  // (M)
};

// Milliseconds per `unit` ("ms" 1, "us" 1e-3, "s" 1e3); any other unit is an error.
double ms_per_unit(const std::string& unit);

// Reads and validates a measurement file against `ss` (its space and architectures).
// Every problem -> one-line error naming the file, the entry and the fix.
Measurements load_measurements(const std::string& path, const SearchSpace& ss);

// What `transfer` needs beyond a valid file: at least 2 measurements whose latencies are not
// all equal (there is no ranking to learn otherwise). `nasflat data --check` applies it too.
void check_transferable(const Measurements& m);

// The architectures a JSON file names by "arch_index" and/or "archs" (entries as above; with
// both keys they must agree), in file order; duplicates are an error.
std::vector<int32_t> read_arch_indices(const nlohmann::json& root, const SearchSpace& ss,
                                       const std::string& file);

// Latency in ms by arch index (NaN where not measured) from `what`: a measurement file when
// such a file exists, else the name of a latency device of the data folder `data_dir`.
std::vector<double> latency_ms_by_arch(const std::string& what, const std::string& data_dir,
                                       const SearchSpace& ss);

// Writes `m` in the layout above (one key per line; with `ss`, also "archs" as arch strings /
// op lists for people to read). Invalid content (lengths, values, duplicates) is an error and
// nothing is written.
void save_measurements(const std::string& path, const Measurements& m,
                       const SearchSpace* ss = nullptr);

}  // namespace nasflat::nas
