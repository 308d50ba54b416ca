// json_io.cpp — see json_io.h. All messages are one line: nlohmann's own texts are rephrased
// and any newline is replaced, so a CLI can print them after "nasflat: error: ".
#include "nas/base/json_io.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"

namespace nasflat::nas {

namespace {

// A short rendering of a JSON value for messages: `"abc"`, `3.5`, `[...]`, `{...}`.
std::string show(const Json& j) {
    if (j.is_array()) return "an array";
    if (j.is_object()) return "an object";
    return j.type_name() + std::string(" ") + printable(j.dump(), 40);
}

std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}

}  // namespace

void file_error(const std::string& file, const std::string& entry, const std::string& problem,
                const std::string& fix) {
    std::string msg = file;
    if (!entry.empty()) msg += ": " + entry;
    msg += ": " + problem;
    if (!fix.empty()) msg += "; fix: " + fix;
    fail(one_line(msg));
}

Json read_json_file(const std::string& path) {
    const std::string text = read_file_bounded(path, "JSON file");
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        file_error(path, "", "the file is empty", "write the JSON document into it");
    }
    // Objects with the same key twice are legal for nlohmann (last one wins) but are almost
    // always a copy-paste error in a hand-written file, so the callback records the first one.
    std::vector<std::unordered_set<std::string>> open_objects;
    std::string duplicate;
    auto on_event = [&](int, Json::parse_event_t event, Json& parsed) {
        if (event == Json::parse_event_t::object_start) {
            open_objects.emplace_back();
        } else if (event == Json::parse_event_t::object_end) {
            open_objects.pop_back();
        } else if (event == Json::parse_event_t::key && !open_objects.empty()) {
            const std::string& key = parsed.get_ref<const std::string&>();
            if (!open_objects.back().insert(key).second && duplicate.empty()) duplicate = key;
        }
        return true;
    };
    Json j;
    try {
        j = Json::parse(text, on_event);
    } catch (const Json::parse_error& e) {
        // e.what(): "[json.exception.parse_error.101] parse error at line 1, column 11: ..."
        std::string what = e.what();
        size_t at = what.find("parse error at ");
        std::string detail = at == std::string::npos ? what : what.substr(at + 15);
        file_error(path, "", "not valid JSON (truncated or malformed): " + printable(detail),
                   "repair the file; NaN and Infinity are not JSON, write finite numbers");
    } catch (const Json::exception& e) {
        std::string what = e.what();
        size_t at = what.find("] ");
        file_error(path, "", at == std::string::npos ? what : what.substr(at + 2),
                   "numbers must fit a double (|x| < 1.8e308) and be finite");
    }
    if (!duplicate.empty()) {
        file_error(path, "key \"" + printable(duplicate, 60) + "\"", "appears twice in one object",
                   "keep one of them");
    }
    return j;
}

void write_text_file(const std::string& path, const std::string& text) {
    write_file_atomically(path, text);
}

std::string entry_key(const std::string& entry, const std::string& key) {
    return entry.empty() ? key : entry + "." + key;
}

std::string entry_at(const std::string& entry, size_t index) {
    return entry + "[" + std::to_string(index) + "]";
}

const Json& require_key(const Json& obj, const std::string& key, const std::string& file,
                        const std::string& entry) {
    const Json& o = as_object(obj, file, entry.empty() ? "top level" : entry);
    auto it = o.find(key);
    if (it == o.end()) {
        file_error(file, entry.empty() ? "top level" : entry, "missing key \"" + key + "\"",
                   "add it (see the format in docs/data.md)");
    }
    return *it;
}

const Json& as_object(const Json& j, const std::string& file, const std::string& entry) {
    if (!j.is_object()) file_error(file, entry, "expected an object, got " + show(j), "");
    return j;
}

std::string as_string(const Json& j, const std::string& file, const std::string& entry) {
    if (!j.is_string()) file_error(file, entry, "expected a string, got " + show(j), "");
    return j.get<std::string>();
}

int64_t as_int(const Json& j, const std::string& file, const std::string& entry) {
    if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
        file_error(file, entry, "integer " + j.dump() + " is too large", "");
    }
    if (!j.is_number_integer()) {
        file_error(file, entry, "expected an integer, got " + show(j), "write a whole number");
    }
    return j.get<int64_t>();
}

double as_number(const Json& j, const std::string& file, const std::string& entry) {
    if (!j.is_number()) file_error(file, entry, "expected a number, got " + show(j), "");
    double v = j.get<double>();
    if (!std::isfinite(v)) file_error(file, entry, "value is not finite", "");
    return v;
}

const Json& as_array(const Json& j, const std::string& file, const std::string& entry,
                     bool allow_empty) {
    if (!j.is_array()) file_error(file, entry, "expected an array, got " + show(j), "");
    if (!allow_empty && j.empty()) {
        file_error(file, entry, "the array is empty", "list at least one entry");
    }
    return j;
}

std::string get_string(const Json& obj, const std::string& key, const std::string& file,
                       const std::string& entry) {
    return as_string(require_key(obj, key, file, entry), file, entry_key(entry, key));
}

