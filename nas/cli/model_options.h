// model_options.h — the options `experiment` and `pretrain` share: which model (config, layer
// type, fuse, supplementary encoding), how it is pre-trained (S, epochs, lr, batch, sampler of
// the source archs, scoring), the seed and the device.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "nas/cli/device_option.h"
#include "nas/experiment.h"

namespace nasflat::cli {

struct ModelFlags {
    std::string space = "nb201", config = "reference", gnn_type = "ensemble", fuse = "add";
    DeviceFlag device;
    bool score_once = false;
    nas::ExperimentOptions o;
};

// Adds --space, --source-samples, --epochs, --lr, --batch-size, --config, --gnn-type, --fuse,
// --weight-decay, --eta-min, --source-sampler, --hwemb-to-mlp, --supp, --encoding,
// --score-once, --seed (default 42), --device.
void add_model_options(CLI::App& verb, ModelFlags& f);
// The options with the parsed enums filled in (space, flavor, layer type, fuse, scoring,
// device); not yet resolve()d.
nas::ExperimentOptions model_options(const ModelFlags& f);

}  // namespace nasflat::cli
