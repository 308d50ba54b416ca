// accuracy.cpp — see accuracy.h.
#include "nas/data/accuracy.h"

#include <cmath>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

const std::vector<double>& AccuracyTable::column(const std::string& name) const {
    for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c] == name) return values[c];
    }
    std::string hint = closest_name(name, columns);
    fail("unknown accuracy column '", name, "' in ", file,
         hint.empty() ? "" : " (did you mean '" + hint + "'?)", "; fix: use one of ",
         join_names(columns));
}

AccuracyTable load_accuracy(const std::string& data_dir) {
    constexpr int kCells = 15625;
    AccuracyTable t;
    t.file = data_dir + "/nb201/accuracy.json";
    const std::string& file = t.file;
    Json root = read_json_file(file);
    if (get_string(root, "space", file) != "nb201") {
        file_error(file, "space", "expected 'nb201'", "");
    }
    if (get_int(root, "count", file) != kCells) file_error(file, "count", "expected 15625", "");
    std::vector<int32_t> index = get_index_array(root, "arch_index", file, kCells, true);
    if (index.size() != static_cast<size_t>(kCells)) {
        file_error(file, "arch_index", "must list all 15625 cells", "");
    }
    const Json& names = as_array(require_key(root, "column_names", file), file, "column_names");
    for (size_t c = 0; c < names.size(); ++c) {
        t.columns.push_back(as_string(names[c], file, entry_at("column_names", c)));
    }
    const Json& values = require_key(root, "values", file);
    for (const std::string& name : t.columns) {
        std::vector<double> v = get_number_array(values, name, file, NullPolicy::AsNaN,
                                                 SignPolicy::NonNegative, "accuracy", "values");
        if (v.size() != static_cast<size_t>(kCells)) {
            file_error(file, entry_key("values", name),
                       "has " + std::to_string(v.size()) + " values, expected 15625", "");
        }
        for (size_t i = 0; i < v.size(); ++i) {
            if (v[i] > 100.0) {
                file_error(file, entry_at(entry_key("values", name), i), "accuracy above 100 %",
                           "accuracies are percentages");
            }
        }
        t.values.push_back(std::move(v));
    }
    t.recommended = get_string(root, "recommended", file);
    bool known = false;
    for (const auto& c : t.columns) known = known || c == t.recommended;
    if (!known) file_error(file, "recommended", "names no column", "");
    return t;
}

}  // namespace nasflat::nas
