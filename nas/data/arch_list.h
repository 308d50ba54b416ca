// arch_list.h — architectures a user names in a file, for `predict --archs`, `sample --pool`:
//   JSON  the measurement-file layout (measurements.h) with or without "latency":
//         {"space": "nb201", "arch_index": [12, 873]} or {"space": "fbnet", "archs": ["7,8,1,..."]}
//   text  one architecture per line: an index, an NB201 arch string or 6 edge ops, or 22 FBNet
//         layer ops ("7,8,1,..."); blank lines and lines starting with '#' are skipped.
//   csv   `nasflat predict`'s own output (header "index,arch,score,latency_ms"): the index of
//         each row, checked against its arch column.
// A file whose first non-blank character is '{' is JSON. A UTF-8 byte-order mark is skipped.
// Lines are at most kMaxArchLineBytes. Errors name the file and the line or entry.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/space/search_space.h"

namespace nasflat::nas {

// Architecture indices in file order; an empty list or a repeated architecture is an error.
std::vector<int32_t> load_arch_list(const std::string& path, const SearchSpace& ss);
// The architectures listed in `path`, or every architecture of the space when `path` is "".
std::vector<int32_t> load_arch_list_or_all(const std::string& path, const SearchSpace& ss);

constexpr size_t kMaxArchLineBytes = 4096;

// One text line -> arch index, or -1 for a blank / comment line. `where` ("archs.txt:12")
// prefixes the error.
int parse_arch_line(const std::string& line, const SearchSpace& ss, const std::string& where);

// Architectures from a text stream (a file or stdin), a batch at a time: text lines or predict's
// CSV (recognised by its header on the first line).
class ArchLineReader {
public:
    // `name` ("stdin", a path) prefixes errors with name:LINE.
    ArchLineReader(std::istream& in, const SearchSpace& ss, std::string name);
    // Up to `max` architectures; fewer only at the end of the input.
    std::vector<int32_t> next(size_t max);

private:
    bool read_line(std::string& line);  // false at the end; over-long lines are an error
    int parse(const std::string& line);  // -1: nothing on this line

    std::istream& in_;
    const SearchSpace& ss_;
    std::string name_;
    int64_t line_no_ = 0;
    bool csv_ = false;
};

// Writes `archs` in the JSON layout above: "space", "count", "arch_index", "archs" (arch
// strings / op lists), then, when `values` are given (a valid measurement file), "metric",
// "unit" (ms or mJ) and the values under the metric's key, then the keys of `extra` (e.g.
// "note"); one key per line. Atomic write.
void save_arch_list(const std::string& path, const SearchSpace& ss,
                    const std::vector<int32_t>& archs, const std::vector<double>* values,
                    const nlohmann::json& extra, const std::string& metric = "latency");

}  // namespace nasflat::nas
