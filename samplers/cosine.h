// cosine.h — cosine-similarity building blocks for the Cosine and CosineGreedy samplers.
// Dims: N points (the candidates' rows, gathered), D dim; row-major float, sums in double.
// A zero row has no direction: its cosine similarity to anything (itself included) is 0.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/rng.h"

namespace nasflat::samplers {

// score[i] = (1/N) sum_j cos(x_i, x_j), j over all N rows (i itself included). Computed in
// O(N D) as <u_i, mean_j u_j> with u = x / |x| (u = 0 for a zero row), which is the same sum
// reordered. Low score = atypical.
std::vector<double> mean_cosine_scores(const float* points,  // (N, D)
                                       int64_t n, int d);
// Slow twin: the literal O(N^2 D) double loop of the definition (tests compare the two).
std::vector<double> mean_cosine_scores_reference(const float* points,  // (N, D)
                                                 int64_t n, int d);

// Greedy chain over row positions: the first position uniformly at random, then `count - 1`
// times the not-yet-chosen position whose cosine similarity to the LAST chosen one is smallest
// (ties -> lowest position). Never repeats a position. 1 <= count <= N. O(count N D).
std::vector<int64_t> cosine_greedy_positions(const float* points,  // (N, D)
                                             int64_t n, int d, int count, Rng& rng);

}  // namespace nasflat::samplers
