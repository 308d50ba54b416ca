// experiment_report.h — what an experiment prints and writes: the per-device / per-task table
// beside the authors' number for the task, and the JSON result file.
// Aggregation (the authors' convention): per device, mean and population
// std over trials; per task, the mean over devices of those means and of those stds.
#pragma once

#include <ostream>
#include <string>

#include "nas/base/plot.h"
#include "nas/experiment/experiment.h"

namespace nasflat::nas {

struct Summary {
    double spearman_mean = 0, spearman_std = 0, kendall_mean = 0, kendall_std = 0;
};
Summary summarise(const DeviceScores& d);
Summary summarise(const SampleResult& r);

void print_experiment(const ExperimentResult& result, std::ostream& out);
// One JSON object per T (an array when several T): the run's options, per-device and task-mean
// Spearman and Kendall (mean, std, every trial), wall time.
void write_experiment_json(const ExperimentResult& result, const std::string& path);
std::string experiment_json(const ExperimentResult& result);
// Two panels: Spearman vs T (per target and the task mean), and predicted (calibrated) vs
// measured latency of the last trial at the last T (needs options.keep_predictions).
std::vector<Panel> experiment_plot(const ExperimentResult& result);

}  // namespace nasflat::nas
