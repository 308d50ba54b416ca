// baseline_options.h — the HELP and MultiPredict baselines' own settings (--mp-*, --help-*),
// shared by `nasflat experiment --predictor help|multipredict` and `nasflat lodo --baselines`.
#pragma once

#include <CLI/CLI.hpp>

#include "nas/experiment/experiment.h"
#include "nas/predictor/help_meta.h"

namespace nasflat::cli {

void add_baseline_options(CLI::App& verb, nas::MultiPredictOptions& mp, nas::HelpOptions& help);

}  // namespace nasflat::cli
