// measurements.h — a user's own measurements of a device (the input of `nasflat transfer`), in
// the device-file layout of the data folder, so a data-folder device file is also a valid input:
//   {"space": "nb201", "unit": "ms",
//    "arch_index": [12, 873, 4090],                      // and/or
//    "archs": ["|nor_conv_3x3~0|+|...|", 873, "4,2,1,2,1,1"],
//    "latency": [10.71, 12.9, 8.05]}
// The metric is latency (the default; unit ms, us or s) or energy ("metric": "energy", values
// under "energy", unit mJ, uJ or J); predictors, calibrations and searches then speak that
// metric in its base unit (ms or mJ).
// archs entries: NB201 arch strings, 6-op lists (array or "a,b,c,d,e,f"), or indices; FBNet
// lists of 22 layer ops (array or "7,8,1,..."), or indices. With both keys they must agree.
// Optional keys: metric, count (= length), device, hardware, device_type, batch_size,
// value_type, note, comment, source, format_version; anything else is an error.
// Values are finite and, in the base unit, within [kMinValue, kMaxValue] (bounds that keep every
// later sum, ratio and log finite); each architecture appears once (average repeats before
// writing).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/space/search_space.h"

namespace nasflat::nas {

constexpr double kMinValue = 1e-6;  // in the metric's base unit (ms, mJ)
constexpr double kMaxValue = 1e9;

struct Measurements {
    Space space = Space::NB201;
    std::string metric = "latency";   // "latency" or "energy"
    std::string unit, file;           // a unit of the metric (metric_units)
    std::vector<int32_t> arch_index;  // (M) file order, distinct
    std::vector<double> values;       // (M) in `unit`, within the bounds once in the base unit

    std::vector<double> base_values() const;  // (M) in ms / mJ
};

// "ms" for latency, "mJ" for energy; any other metric is an error.
const char* base_unit(const std::string& metric);
// The units a file of `metric` may use: latency ms, us, s; energy mJ, uJ, J.
const std::vector<std::string>& metric_units(const std::string& metric);
// Base units per `unit` of `metric` (ms per us = 1e-3, ...); an unknown unit is an error.
double base_per_unit(const std::string& metric, const std::string& unit);

// Reads and validates a measurement file against `ss` (its space and architectures).
// Every problem -> one-line error naming the file, the entry and the fix.
Measurements load_measurements(const std::string& path, const SearchSpace& ss);

// What `transfer` needs beyond a valid file: at least 2 measurements whose values are not
// all equal (there is no ranking to learn otherwise). `nasflat data --check` applies it too.
void check_transferable(const Measurements& m);

// The architectures a JSON file names by "arch_index" and/or "archs" (entries as above; with
// both keys they must agree), in file order; duplicates are an error.
std::vector<int32_t> read_arch_indices(const nlohmann::json& root, const SearchSpace& ss,
                                       const std::string& file);

// Measured `metric` in its base unit by arch index (NaN where not measured) from `what`: a
// measurement file when such a file exists (its metric must be `metric`), else the name of a
// device of the data folder `data_dir` with that metric.
std::vector<double> measured_by_arch(const std::string& what, const std::string& data_dir,
                                     const SearchSpace& ss, const std::string& metric = "latency");

// Writes `m` in the layout above (one key per line; with `ss`, also "archs" as arch strings /
// op lists for people to read). Invalid content (lengths, values, duplicates) is an error and
// nothing is written.
void save_measurements(const std::string& path, const Measurements& m,
                       const SearchSpace* ss = nullptr);

}  // namespace nasflat::nas
