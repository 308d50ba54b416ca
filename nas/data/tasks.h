// tasks.h — the NASFLAT task suite (the authors' device_task_list.py at HEAD):
// N0..N5 on NB201 and F0..F5 on FBNet, each a list of source (pre-training) devices and target
// (few-shot transfer) devices. Paper labels: ND = N0, NA = N5, N1..N4; FD = F0, FA = F5, F1..F4.
// FBNet task 0 uses the targets of 2023-10-23 onwards (fpga, raspi4, eyeriss).
#pragma once

#include <string>
#include <vector>

#include "nas/data/manifest.h"
#include "nas/space/space.h"

namespace nasflat::nas {

struct Task {
    Space space = Space::NB201;
    int index = 0;
    std::string name;         // N0..N5, F0..F5
    std::string paper_label;  // ND, NA, N1..N4, FD, FA, F1..F4
    std::vector<std::string> sources, targets;
    // The authors' NASFLAT Spearman at T = 20 on their protocol (the paper's results table,
    // NASFLAT column): the one place these numbers live (`nasflat tasks --json` prints them).
    double authors_spearman = 0.0;
    // The authors' re-runs of the baselines, same table (PAPER_RESULTS.md section 1; HELP with
    // 10 reference + 10 sampled target measurements; MultiPredict N1 from its source CSV, 0.970).
    double authors_help_spearman = 0.0, authors_multipredict_spearman = 0.0;
};

constexpr int kNumTasksPerSpace = 6;

// Task `index` (0..5) of `space`; anything else -> one-line error.
Task get_task(Space space, int index);
// The 12 tasks: N0..N5 then F0..F5.
std::vector<Task> all_tasks();
// By name or paper label, case-insensitive: "N0", "ND", "F5", "FA", ... -> error listing them.
Task parse_task(const std::string& text);

// Where each device of a task lives: the manifest entry of every source, then every target.
// A device with no manifest entry or no file -> one-line error naming it and the file.
std::vector<ManifestDevice> resolve_task_devices(const Manifest& manifest, const Task& task);

}  // namespace nasflat::nas
