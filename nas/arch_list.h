// arch_list.h — architectures a user names in a file, for `predict --archs`, `sample --pool`:
//   JSON  the measurement-file layout (measurements.h) with or without "latency":
//         {"space": "nb201", "arch_index": [12, 873]} or {"space": "fbnet", "archs": ["7,8,1,..."]}
//   text  one architecture per line: an index, an NB201 arch string or 6 edge ops, or 22 FBNet
//         layer ops ("7,8,1,..."); blank lines and lines starting with '#' are skipped.
// A file whose first non-blank character is '{' is JSON. Errors name the file and the line or
// entry.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/search_space.h"

namespace nasflat::nas {

// Architecture indices in file order; an empty list or a repeated architecture is an error.
std::vector<int32_t> load_arch_list(const std::string& path, const SearchSpace& ss);

// One text line -> arch index, or -1 for a blank / comment line. `where` ("archs.txt:12")
// prefixes the error.
int parse_arch_line(const std::string& line, const SearchSpace& ss, const std::string& where);

// Reads up to `max` architectures from a text stream (skipping blank and comment lines);
// `line_no` counts the lines read so far, for messages. Returns fewer than `max` at the end.
std::vector<int32_t> read_arch_lines(std::istream& in, const SearchSpace& ss, size_t max,
                                     const std::string& name, int64_t& line_no);

// Writes `archs` in the JSON layout above: "space", "count", "arch_index", "archs" (arch
// strings / op lists), then "unit": "ms" and "latency" when `latency_ms` is given (a valid
// measurement file), then the keys of `extra` (e.g. "note"); one key per line. Atomic write.
void save_arch_list(const std::string& path, const SearchSpace& ss,
                    const std::vector<int32_t>& archs, const std::vector<double>* latency_ms,
                    const nlohmann::json& extra);

}  // namespace nasflat::nas
