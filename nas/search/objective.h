// objective.h — what a latency-constrained search maximises (higher is better), by architecture:
//   accuracy[:COLUMN]  NB201 accuracies of the data folder (<data>/nb201/accuracy.json; default
//                      column: the file's recommended one, cifar10_valid_200ep)
//   params, flops      the analytic counts of the architecture (space/cost_model.h), for any
//                      op list
//   a JSON file        {"space", "arch_index" | "archs", "values"}: a user's own values (null =
//                      unknown)
#pragma once

#include <string>
#include <vector>

#include "nas/space/search_space.h"

namespace nasflat::nas {

// Objective by arch index (NaN = unknown), or computed from the ops (params / flops).
struct ObjectiveTable {
    std::string name;              // "accuracy:COLUMN", "params", "flops" or the file
    std::vector<double> by_index;  // empty: params / flops from the ops
    bool params = false;
};

// Reads the objective `spec` (see above) of space `ss`; a bad spec or file -> one-line error.
ObjectiveTable load_objective(const std::string& spec, const std::string& data_dir,
                              const SearchSpace& ss);

// The objective of an op list: NaN when it is not an indexed architecture and the objective is
// known by index only.
double objective_of(const ObjectiveTable& t, const SearchSpace& ss, const std::vector<int>& ops);

}  // namespace nasflat::nas
