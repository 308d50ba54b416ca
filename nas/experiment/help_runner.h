// help_runner.h — the HELP baseline (Lee et al., NeurIPS 2021) on the task suite:
// `nasflat experiment --predictor help`. The meta-learner itself is nas/predictor/help_meta.h;
// this runs it per trial and T and reports it as the experiment runner reports NASFLAT.
// Per trial (seed from (seed, trial) as for NASFLAT) and T: Meta-SGD on the task's sources
// (HelpOptions, the authors' settings: 2000 episodes, 2 inner steps, second order), then each
// target from T measurements = HELP's 10 reference architectures (its hardware embedding) +
// T - 10 support architectures (T = 20: 10 + 10, as the authors ran it); scored on the
// protocol's archs (eval_archs: full = every measured arch but the T measured ones) with
// score_predictions. The meta-training depends on the trial's seed only, so several T values
// repeat the same meta-training (deterministically).
#pragma once

#include <ostream>

#include "nas/experiment/experiment.h"

namespace nasflat::nas {

// Runs HELP with `o` (resolved, predictor Help).
ExperimentResult run_help_experiment(const ExperimentOptions& o, SpaceContext& ctx,
                                     std::ostream& progress, const TrialCallback& on_trial);

}  // namespace nasflat::nas
