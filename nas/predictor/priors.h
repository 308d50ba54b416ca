// priors.h — the simple predictors a practitioner has without a learned model, fitted on a
// device's few measured samples. `transfer` scores them beside the fine-tuned predictor (and
// the LODO benchmark reports them), so that learning is used only where it helps.
//   flops     the architecture's analytic FLOPs (no fitting)
//   params    its parameter count (no fitting)
//   device    the public device whose measured latencies rank the samples best (Spearman):
//             a choice a user can make from the data folder
//   ridge     ridge regression of log latency on the public devices' log latencies (ridge.h)
// A prior's score orders architectures like latency (higher = slower): log1p(flops),
// log1p(params), log(latency of the device), or the ridge's predicted log latency.
// Public devices are those that measured every architecture of the space (so a prior scores
// anything `predict` may be asked), outside the target's own hardware where the caller says so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/predictor/ridge.h"
#include "nas/predictor/space_context.h"

namespace nasflat::nas {

struct Prior {
    std::string kind;                  // "flops" | "params" | "device" | "ridge"
    std::string device;                // kind "device": its name
    std::vector<std::string> devices;  // kind "ridge": the feature devices, in order
    RidgeFit ridge;                    // kind "ridge"

    std::string name() const;  // "flops", "params", "device:gold_6240", "ridge"
    // True when it scores an op list outside the data folder (flops, params).
    bool scores_any_ops() const { return kind == "flops" || kind == "params"; }
    nlohmann::json to_json() const;
    static Prior from_json(const nlohmann::json& j, const std::string& file);
};

// The prior kinds, in the order reports list them.
const std::vector<std::string>& prior_kinds();
// "none" -> no prior; else a comma-separated list of kinds, each checked (--priors).
std::vector<std::string> parse_prior_list(const std::string& text);

// Devices of `candidates` that measured every architecture of ctx's space.
std::vector<std::string> public_devices(SpaceContext& ctx,
                                        const std::vector<std::string>& candidates);

// Fits a prior of `kind` on (archs, ms) over `devices` (public devices; unused by flops and
// params). A device prior with no device, or a ridge with none, is an error.
Prior fit_prior(const std::string& kind, SpaceContext& ctx,
                const std::vector<std::string>& devices, const std::vector<int32_t>& archs,
                const std::vector<double>& ms);

// Scores of indexed architectures (higher = slower).
std::vector<double> prior_scores(const Prior& prior, SpaceContext& ctx,
                                 const std::vector<int32_t>& archs);
// Score of an op list (flops and params only; others are an error).
double prior_score_of_ops(const Prior& prior, const SearchSpace& ss, const std::vector<int>& ops);

}  // namespace nasflat::nas
