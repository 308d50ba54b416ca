// experiment.h — the NASFLAT task-suite experiment: pre-train on a task's source devices,
// transfer to each target device from T samples, score on the target.
// Protocols (README "Protocols and configurations"):
//   full      fresh copy of the pre-trained weights for every (trial, target, T); Spearman and
//             Kendall over every measured arch of the target except the T transfer samples.
//   first128  reference-compatible: fresh copies, but scored on archs 0..127 only, transfer
//             samples included (the authors' evaluation set).
//   aliasing  reference-compatible: first128 scoring AND fine-tuning that carries over from one
//             (target, T) to the next within a trial (the authors' state-dict aliasing).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "nas/data/tasks.h"
#include "nas/predictor/recipe.h"
#include "nas/predictor/space_context.h"

namespace nasflat::nas {

enum class Protocol { Full, First128, Aliasing };
Protocol parse_protocol(const std::string& s);
const char* protocol_name(Protocol p);

// last4: mean of the scores after each of the last 4 transfer epochs (the authors');
// final: the score after the last epoch.
enum class ScoreMode { LastFour, Final };
ScoreMode parse_score_mode(const std::string& s);

// An experiment pre-trains every trial from a recipe (the model and its pre-training:
// predictor/recipe.h), then transfers and scores by the fields below.
struct ExperimentOptions : PretrainRecipe {
    int task = 0;
    std::vector<int> samples = {20};  // T values, in order
    int trials = 3;
    // Index of the first trial run: trials first_trial .. first_trial + trials - 1, each seeded
    // from (seed, index) exactly as in one long run, so trials split over several processes
    // (e.g. on a shared GPU) merge into the same result (scripts/paper/merge_trials.py).
    int first_trial = 0;
    int transfer_epochs = -1;  // -1: NB201 40, FBNet 30
    float transfer_lr = -1.0f;  // -1: NB201 3e-3, FBNet 1e-3
    int transfer_batch_size = 16;
    bool transfer_hwemb = true;  // initialise the target row from the best source
    Protocol protocol = Protocol::Full;
    // With protocol full: also score every fine-tuned model on archs 0..127 (first128). Both
    // protocols fine-tune from the same pre-trained weights on the same samples, so one run
    // yields both at the cost of scoring 128 more archs (no extra training).
    bool also_first128 = false;
    ScoreMode score = ScoreMode::LastFour;
    std::string sampler = "random";  // how the T transfer samples are chosen
    // Transfer as `nasflat transfer` does (predictor/transfer.h): the cross-validated self-check
    // and the blend of the model with the simple priors (FLOPs, params, best device, ridge over
    // the task's sources), weighted by blend_rule; scored once, after the fine-tuning.
    bool self_check = false;
    std::string blend_rule = "stack";
    int eval_batch = 0;  // 0: default_score_batch(device) (CPU 256, CUDA 32768)
    // CPU threads fine-tuning a trial's (target, T) pairs side by side, each with its own copy
    // of the pre-trained model (0: every core). The results are the same bits for any count;
    // the aliasing protocol and a GPU run one at a time.
    int threads = 1;
    // Keep the last trial's predictions at the last T (for plots; see ExperimentResult).
    bool keep_predictions = false;

    PretrainRecipe& recipe() { return *this; }
    const PretrainRecipe& recipe() const { return *this; }
    // Fills the -1 defaults of the space (the recipe's too) and checks every value; bad values
    // -> one-line error.
    void resolve();
};

struct DeviceScores {
    std::string device;
    std::vector<double> spearman, kendall;  // one per trial
};

struct SampleResult {
    Protocol protocol = Protocol::Full;
    int samples = 0;
    std::vector<DeviceScores> per_device;
};

// Predicted (calibrated to ms on the transfer samples) and measured latency of the scored
// archs of one target.
struct DevicePredictions {
    std::string device;
    std::vector<double> predicted_ms, measured_ms;
};

struct ExperimentResult {
    ExperimentOptions options;
    Task task;
    int completed_trials = 0;
    // One per T for options.protocol, then (with also_first128) one per T for first128.
    std::vector<SampleResult> per_samples;
    std::vector<DevicePredictions> predictions;  // with options.keep_predictions
    double seconds = 0.0;
    double pretrain_seconds = 0.0;
};

// Called after every finished trial with the results so far (e.g. to save them, so that a run
// stopped early still leaves every finished trial on disk).
using TrialCallback = std::function<void(const ExperimentResult& so_far)>;

// Runs the experiment; one progress line per phase goes to `progress`.
ExperimentResult run_experiment(const ExperimentOptions& options, SpaceContext& ctx,
                                std::ostream& progress, const TrialCallback& on_trial = nullptr);

}  // namespace nasflat::nas
