// model_options.h — the options `experiment` and `pretrain` share: which model (config, layer
// type, fuse, supplementary encoding), how it is pre-trained (S, epochs, lr, batch, sampler of
// the source archs, scoring), the seed and the device.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "nas/cli/device_option.h"
#include "nas/experiment/experiment.h"

namespace nasflat::cli {

// A recipe is a set of defaults for the model and its pre-training; a flag given on the command
// line always wins over it.
//   paper         the authors' settings, for the task suite: config reference, two forwards
//                 per pair, no supplementary encoding, S = 900 (NB201) / 800 (FBNet), 150 epochs
//   practitioner  chosen by the leave-one-device-out benchmark (docs/results.md): S = 100,
//                 30 epochs; on NB201 config reference, two forwards, no supplementary encoding;
//                 on FBNet config fixed, scores once per batch, FLOPs as supplementary encoding
// `pretrain` and `lodo` default to practitioner, `experiment` to paper.
struct ModelFlags {
    std::string recipe;
    std::string space = "nb201", config, gnn_type = "ensemble", fuse = "add", scoring;
    DeviceFlag device;
    bool score_once = false;
    nas::ExperimentOptions o;
    const CLI::App* verb = nullptr;  // to tell given flags from defaults
};

// Adds --recipe (default `recipe`), --space, --source-samples, --epochs, --lr, --batch-size,
// --config, --gnn-type, --fuse, --weight-decay, --eta-min, --source-sampler, --hwemb-to-mlp,
// --supp, --encoding, --scoring, --score-once, --seed (default 42), --device.
void add_model_options(CLI::App& verb, ModelFlags& f, const std::string& recipe);
// The options after the command line: the recipe's defaults where no flag was given, the parsed
// enums filled in (space, flavor, layer type, fuse, scoring, device); not yet resolve()d.
nas::ExperimentOptions model_options(const ModelFlags& f);
// Without --space, a task named by its label (F0, FD, ...) says which space: --task F2 alone
// is an FBNet run. A digit (0..5) or an explicit --space leave f.space as it is.
void space_from_task(ModelFlags& f, const std::string& task);

}  // namespace nasflat::cli
