// predictor.h — the practitioner's predictor: a NASFLAT model plus everything needed to use it
// on its own (space, graph encoding, device table, supplementary encoding and its
// normalisation, calibration to ms), its checkpoint file (models/checkpoint.h, with
// PredictorInfo as its metadata), pre-training one from a recipe (recipe.h), scoring with it and
// comparing its predictions with measured values. Fitting it to a device: transfer.h; the
// training steps it shares with the experiment: training_steps.h.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "models/checkpoint.h"
#include "nas/predictor/blend.h"
#include "nas/predictor/calibration.h"
#include "nas/predictor/recipe.h"
#include "nas/predictor/space_context.h"

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
    std::string metric = "latency";    // what the target's measurements were (latency, energy)
    Blend blend;                       // what answers for the target (empty: the model alone)
    Calibration calibration;           // blended score -> base unit (ms, mJ) on the target
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

// An encoding's columns with their normalisation constants (what a checkpoint stores).
nlohmann::json encoding_normalisation(const Encoding& e);

// Loads a predictor from `path` and checks it against the data folder of `ctx`-to-be: the
// caller passes the context of info.space / info.graph_mode (see load_predictor_context).
Predictor load_predictor(const std::string& path, Device device);
void save_predictor(const std::string& path, const Predictor& p);
// The checkpoint file's bytes, for a verb that stages its outputs (kernels/base/file_io.h).
std::string predictor_bytes(const Predictor& p);
// The space context a predictor needs (its space and graph mode), with the supplementary
// encoding's normalisation constants, as the data folder gives them now, checked against the
// checkpoint's (a changed proxy file would feed the model differently scaled inputs).
std::unique_ptr<SpaceContext> load_predictor_context(const std::string& data_dir,
                                                     const Predictor& p);

// `nasflat pretrain`: a fresh model pre-trained from `recipe` on `sources` (with the seeds of
// trial 1 of an experiment).
Predictor pretrain_predictor(const PretrainRecipe& recipe, SpaceContext& ctx,
                             const std::vector<std::string>& sources, std::ostream& progress);

// Scores of `archs` on `row`, in batches; on the CPU `threads` score batches side by side
// (models::predict). On the target's row the checkpoint's blend answers (the model's scores
// mixed with its priors'); on any other row, the model alone.
std::vector<float> predictor_scores(const Predictor& p, SpaceContext& ctx,
                                    const std::vector<int32_t>& archs, int row, int batch,
                                    int threads = 1);
// The blend of the target for op lists (e.g. a search's candidates outside the data folder):
// members that cannot score an op list (device and ridge priors) are left out and the weights
// of the others renormalised; `model_scores` are the model's scores of the same op lists.
std::vector<double> blend_of_ops(const Predictor& p, const SearchSpace& ss,
                                 const std::vector<std::vector<int>>& ops,
                                 const std::vector<float>& model_scores);
// Scores of op lists (indexed or not, e.g. FBNet networks outside the data folder's 5000) on
// `row`: the model's scores of graphs (and supplementary encodings) built from the ops; on the
// target's row blended as blend_of_ops does. What `search --mode evolution` calibrates.
std::vector<double> predictor_scores_of_ops(const Predictor& p, SpaceContext& ctx,
                                            const std::vector<std::vector<int>>& ops, int row,
                                            int batch, int threads = 1);

// Predictions compared with measured values (`nasflat predict --truth`), leaving out the
// architectures the predictor was fitted on (its transfer's samples) and those not measured.
struct TruthComparison {
    std::vector<double> scores, measured, predicted_ms;  // of the compared architectures
    size_t fitted = 0;     // architectures the predictor was fitted on (left out)
    bool has_ms = false;   // the predictions carry a calibration (else predicted_ms is NaN)
    double spearman = 0, kendall = 0, mape = 0;  // of the scores; MAPE (%) of the ms
};
// `archs` with their `scores` and calibrated `ms` (NaN without calibration); `truth_ms` by arch
// index (NaN = not measured) read from `truth_name`. Fewer than 2 to compare -> one-line error.
TruthComparison compare_with_truth(const Predictor& p, const std::vector<int32_t>& archs,
                                   const std::vector<float>& scores, const std::vector<double>& ms,
                                   const std::vector<double>& truth_ms,
                                   const std::string& truth_name);

}  // namespace nasflat::nas
