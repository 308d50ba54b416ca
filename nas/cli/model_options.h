// model_options.h — the options `experiment`, `pretrain` and `lodo` share: the flags of a
// pre-training recipe (nas/predictor/recipe.h): which model (config, layer type, fuse,
// supplementary encoding), how it is pre-trained (S, epochs, lr, batch, sampler of the source
// archs, scoring), the seed and the device.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "nas/cli/device_option.h"
#include "nas/predictor/recipe.h"

namespace nasflat::cli {

// --recipe names a set of defaults (nas/predictor/recipe.h: practitioner or paper); a flag given
// on the command line always wins over it. `pretrain` and `lodo` default to practitioner,
// `experiment` to paper.
struct ModelFlags {
    std::string recipe;
    std::string space = "nb201", config, gnn_type = "ensemble", fuse = "add", scoring;
    DeviceFlag device;
    bool score_once = false;
    nas::PretrainRecipe o;  // what the flags give
    const CLI::App* verb = nullptr;  // to tell given flags from defaults
};

// Adds --recipe (default `recipe`), --space, --source-samples, --epochs, --lr, --batch-size,
// --config, --gnn-type, --fuse, --weight-decay, --eta-min, --source-sampler, --hwemb-to-mlp,
// --supp, --encoding, --scoring, --score-once, --seed (default 42), --device.
void add_model_options(CLI::App& verb, ModelFlags& f, const std::string& recipe);
// The recipe after the command line: the named recipe's defaults where no flag was given, the
// parsed enums filled in (space, flavor, layer type, fuse, scoring, device); not yet resolve()d.
nas::PretrainRecipe model_options(const ModelFlags& f);
// Without --space, a task named by its label (F0, FD, ...) says which space: --task F2 alone
// is an FBNet run. A digit (0..5) or an explicit --space leave f.space as it is.
void space_from_task(ModelFlags& f, const std::string& task);

}  // namespace nasflat::cli
