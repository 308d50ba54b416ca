// experiment.h — the NASFLAT task-suite experiment: pre-train on a task's source devices,
// transfer to each target device from T samples, score on the target.
// Predictors (--predictor): nasflat (the model of models/nasflat_model.h, the default) or
// multipredict (the MultiPredict baseline, experiment/multipredict.h); both run the same tasks,
// trials, seeds, transfer samples and scoring, and run_experiment is the one place that picks.
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
#include "nas/predictor/help_meta.h"
#include "nas/predictor/recipe.h"
#include "nas/predictor/space_context.h"

namespace nasflat::nas {

enum class PredictorKind { Nasflat, MultiPredict, Help };
PredictorKind parse_predictor(const std::string& s);
const char* predictor_name(PredictorKind p);

// The MultiPredict baseline's own hyper-parameters; the defaults are the authors'
// (reference/NASFLAT_SPEC.md 10.2: fsh_advanced_training.py with base_config.json).
struct MultiPredictOptions {
    int source_samples = -1;  // dev_train_samples per source device; -1: NB201 900, FBNet 4000
    int epochs = 150;         // pre-training, cosine over all of them
    int batch_size = 64;
    float lr = 4e-4f;  // AdamW, pre-training and fine-tuning
    float weight_decay = 5e-4f;
    int transfer_epochs = 50;
    int transfer_batch_size = 10;
    int mc_rounds = 10;  // fine-tunings from the pre-trained state; predictions averaged
    int hw_dim = 8;
};

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
    PredictorKind predictor = PredictorKind::Nasflat;
    MultiPredictOptions multipredict;  // with predictor MultiPredict only
    HelpOptions help;                  // with predictor Help only (nas/predictor/help_meta.h)
    int task = 0;
    std::vector<int> samples = {20};  // T values, in order
    int trials = 3;
    // Index of the first trial run: trials first_trial .. first_trial + trials - 1, each seeded
    // from (seed, index) exactly as in one long run, so trials split over several processes
    // (e.g. on a shared GPU) merge into the same result (scripts/paper/merge_trials.py).
    int first_trial = 0;
    int transfer_epochs = -1;   // -1: NB201 40, FBNet 30
    float transfer_lr = -1.0f;  // -1: NB201 3e-3, FBNet 1e-3
    int transfer_batch_size = 16;
    bool transfer_hwemb = true;  // initialise the target row from the best source
    Protocol protocol = Protocol::Full;
    // With protocol full: also score every fine-tuned model on archs 0..127 (first128). Both
    // protocols fine-tune from the same pre-trained weights on the same samples, so one run
    // yields both at the cost of scoring 128 more archs (no extra training).
    bool also_first128 = false;
    ScoreMode score = ScoreMode::LastFour;
    // How the T transfer samples are chosen: one or more sampler specs, each a method of
    // samplers.h or "method:encoding" (e.g. kmeancosine:caz; the encoding overrides
    // sampler_encoding). Several samplers share each trial's pre-training, and sampler k of a
    // (trial, target, T) draws from the same seed as every other, so they differ only in how
    // they choose (common random numbers for a sampler study).
    std::vector<std::string> samplers = {"random"};
    // Transfer as `nasflat transfer` does (predictor/transfer.h): the cross-validated self-check
    // and the blend of the model with the simple priors (FLOPs, params, best device, ridge over
    // the task's sources), weighted by blend_rule; scored once, after the fine-tuning.
    bool self_check = false;
    std::string blend_rule = "stack";
    int eval_batch = 0;  // 0: default_score_batch(device) (CPU 256, CUDA 32768)
    // CPU threads (0: every core): pre-training runs each batch's shards side by side
    // (models/shards.h), then the trial's (target, T) pairs are fine-tuned side by side, each
    // with its own copy of the pre-trained model. The results are the same bits for any count;
    // the aliasing protocol and a GPU fine-tune one at a time.
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
    std::string sampler = "random";  // the sampler spec that chose the T samples
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
    // Per protocol (options.protocol, then first128 with also_first128), per sampler, per T:
    // entry result_index(options, k, si, ti).
    std::vector<SampleResult> per_samples;
    std::vector<DevicePredictions> predictions;  // with options.keep_predictions
    double seconds = 0.0;
    double pretrain_seconds = 0.0;
};

// Called after every finished trial with the results so far (e.g. to save them, so that a run
// stopped early still leaves every finished trial on disk).
using TrialCallback = std::function<void(const ExperimentResult& so_far)>;

// Runs the experiment with options.predictor; one progress line per phase goes to `progress`.
ExperimentResult run_experiment(const ExperimentOptions& options, SpaceContext& ctx,
                                std::ostream& progress, const TrialCallback& on_trial = nullptr);

// --- what every predictor's run shares, so that they score the same things -----------------
// The seed of the transfer samples of (trial, target di, the ti-th T): draw the samples first
// from Rng(transfer_seed(...)) with choose_transfer_samples, and every predictor gets the same
// T architectures for the same seed.
uint64_t transfer_seed(uint64_t trial_seed, size_t di, size_t ti);
// `sampler` is one of o.samplers ("method" or "method:encoding").
std::vector<int32_t> choose_transfer_samples(const ExperimentOptions& o, const std::string& sampler,
                                             SpaceContext& ctx, const DeviceData& target, int count,
                                             Rng& rng);
// Where (protocol k, sampler si, T index ti) sits in ExperimentResult::per_samples.
size_t result_index(const ExperimentOptions& o, size_t k, size_t si, size_t ti);
// The scored architectures of a protocol: full = every measured arch of the target except the
// transfer samples; first128 (and aliasing) = archs 0..127.
std::vector<int32_t> eval_archs(Protocol protocol, const DeviceData& target,
                                const std::vector<int32_t>& transfer);
struct Score {
    double spearman = 0, kendall = 0;
};
// Spearman and Kendall tau-b of predictions of `archs` against the target's measurements.
Score score_predictions(const std::vector<double>& predicted, const DeviceData& target,
                        const std::vector<int32_t>& archs);
// Fails before any training when a T leaves fewer than 2 archs of a target to score.
void check_samples_fit_targets(const ExperimentOptions& o, SpaceContext& ctx, const Task& task);
// A result with one SampleResult per (protocol, sampler, T) in result_index order, each with an
// empty DeviceScores per target.
ExperimentResult empty_result(const ExperimentOptions& o, const Task& task);

}  // namespace nasflat::nas
