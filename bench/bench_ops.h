// bench_ops.h — the kernels of a training step that bench_kernels.cpp's graph and GEMM rows do
// not cover: elementwise (ReLU, sigmoid, broadcast multiply and its bias-style reduction),
// layer norm, segment readout, concat (block copy), dropout, the pairwise loss and AdamW.
#pragma once

#include <cstdint>

#include "bench/bench_common.h"

namespace nasflat::bench {

// All of them at G graphs of n nodes and F = 128 features (AdamW: the model's 408,513
// parameters; pair loss: 4G pairs over G scores).
void bench_other_ops(Runner& r, int64_t G, int64_t n);

}  // namespace nasflat::bench
