// objective.cpp — see objective.h.
#include "nas/search/objective.h"

#include <cmath>
#include <filesystem>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/data/accuracy.h"
#include "nas/data/measurements.h"

namespace nasflat::nas {

ObjectiveTable load_objective(const std::string& spec, const std::string& data_dir,
                              const SearchSpace& ss) {
    ObjectiveTable t;
    t.name = spec;
    if (spec == "params" || spec == "flops") {
        t.params = spec == "params";
        return t;
    }
    if (spec.rfind("accuracy", 0) == 0 && !std::filesystem::exists(spec)) {
        NASFLAT_CHECK(ss.space() == Space::NB201,
                      "--objective accuracy: the data folder "
                      "has accuracies for NB201 only; fix: use params, flops or a JSON file");
        const AccuracyTable acc = load_accuracy(data_dir);
        const std::string column =
            spec.size() > 9 && spec[8] == ':' ? spec.substr(9) : acc.recommended;
        NASFLAT_CHECK(spec == "accuracy" || spec.size() > 9, "--objective ", spec,
                      ": write accuracy or accuracy:COLUMN");
        t.name = "accuracy:" + column;
        t.by_index = acc.column(column);
        return t;
    }
    // A user's file: {"space", "arch_index" | "archs", "values"}.
    const Json root = read_json_file(spec);
    as_object(root, spec, "top level");
    const std::vector<int32_t> archs = read_arch_indices(root, ss, spec);
    const std::vector<double> values = get_number_array(
        root, "values", spec, NullPolicy::AsNaN, SignPolicy::AnySign, "objective value");
    if (values.size() != archs.size()) {
        file_error(spec, "values",
                   std::to_string(values.size()) + " values for " +
                       std::to_string(archs.size()) + " architectures",
                   "give one value per architecture");
    }
    t.by_index.assign(ss.size(), std::nan(""));
    for (size_t k = 0; k < archs.size(); ++k) t.by_index[archs[k]] = values[k];
    return t;
}

double objective_of(const ObjectiveTable& t, const SearchSpace& ss, const std::vector<int>& ops) {
    if (t.by_index.empty()) {
        const Cost c = ss.cost_of_ops(ops);
        return t.params ? c.params : c.flops;
    }
    const int index = ss.find(ops);
    return index < 0 ? std::nan("") : t.by_index[index];
}

}  // namespace nasflat::nas
