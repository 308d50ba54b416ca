// help_runner.cpp — see help_runner.h.
#include "nas/experiment/help_runner.h"

#include <chrono>
#include <iomanip>
#include <sstream>

#include "kernels/base/check.h"
#include "kernels/base/rng.h"
#include "nas/predictor/help_meta.h"
#include "nas/predictor/training_steps.h"

namespace nasflat::nas {

ExperimentResult run_help_experiment(const ExperimentOptions& o, SpaceContext& ctx,
                                     std::ostream& progress, const TrialCallback& on_trial) {
    NASFLAT_CHECK(o.predictor == PredictorKind::Help,
                  "run_help_experiment: options not resolved for HELP");
    const Task task = get_task(o.space, o.task);
    ExperimentResult result = empty_result(o, task);
    const auto t_start = Clock::now();
    check_samples_fit_targets(o, ctx, task);
    HelpOptions h = o.help;
    const Protocol protocol = o.protocol;
    h.eval_archs = [protocol](const DeviceData& target, const std::vector<int32_t>& measured) {
        return eval_archs(protocol, target, measured);
    };

    for (int trial = o.first_trial; trial < o.first_trial + o.trials; ++trial) {
        const uint64_t trial_seed = derive_seed(o.seed, static_cast<uint64_t>(trial));
        for (size_t ti = 0; ti < o.samples.size(); ++ti) {
            const int T = o.samples[ti];
            const HelpResult r = run_help_task(h, ctx, task, derive_seed(trial_seed, 7), T,
                                               progress);
            result.pretrain_seconds += r.train_seconds;
            std::ostringstream line;
            line << "[help] " << task.name << " trial " << trial + 1 << " T=" << T << " (10 "
                 << "reference + " << T - 10 << " support): meta-training " << r.episodes
                 << " episodes " << std::fixed << std::setprecision(1) << r.train_seconds
                 << " s, testing " << r.test_seconds << " s\n";
            for (size_t di = 0; di < r.per_target.size(); ++di) {
                const HelpTargetScore& s = r.per_target[di];
                NASFLAT_CHECK(s.device == task.targets[di], "help: targets out of order");
                DeviceScores& ds = result.per_samples[ti].per_device[di];
                ds.spearman.push_back(s.spearman);
                ds.kendall.push_back(s.kendall);
                line << "[transfer] " << task.name << " trial " << trial + 1 << " " << s.device
                     << " T=" << T << " (help): spearman " << std::setprecision(3) << s.spearman
                     << " kendall " << s.kendall << " on " << s.evaluated << " archs\n";
            }
            progress << line.str() << std::flush;
        }
        result.completed_trials = trial + 1 - o.first_trial;
        result.seconds = seconds_since(t_start);
        if (on_trial) on_trial(result);
    }
    result.seconds = seconds_since(t_start);
    return result;
}

}  // namespace nasflat::nas