int64_t get_int(const Json& obj, const std::string& key, const std::string& file,
                const std::string& entry) {
    return as_int(require_key(obj, key, file, entry), file, entry_key(entry, key));
}

std::vector<int32_t> get_index_array(const Json& obj, const std::string& key,
                                     const std::string& file, int space_size,
                                     bool strictly_increasing, const std::string& entry) {
    const std::string where = entry_key(entry, key);
    const Json& arr = as_array(require_key(obj, key, file, entry), file, where);
    std::vector<int32_t> out;
    out.reserve(arr.size());
    std::unordered_map<int32_t, size_t> first_seen;
    for (size_t k = 0; k < arr.size(); ++k) {
        const std::string at = entry_at(where, k);
        if (!arr[k].is_number_integer()) {
            file_error(file, at, "expected an integer architecture index, got " + show(arr[k]),
                       "write whole numbers");
        }
        int64_t v = arr[k].is_number_unsigned() && arr[k].get<uint64_t>() > INT32_MAX
                        ? INT64_MAX
                        : arr[k].get<int64_t>();
        if (v < 0 || v >= space_size) {
            file_error(file, at, "index " + arr[k].dump() + " is out of range",
                       "indices run from 0 to " + std::to_string(space_size - 1));
        }
        int32_t idx = static_cast<int32_t>(v);
        if (strictly_increasing && !out.empty() && idx <= out.back()) {
            file_error(file, at,
                       idx == out.back() ? "index " + std::to_string(idx) + " appears twice"
                                         : "index " + std::to_string(idx) + " comes after " +
                                               std::to_string(out.back()),
                       "list each architecture once, in strictly increasing order");
        }
        if (!strictly_increasing) {
            auto [it, fresh] = first_seen.emplace(idx, k);
            if (!fresh) {
                file_error(file, at,
                           "architecture " + std::to_string(idx) + " appears twice (also at " +
                               entry_at(where, it->second) + ")",
                           "list each architecture once");
            }
        }
        out.push_back(idx);
    }
    return out;
}

std::vector<double> get_number_array(const Json& obj, const std::string& key,
                                     const std::string& file, NullPolicy nulls, SignPolicy sign,
                                     const std::string& what, const std::string& entry) {
    const std::string where = entry_key(entry, key);
    const Json& arr = as_array(require_key(obj, key, file, entry), file, where);
    std::vector<double> out;
    out.reserve(arr.size());
    for (size_t k = 0; k < arr.size(); ++k) {
        const Json& x = arr[k];
        if (x.is_null() && nulls == NullPolicy::AsNaN) {
            out.push_back(std::nan(""));
            continue;
        }
        if (!x.is_number()) {
            file_error(file, entry_at(where, k), "expected a " + what + " (number), got " + show(x),
                       x.is_null() ? "a missing " + what + " is not allowed here; drop the entry"
                                   : "write a finite number");
        }
        double v = x.get<double>();
        if (sign == SignPolicy::NonNegative && v < 0) {
            std::ostringstream os;
            os << what << " " << v << " is negative";
            file_error(file, entry_at(where, k), os.str(),
                       "values must be >= 0; remove or re-measure that architecture");
        }
        out.push_back(v);
    }
    return out;
}

std::string closest_name(const std::string& name, const std::vector<std::string>& names) {
    // Compare without case, '_' and '-', so "conv1x1" finds "nor_conv_1x1". First choice: a name
    // containing the query (or contained in it), the shortest; else the smallest Levenshtein
    // distance, suggested only within a third of the query's length (at least 2).
    auto squash = [](const std::string& s) {
        std::string out;
        for (char c : s) {
            if (c != '_' && c != '-')
                out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return out;
    };
    auto distance = [](const std::string& a, const std::string& b) {
        std::vector<size_t> row(b.size() + 1);
        for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
        for (size_t i = 1; i <= a.size(); ++i) {
            size_t diag = row[0];
            row[0] = i;
            for (size_t j = 1; j <= b.size(); ++j) {
                size_t up = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
                diag = up;
            }
        }
        return row[b.size()];
    };
    const std::string query = squash(name);
    if (query.empty()) return "";
    std::string best;
    for (const auto& n : names) {
        const std::string candidate = squash(n);
        bool contains = candidate.find(query) != std::string::npos ||
                        (candidate.size() >= 3 && query.find(candidate) != std::string::npos);
        if (contains && (best.empty() || n.size() < best.size())) best = n;
    }
    if (!best.empty()) return best;
    size_t best_d = SIZE_MAX;
    for (const auto& n : names) {
        size_t d = distance(query, squash(n));
        if (d < best_d) {
            best_d = d;
            best = n;
        }
    }
    return best_d <= std::max<size_t>(2, query.size() / 3) ? best : "";
}

std::string join_names(const std::vector<std::string>& names, size_t max_items) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < max_items; ++i) {
        if (i) out += ", ";
        out += names[i];
    }
    if (names.size() > max_items) out += ", ... (" + std::to_string(names.size()) + " in all)";
    return out;
}

std::vector<std::string> split_names(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text + ",") {
        if (c == ',') {
            if (!item.empty()) out.push_back(item);
            item.clear();
        } else if (c != ' ') {
            item += c;
        }
    }
    return out;
}

}  // namespace nasflat::nas
