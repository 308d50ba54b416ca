// lodo.h — the leave-one-device-out benchmark (protocol `lodo`): the practitioner's question
// for every device of a space. For each device D:
//   1. pre-train on every latency device outside D's hardware family (data/families.h), once per
//      family;
//   2. per draw: T random architectures that D measured, `transfer` exactly as the CLI does (the
//      self-check and its choice included), then score every other architecture D measured;
//   3. on the same architectures, the simple baselines a user has without us: FLOPs, params, the
//      public device best correlated on the T samples, a ridge over the public devices fitted on
//      them, and (labelled oracle) the public device best correlated on the scored set;
//   4. optionally (`baselines`) the HELP and MultiPredict predictors on the same sources: each
//      trained once per family with its own settings, then per draw MultiPredict fine-tuned on
//      the draw's T samples, HELP adapted on its 10 reference archs + the draw's first T - 10
//      (the same number of target measurements), both scored on the draw's scored archs (HELP
//      without its reference archs; sources that lack one of them are left out of its
//      meta-training).
// Reports per device and draw the answer's Spearman (and Kendall), the model alone, every
// baseline, and the answer under other blend rules (how the default rule was chosen).
// Dims: T samples per draw, R draws, N scored architectures of D.
#pragma once

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "nas/experiment/experiment.h"
#include "nas/predictor/help_meta.h"
#include "nas/predictor/recipe.h"
#include "nas/predictor/transfer.h"

namespace nasflat::nas {

struct LodoOptions {
    PretrainRecipe model;      // space, config, S, epochs, lr, supp, scoring, seed, device
    TransferOptions transfer;  // epochs/lr (-1: the space's defaults), folds, priors, blend rule
    std::string metric = "latency";  // targets: latency devices, or "energy" devices
    int samples = 20;                // T
    int draws = 3;                   // R
    // How a draw chooses its T samples among the device's measured archs: "random" (uniform),
    // or a sampler spec of predictor/sampling.h (e.g. kmeancosine:caz, params); a feature
    // sampler's default encoding is model.sampler_encoding.
    std::string sampler = "random";
    std::vector<std::string> targets;  // only these devices (empty: every device of the metric)
    std::vector<std::string> rules = {"best", "stack", "0", "1",
                                      "2",    "4",     "8", "16"};  // also evaluated
    // CPU threads running device families side by side (0: every core), the cores left over
    // training each family's batch shards side by side; the same results for any count. A GPU
    // run takes one family at a time.
    int threads = 1;
    // Predictors run beside ours as rows of their own: "help", "multipredict" (their settings
    // below, the defaults the authors' as in `nasflat experiment`).
    std::vector<std::string> baselines;
    HelpOptions help;
    MultiPredictOptions multipredict;
};

// One draw of one device: Spearman on the scored architectures of each way of ranking them.
struct LodoDraw {
    std::vector<int32_t> archs;             // the T samples
    std::string choice;                     // what the answer was (Blend::describe)
    double answer = 0, answer_kendall = 0;  // the checkpoint `transfer` wrote
    double model = 0;                       // the fine-tuned model alone
    double flops = 0, params = 0, device = 0, ridge = 0, oracle = 0;
    std::string device_name, oracle_name;  // the 20-sample and the oracle choice
    std::vector<double> oof;               // out-of-fold Spearman per candidate
    std::vector<std::string> oof_names;
    std::vector<double> by_rule;  // the answer under each LodoOptions::rules
    double help = std::nan(""), multipredict = std::nan("");  // NaN: not run
};

struct LodoDevice {
    std::string device, family;
    int sources = 0, scored = 0;  // devices pre-trained on; architectures scored per draw
    std::vector<LodoDraw> draws;
};

struct LodoResult {
    LodoOptions options;
    nlohmann::json settings;  // the options as read back from JSON (what merge_lodo compares)
    std::vector<LodoDevice> devices;
    double seconds = 0;
};

// Runs the benchmark; one progress line per pre-training and per draw.
LodoResult run_lodo(const LodoOptions& options, const std::string& data_dir,
                    std::ostream& progress);

nlohmann::json lodo_json(const LodoResult& r);
LodoResult lodo_from_json(const nlohmann::json& j, const std::string& file);
// Results of several runs (e.g. families split over processes) as one; the options must agree.
LodoResult merge_lodo(const std::vector<LodoResult>& parts);
// Makes the answer of every draw the one under `rule`, one of the rules the runs evaluated beside
// their blend (LodoDraw::by_rule): e.g. to read a run made before a default changed. Its Kendall
// and the per-draw choice were not recorded for the rule and become NaN / "not recorded".
void reanswer_lodo(LodoResult& r, const std::string& rule);
// The per-device table (means over draws) with the median and worst Spearman and the count of
// devices on which the answer beats each baseline, as Markdown.
std::string lodo_markdown(const LodoResult& r);

}  // namespace nasflat::nas
