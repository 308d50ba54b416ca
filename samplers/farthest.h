// farthest.h — more architectures to measure, given those already measured: farthest-first
// traversal over an encoding. Each pick is the candidate whose distance to everything measured
// or picked so far is largest, so new measurements go where the old ones left the encoding
// space uncovered (the k-center greedy). Deterministic: no randomness, ties to the lower index.
// Dims: S space size, D encoding dim, N candidates, M measured.
#pragma once

#include <cstdint>
#include <vector>

#include "samplers/samplers.h"

namespace nasflat::samplers {

// `count` distinct arch indices of input.candidates (features required), none of them in
// `measured`; measured archs only repel. With nothing measured the first pick is the candidate
// farthest from the candidates' mean. 1 <= count <= candidates left, else nasflat::Error.
std::vector<int32_t> sample_farthest(int count, const SamplerInput& input,
                                     const std::vector<int32_t>& measured);

}  // namespace nasflat::samplers
