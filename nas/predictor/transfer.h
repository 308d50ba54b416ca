// transfer.h — fitting a pre-trained predictor to one device from its measurements (the work
// of `nasflat transfer`), a transfer that checks itself:
//   1. k-fold cross-validation on the samples: each fold is scored by the predictor fine-tuned
//      without it and by every simple prior (priors.h) fitted without it;
//   2. the choice (blend.h): the candidates weighted by their out-of-fold Spearman, so a
//      predictor that does not beat FLOPs or a public device on held-out samples is outweighed;
//      a plain-words warning when even the best candidate is weak;
//   3. fine-tuning and the priors on every sample, then the score -> ms calibration of the blend.
// A device name not in the checkpoint's table gets a new embedding row, initialised from the
// source that correlates best with the samples.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "models/training.h"
#include "nas/data/measurements.h"
#include "nas/predictor/blend.h"
#include "nas/predictor/predictor.h"
#include "nas/predictor/recipe.h"

namespace nasflat::nas {

struct TransferOptions {
    int epochs = -1;          // -1: NB201 40, FBNet 30
    float lr = -1.0f;         // -1: NB201 3e-3, FBNet 1e-3
    int batch_size = 16;
    float weight_decay = 1e-5f;
    float eta_min = 1e-6f;
    models::PairScoring scoring = models::PairScoring::TwoForwards;
    bool init_from_best_source = true;
    int folds = 5;                        // cross-validation folds (<= samples); 0 = none
    std::string calibration = "isotonic";
    uint64_t seed = 42;
    // The self-check: priors scored beside the predictor (empty = the predictor alone), how
    // their weights follow the evidence, and the devices the device priors may use (empty: the
    // checkpoint's sources). A best out-of-fold Spearman below warn_below prints a warning.
    std::vector<std::string> priors = prior_kinds();
    BlendRule blend_rule;
    std::vector<std::string> prior_devices;
    double warn_below = 0.8;

    // The fine-tuning's training options (epochs, batch, lr, AdamW, scoring).
    models::TrainOptions train_options() const;
};

// A transfer that fine-tunes with a recipe's AdamW settings (weight decay, floor of the
// schedule) and pair scoring, as the experiment's transfers do; the rest at its defaults.
TransferOptions transfer_options_from(const PretrainRecipe& r);

// One candidate of the self-check in the report: its out-of-fold Spearman on the samples.
struct CandidateScore {
    std::string name;
    double oof_spearman = 0;
};

struct TransferReport {
    std::string device, init_source;  // init_source: "" = the row's own initialisation
    int row = -1, samples = 0, folds = 0;
    // Cross-validated on the samples: each fold's archs scored by a model fitted without them.
    double cv_spearman = 0, cv_kendall = 0, cv_mape = 0;
    std::vector<int32_t> archs;
    std::vector<double> measured_ms, cv_ms;  // (samples) measured and out-of-fold predicted
    std::vector<CandidateScore> candidates;  // predictor first, then the priors
    std::vector<Candidate> fitted;           // the same, fitted on every sample (blend.h)
    std::string choice;                      // Blend::describe() of what was stored
    std::string warning;                     // "" or one plain-words sentence
    double seconds = 0;
};

// Fits `p` to a device's measurements (new name -> a new embedding row): cross-validates,
// then fine-tunes on every sample and fits the score -> ms calibration. `p` becomes that
// device's predictor (info.target, info.calibration, info.transfer).
TransferReport transfer_predictor(Predictor& p, SpaceContext& ctx, const Measurements& m,
                                  const std::string& device, const TransferOptions& options,
                                  std::ostream& progress);

}  // namespace nasflat::nas
