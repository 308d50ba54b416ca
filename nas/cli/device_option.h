// device_option.h — `--device cpu|cuda|auto` for every verb that computes.
// auto (the default): CUDA when this binary has it and a GPU is visible, else the CPU with a
// one-line notice on stderr when the binary was built with CUDA. An explicit `cuda` without a
// usable GPU is an error. `--tf32` runs the GPU's GEMMs on TF32 tensor cores (off by default:
// ~1e-3 relative error per product; docs/performance.md measures its effect on the scores).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "kernels/base/memory.h"

namespace nasflat::cli {

struct DeviceFlag {
    std::string name = "auto";
    bool tf32 = false;
    int threads = 0;  // --threads (scoring verbs only): 0 = every core
};

CLI::Option* add_device_option(CLI::App& verb, DeviceFlag& device);
// The device to compute on; also applies --tf32 (a note on stderr when it cannot apply).
Device resolve_device(const DeviceFlag& flag);

// `--threads N` for the verbs that score many architectures (predict, search): CPU scoring
// batches side by side, the same scores for any N. Call after add_device_option.
void add_threads_option(CLI::App& verb, DeviceFlag& device);
// Threads to score with on `device`: 1 on a GPU, else --threads or (0) every core.
int scoring_threads(const DeviceFlag& flag, Device device);

}  // namespace nasflat::cli
