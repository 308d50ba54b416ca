// predictor.h — the practitioner's predictor: a NASFLAT model plus everything needed to use it
// on its own (space, graph encoding, device table, supplementary encoding, calibration to ms),
// the pre-training and fine-tuning steps (shared with the experiment, so `nasflat pretrain`
// with seed s trains exactly the model of trial 1 of `nasflat experiment --seed s`), and the
// checkpoint file (models/checkpoint.h, with PredictorInfo as its metadata).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "models/checkpoint.h"
#include "models/training.h"
#include "nas/calibration.h"
#include "nas/experiment.h"
#include "nas/measurements.h"
#include "nas/space_context.h"

namespace nasflat::nas {

// What a checkpoint knows besides the weights.
struct PredictorInfo {
    Space space = Space::NB201;
    GraphMode graph_mode = GraphMode::Reference;
    std::vector<std::string> devices;  // embedding row -> device name (manifest, then new ones)
    std::vector<std::string> sources;  // the devices it was pre-trained on
    std::string supp = "none";         // supplementary encoding of the head
    // Per column of the supplementary encoding: name, normalisation and its constants.
    nlohmann::json supp_normalisation = nlohmann::json::array();
    std::string target;                // the device fitted by `transfer` ("" before)
    Calibration calibration;           // score -> ms on the target
    nlohmann::json pretrain, transfer; // settings and reports, for people

    nlohmann::json to_json() const;
    static PredictorInfo from_json(const nlohmann::json& j, const std::string& file);
    // Embedding row of a device of the table, or -1.
    int row_of(const std::string& device) const;
};

struct Predictor {
    PredictorInfo info;
    std::unique_ptr<models::NasflatModel> model;
};

// Builds the graph/supp table of `ctx` for a predictor whose supplementary encoding is `supp`.
models::ArchTable arch_table(SpaceContext& ctx, const std::string& supp);
// An encoding's columns with their normalisation constants (what a checkpoint stores).
nlohmann::json encoding_normalisation(const Encoding& e);

// Loads a predictor from `path` and checks it against the data folder of `ctx`-to-be: the
// caller passes the context of info.space / info.graph_mode (see load_predictor_context).
Predictor load_predictor(const std::string& path, Device device);
void save_predictor(const std::string& path, const Predictor& p);
// The space context a predictor needs (its space and graph mode), with the supplementary
// encoding's normalisation constants, as the data folder gives them now, checked against the
// checkpoint's (a changed proxy file would feed the model differently scaled inputs).
std::unique_ptr<SpaceContext> load_predictor_context(const std::string& data_dir,
                                                     const Predictor& p);

// The model configuration of an experiment / pretrain run (flavor, layer type, fuse, supp).
models::ModelConfig experiment_model_config(const ExperimentOptions& o, SpaceContext& ctx);
models::TrainOptions pretrain_train_options(const ExperimentOptions& o);
models::TrainOptions transfer_train_options(const ExperimentOptions& o);

// Pre-trains `model` on o.source_samples archs per source device, chosen with
// o.source_sampler among the archs every source measured; seeds derive from `trial_seed`.
// Returns the last epoch's loss (NaN when nothing was trained: S = 0 or 0 epochs).
double pretrain_on_sources(models::NasflatModel& model, const ExperimentOptions& o,
                           SpaceContext& ctx, const std::vector<std::string>& sources,
                           uint64_t trial_seed, std::ostream& progress,
                           const std::string& label);

// The source device whose latencies on `archs` correlate best (Spearman) with `latency`;
// -1 when no source shares 2 archs with them. Its row initialises a new device's embedding.
int best_source_row(SpaceContext& ctx, const std::vector<std::string>& sources,
                    const std::vector<int32_t>& archs, const std::vector<double>& latency,
                    std::string* name = nullptr);

// Training samples of one device row: (arch, row, min-max normalised latency).
std::vector<models::Sample> device_samples(const std::vector<int32_t>& archs,
                                           const std::vector<double>& latency, int row);

// Seed mixing shared by the experiment and the verbs.
uint64_t derive_seed(uint64_t a, uint64_t b);

// `nasflat pretrain`: a fresh model pre-trained on `sources` (trial 1's seeds of the experiment).
Predictor pretrain_predictor(const ExperimentOptions& o, SpaceContext& ctx,
                             const std::vector<std::string>& sources, std::ostream& progress);

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
};

struct TransferReport {
    std::string device, init_source;  // init_source: "" = the row's own initialisation
    int row = -1, samples = 0, folds = 0;
    // Cross-validated on the samples: each fold's archs scored by a model fitted without them.
    double cv_spearman = 0, cv_kendall = 0, cv_mape = 0;
    std::vector<int32_t> archs;
    std::vector<double> measured_ms, cv_ms;  // (samples) measured and out-of-fold predicted
    double seconds = 0;
};

// Fits `p` to a device's measurements (new name -> a new embedding row): cross-validates,
// then fine-tunes on every sample and fits the score -> ms calibration. `p` becomes that
// device's predictor (info.target, info.calibration, info.transfer).
TransferReport transfer_predictor(Predictor& p, SpaceContext& ctx, const Measurements& m,
                                  const std::string& device, const TransferOptions& options,
                                  std::ostream& progress);

// Scores of `archs` on `row` (default: the target's), in batches.
std::vector<float> predictor_scores(const Predictor& p, SpaceContext& ctx,
                                    const std::vector<int32_t>& archs, int row, int batch);

}  // namespace nasflat::nas
