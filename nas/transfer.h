// transfer.h — fitting a pre-trained predictor to one device from its measurements (the work
// of `nasflat transfer`): k-fold cross-validation on the samples (how well it will fit), then
// fine-tuning on all of them and the score -> ms calibration. A device name not in the
// checkpoint's table gets a new embedding row, initialised from the best-correlated source.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "models/training.h"
#include "nas/measurements.h"
#include "nas/predictor.h"

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

}  // namespace nasflat::nas
