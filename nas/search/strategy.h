// strategy.h — the two ways a latency-constrained search picks an architecture:
//   enumerate  every architecture of the space is scored; the best objective among those whose
//              predicted latency is within the limit wins (NB201's 15625 cells, FBNet's 5000);
//   evolution  regularised evolution over op lists, for spaces too large to enumerate (the
//              full FBNet space has 9^22 networks): a population of feasible members, each
//              generation `children` tournament winners with one op mutated; the oldest leave.
// Both maximise the objective (accuracy, params, flops or a user's values). Nothing here knows
// the model: latency comes in through a function, so tests can use toy costs.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace nasflat::nas {

// Index of the best objective among entries with latency <= limit (NaN objective or latency
// never qualifies); ties: lower latency, then lower index. -1 when none qualifies.
int best_under(const std::vector<double>& latency_ms, const std::vector<double>& objective,
               double limit);

struct EvolutionOptions {
    int population = 64;
    int tournament = 16;
    int children = 32;      // per generation, scored in one batch
    int generations = 100;
    uint64_t seed = 0;
};

struct EvolutionResult {
    std::vector<int> best_ops;  // empty when no feasible member was found
    double best_objective = 0, best_latency_ms = 0;
    int64_t evaluated = 0;      // distinct op lists scored
    std::vector<double> best_by_generation;
};

// Predicted latency (ms) of a batch of op lists.
using BatchLatency = std::function<std::vector<double>(const std::vector<std::vector<int>>&)>;
// Objective of an op list; NaN = unknown (such a member is never kept).
using Objective = std::function<double(const std::vector<int>&)>;

// Ops are `positions` values in [0, vocab). Deterministic for a given seed.
EvolutionResult evolve(int positions, int vocab, double limit, const BatchLatency& latency,
                       const Objective& objective, const EvolutionOptions& options);

}  // namespace nasflat::nas
