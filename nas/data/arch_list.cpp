// arch_list.cpp — see arch_list.h.
#include "nas/data/arch_list.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <unordered_set>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/base/json_io.h"
#include "nas/data/measurements.h"

namespace nasflat::nas {

namespace {

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<int32_t> load_json_list(const std::string& path, const SearchSpace& ss) {
    Json root = read_json_file(path);
    as_object(root, path, "top level");
    if (root.contains("space")) {
        const std::string space = get_string(root, "space", path);
        if (space != space_name(ss.space())) {
            file_error(path, "space", "is \"" + space + "\" but this predictor is for " +
                                          space_name(ss.space()),
                       "list architectures of the predictor's space");
        }
    }
    return read_arch_indices(root, ss, path);
}

}  // namespace

int parse_arch_line(const std::string& line, const SearchSpace& ss, const std::string& where) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') return -1;
    try {
        return ss.parse_arch(t);
    } catch (const Error& e) {
        fail(where, ": ", e.what());
    }
}

ArchLineReader::ArchLineReader(std::istream& in, const SearchSpace& ss, std::string name)
    : in_(in), ss_(ss), name_(std::move(name)) {}

bool ArchLineReader::read_line(std::string& line) {
    // getline into a buffer one byte longer than allowed: filling it means the line is too
    // long, found without reading the rest of it (a 10 GB line is refused as fast as a 5 kB one).
    char buf[kMaxArchLineBytes + 2];
    in_.getline(buf, sizeof buf);
    const std::streamsize stored = static_cast<std::streamsize>(std::strlen(buf));
    if (in_.bad()) fail(name_, ": read failed");
    if (in_.fail() && !in_.eof()) {
        fail(name_, ":", line_no_ + 1, ": the line is longer than ", kMaxArchLineBytes,
             " bytes; fix: one architecture per line");
    }
    if (in_.fail() && stored == 0) return false;  // end of input
    in_.clear(in_.rdstate() & std::ios::eofbit);
    line.assign(buf, static_cast<size_t>(stored));
    if (++line_no_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    return true;
}

int ArchLineReader::parse(const std::string& line) {
    const std::string where = name_ + ":" + std::to_string(line_no_);
    if (line_no_ == 1 && (trim(line) == "index,arch,score,latency_ms" ||
                          trim(line) == "index,arch,score,energy_mj")) {
        csv_ = true;
        return -1;
    }
    if (!csv_) return parse_arch_line(line, ss_, where);
    // index,arch,score,latency_ms with the arch quoted when it holds commas (FBNet).
    const size_t comma = line.find(',');
    const int a = parse_arch_line(line.substr(0, comma), ss_, where);
    if (a < 0 || comma == std::string::npos) return a;
    const bool quoted = comma + 1 < line.size() && line[comma + 1] == '"';
    const size_t start = comma + 1 + (quoted ? 1 : 0);
    const size_t end = line.find(quoted ? '"' : ',', start);
    const std::string arch = line.substr(start, end == std::string::npos ? end : end - start);
    if (arch != ss_.arch_string(a)) {
        fail(where, ": index ", a, " is ", ss_.arch_string(a), " but the row's arch column says '",
             printable(arch, 120), "'; fix: keep the index and arch columns of a row together");
    }
    return a;
}

std::vector<int32_t> ArchLineReader::next(size_t max) {
    std::vector<int32_t> out;
    std::string line;
    while (out.size() < max && read_line(line)) {
        const int a = parse(line);
        if (a >= 0) out.push_back(a);
    }
    return out;
}

std::vector<int32_t> load_arch_list_or_all(const std::string& path, const SearchSpace& ss) {
    if (!path.empty()) return load_arch_list(path, ss);
    std::vector<int32_t> all;
    for (int a = 0; a < ss.size(); ++a) all.push_back(a);
    return all;
}

std::vector<int32_t> load_arch_list(const std::string& path, const SearchSpace& ss) {
    const std::string text = read_file_bounded(path, "architecture list");
    size_t first = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    first = text.find_first_not_of(" \t\r\n", first);
    std::vector<int32_t> archs;
    if (first != std::string::npos && text[first] == '{') {
        archs = load_json_list(path, ss);
    } else {
        std::istringstream in(text);
        archs = ArchLineReader(in, ss, path).next(SIZE_MAX);
        std::unordered_set<int32_t> seen;
        for (int32_t a : archs) {
            NASFLAT_CHECK(seen.insert(a).second, path, ": architecture ", a, " (",
                          ss.arch_string(a), ") is listed twice; fix: list each once");
        }
    }
    NASFLAT_CHECK(!archs.empty(), path, ": names no architecture; fix: one architecture per "
                  "line (index, arch string or op list), or a JSON file with \"arch_index\"");
    return archs;
}

void save_arch_list(const std::string& path, const SearchSpace& ss,
                    const std::vector<int32_t>& archs, const std::vector<double>* values,
                    const nlohmann::json& extra, const std::string& metric) {
    NASFLAT_CHECK(values == nullptr || values->size() == archs.size(), "save_arch_list: ",
                  archs.size(), " archs but ", values ? values->size() : 0, " values");
    Json names = Json::array(), lat = Json::array();
    for (int32_t a : archs) names.push_back(ss.arch_string(a));
    std::ostringstream os;
    os << "{\n  \"space\": \"" << space_name(ss.space()) << "\",\n  \"count\": " << archs.size()
       << ",\n  \"arch_index\": " << Json(archs).dump() << ",\n  \"archs\": " << names.dump();
    if (values) {
        os << ",\n  \"metric\": " << Json(metric).dump() << ",\n  \"unit\": "
           << Json(base_unit(metric)).dump() << ",\n  " << Json(metric).dump() << ": "
           << Json(*values).dump();
    }
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        os << ",\n  " << Json(it.key()).dump() << ": " << it.value().dump();
    }
    os << "\n}\n";
    write_text_file(path, os.str());
}

}  // namespace nasflat::nas
