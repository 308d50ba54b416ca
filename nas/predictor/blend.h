// blend.h — what a transferred predictor answers with: the fine-tuned model, a simple prior
// (priors.h), or a weighted blend of them, chosen by `transfer` from out-of-fold evidence on the
// device's own samples (its self-check; no architecture outside the samples is looked at).
//   member score   z_m(a) = (s_m(a) - shift_m) / scale_m   (standardised on the samples)
//   blend          b(a) = sum_m weight_m z_m(a)            (weights sum to 1)
//   weights        w_m ~ max(0, rho_m)^power over the candidates whose out-of-fold Spearman
//                  rho_m is positive; "best" keeps only the best candidate; "stack" fits
//                  non-negative weights to the out-of-fold scores by least squares against the
//                  standardised log measurements (stacking), then normalises them.
// A checkpoint without a blend (pre-trained, or written before blends existed) answers with
// the model alone.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/predictor/priors.h"

namespace nasflat::nas {

struct BlendMember {
    std::string name;     // "predictor" or a prior's name
    Prior prior;          // unused for the predictor
    double weight = 0, shift = 0, scale = 1;
    double oof_spearman = 0;  // the evidence it was chosen on, for reports
    bool is_predictor() const { return name == "predictor"; }
};

struct Blend {
    std::string rule;  // how the weights were chosen, e.g. "power 2" or "best"
    std::vector<BlendMember> members;

    bool empty() const { return members.empty(); }
    // True when the model is the only member (or there is no blend).
    bool model_only() const;
    // "predictor 0.62 + ridge 0.38"
    std::string describe() const;
    nlohmann::json to_json() const;
    static Blend from_json(const nlohmann::json& j, const std::string& file);
};

// One candidate as transfer scored it: its out-of-fold Spearman over the samples, and its
// scores on the samples from the fit on all of them (they fix shift and scale).
struct Candidate {
    std::string name;  // "predictor" or the prior's name
    Prior prior;
    double oof_spearman = 0;
    std::vector<double> oof_scores;     // (T) out-of-fold, standardised per fold (for "stack")
    std::vector<double> sample_scores;  // (T)
};

// How weights follow the evidence: power p (w ~ rho^p), p < 0 for "best only", or stacking.
// The default, stacking, was chosen on the leave-one-device-out benchmark (docs/results.md).
struct BlendRule {
    double power = 4.0;
    bool stack = true;
    std::string name() const;
    static BlendRule parse(const std::string& text);  // "best", "stack" or a number >= 0
};

// The blend of the candidates under `rule`. When no candidate has a positive out-of-fold
// Spearman (or stacking gives every candidate weight 0), the predictor alone (nothing better
// is known). `measured` (T, base unit) is what "stack" fits to.
Blend choose_blend(const std::vector<Candidate>& candidates, const BlendRule& rule,
                   const std::vector<double>& measured = {});

// b(a) for rows of member scores: scores[m][k] is member m's score of architecture k.
std::vector<double> blend_scores(const Blend& blend,
                                 const std::vector<std::vector<double>>& scores);

// Mean and (population) standard deviation of v; sd 1 when v is constant.
void standardisation(const std::vector<double>& v, double& shift, double& scale);

}  // namespace nasflat::nas
