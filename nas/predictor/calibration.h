// calibration.h — from predictor scores to milliseconds. The model ranks (its scores are on no
// particular scale); a practitioner wants ms, so `transfer` fits a monotone map on the measured
// samples and stores it in the checkpoint.
//   isotonic  pool-adjacent-violators fit of ms on score (non-decreasing), read between the
//             fitted points by linear interpolation; beyond the sampled scores it continues
//             with the slope of the least-squares line through the samples (0 if that slope
//             is negative), and never goes below 0 ms.
//   linear    the least-squares line ms = a + b score (b >= 0), floored at 0 ms.
// Both are non-decreasing in the score, so they never change a ranking.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nasflat::nas {

struct Calibration {
    std::string kind;               // "isotonic", "linear", or "" (none fitted)
    std::vector<double> x, y;       // isotonic: fitted points, x strictly increasing
    double slope = 0, intercept = 0;  // least-squares line (the linear kind; isotonic tails)

    bool fitted() const { return !kind.empty(); }
    // Milliseconds for a score; NaN when nothing is fitted.
    double operator()(double score) const;

    nlohmann::json to_json() const;
    // Reads what to_json wrote; anything else -> one-line error naming `file`.
    static Calibration from_json(const nlohmann::json& j, const std::string& file);
};

// Fits `kind` ("isotonic" | "linear") to (score, ms) pairs: n >= 2, finite, ms > 0, else an
// error. Equal scores are pooled (their mean ms, weighted by count).
Calibration fit_calibration(const std::vector<double>& score, const std::vector<double>& ms,
                            const std::string& kind);

// Mean absolute percentage error, in %, of `pred` against `truth` (truth > 0).
double mape(const std::vector<double>& pred, const std::vector<double>& truth);

}  // namespace nasflat::nas
