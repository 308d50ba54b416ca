// verbs.h — the registry of `nasflat` verbs, in the order `nasflat --help` lists them.
// To add a verb <name>:
//   1. write nas/cli/verb_<name>.cpp defining `void register_<name>(CLI::App& app)` that adds
//      a subcommand with its options (use common.h's add_data_option / add_seed_option) and a
//      callback; errors are nasflat::Error (exit 2) or ExitStatus{code};
//   2. declare it below and add it to kVerbs (the table is the only list of verbs).
// nas/cli/CMakeLists.txt picks up verb_*.cpp by itself.
#pragma once

#include <CLI/CLI.hpp>

namespace nasflat::cli {

using RegisterVerb = void (*)(CLI::App& app);

void register_data(CLI::App& app);        // verb_data.cpp
void register_tasks(CLI::App& app);       // verb_tasks.cpp
void register_experiment(CLI::App& app);  // verb_experiment.cpp
void register_pretrain(CLI::App& app);    // verb_pretrain.cpp
void register_sample(CLI::App& app);      // verb_sample.cpp
void register_transfer(CLI::App& app);    // verb_transfer.cpp
void register_predict(CLI::App& app);     // verb_predict.cpp
void register_search(CLI::App& app);      // verb_search.cpp
void register_lodo(CLI::App& app);        // verb_lodo.cpp
void register_encode(CLI::App& app);      // verb_encode.cpp

inline const RegisterVerb kVerbs[] = {
    register_data,        // nasflat data   — list and validate the data folder
    register_tasks,       // nasflat tasks  — the 12 tasks with every device resolved
    register_experiment,  // nasflat experiment — pre-train, transfer, score a task
    register_pretrain,    // nasflat pretrain — train on source devices, save a checkpoint
    register_sample,      // nasflat sample   — which architectures to measure on a new device
    register_transfer,    // nasflat transfer — fit a checkpoint to a device's measurements
    register_predict,     // nasflat predict  — latency of architectures (files or stdin)
    register_search,      // nasflat search   — latency-constrained NAS
    register_lodo,        // nasflat lodo     — every device as a new one, beside baselines
    register_encode,      // nasflat encode   — train a learned encoding (arch2vec), cache it
};

}  // namespace nasflat::cli
