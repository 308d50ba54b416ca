// arch_list.cpp — see arch_list.h.
#include "nas/arch_list.h"

#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "kernels/base/check.h"
#include "nas/json_io.h"
#include "nas/measurements.h"

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

std::vector<int32_t> read_arch_lines(std::istream& in, const SearchSpace& ss, size_t max,
                                     const std::string& name, int64_t& line_no) {
    std::vector<int32_t> out;
    std::string line;
    while (out.size() < max && std::getline(in, line)) {
        ++line_no;
        const int a = parse_arch_line(line, ss, name + ":" + std::to_string(line_no));
        if (a >= 0) out.push_back(a);
    }
    return out;
}

std::vector<int32_t> load_arch_list(const std::string& path, const SearchSpace& ss) {
    std::ifstream f(path);
    NASFLAT_CHECK(f.good(), "cannot open '", path, "'; fix: check the path");
    char first = 0;
    while (f.get(first) && std::isspace(static_cast<unsigned char>(first))) {
    }
    std::vector<int32_t> archs;
    if (first == '{') {
        archs = load_json_list(path, ss);
    } else {
        f.clear();
        f.seekg(0);
        int64_t line_no = 0;
        archs = read_arch_lines(f, ss, SIZE_MAX, path, line_no);
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
                    const std::vector<int32_t>& archs, const std::vector<double>* latency_ms,
                    const nlohmann::json& extra) {
    NASFLAT_CHECK(latency_ms == nullptr || latency_ms->size() == archs.size(), "save_arch_list: ",
                  archs.size(), " archs but ", latency_ms ? latency_ms->size() : 0, " latencies");
    Json names = Json::array(), lat = Json::array();
    for (int32_t a : archs) names.push_back(ss.arch_string(a));
    std::ostringstream os;
    os << "{\n  \"space\": \"" << space_name(ss.space()) << "\",\n  \"count\": " << archs.size()
       << ",\n  \"arch_index\": " << Json(archs).dump() << ",\n  \"archs\": " << names.dump();
    if (latency_ms) {
        os << ",\n  \"unit\": \"ms\",\n  \"latency\": " << Json(*latency_ms).dump();
    }
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        os << ",\n  " << Json(it.key()).dump() << ": " << it.value().dump();
    }
    os << "\n}\n";
    write_text_file(path, os.str());
}

}  // namespace nasflat::nas
