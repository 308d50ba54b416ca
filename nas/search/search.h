// search.h — latency-constrained NAS with a transferred predictor (the work of `nasflat search`):
// for each latency (or energy) limit, the architecture with the best objective among those the
// predictor puts within the limit.
//   enumerate (default)  score every architecture of the space (or of a candidate list) once,
//                        then pick under each limit (strategy.h: best_under);
//   evolution            regularised evolution over op lists (strategy.h: evolve), for spaces
//                        too large to enumerate (e.g. the full 9^22 FBNet space with objective
//                        params or flops); op lists outside the data folder are scored from
//                        graphs and encodings built on the fly.
// With measured latencies (the truth: a data-folder device or a measurement file; by default
// the checkpoint's device when the data folder has it) each choice is judged: its true latency,
// and the regret against the true optimum under the same limit among what the search could
// choose (optimum objective minus the choice's; negative only when the choice breaks the limit
// in truth).
// `nasflat search --checkpoint pixel2.ckpt --latency-max 14 18 22` is load_search, then
// search_limits with the limits {14, 18, 22}.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/predictor/predictor.h"
#include "nas/search/objective.h"
#include "nas/search/strategy.h"

namespace nasflat::nas {

enum class SearchMode { Enumerate, Evolution };
// "enumerate" | "evolution"; anything else -> one-line error.
SearchMode parse_search_mode(const std::string& text);
const char* search_mode_name(SearchMode mode);

struct SearchOptions {
    SearchMode mode = SearchMode::Enumerate;
    std::string objective = "accuracy";  // objective.h
    std::string candidates;  // enumerate only these (a JSON or text arch list; "" = the space)
    std::string truth;       // measured values: device or file; "" = the checkpoint's device
    EvolutionOptions evolution;
    int threads = 1;  // CPU threads scoring batches side by side (the same scores for any N)

    // The combinations that make no sense (candidates with evolution) -> one-line error.
    void check() const;
};

// Everything a search needs: the predictor, its space, the objective, the measured values.
struct SearchSetup {
    Predictor p;
    std::unique_ptr<SpaceContext> ctx;
    int row = -1;  // the target's embedding row
    ObjectiveTable objective;
    std::string truth;            // "" = no measured values
    std::vector<double> true_ms;  // by arch index, NaN = not measured (empty without truth)
};

// Loads the checkpoint (which must be transferred and calibrated), then its space from the data
// folder `data` ("" = the default places: resolve_data_dir), the objective and the truth.
SearchSetup load_search(const std::string& checkpoint, Device device, const std::string& data,
                        const SearchOptions& o);

// The choice under one limit, judged against the truth where there is one.
struct Choice {
    double limit = 0;
    int arch = -1;     // index, -1 when not indexed / none found
    std::string text;  // arch string / op list ("" = none)
    double predicted_ms = NAN, true_ms = NAN, objective = NAN;
    int optimum = -1;
    double optimum_objective = NAN, optimum_ms = NAN, regret = NAN;
    int64_t evaluated = 0;  // architectures scored to make the choice
};
nlohmann::json choice_json(const Choice& c);

// One choice per limit (in the predictor's unit: ms, or mJ for an energy predictor).
std::vector<Choice> search_limits(const SearchSetup& s, const std::vector<double>& limits,
                                  const SearchOptions& o);

}  // namespace nasflat::nas
