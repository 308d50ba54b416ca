// device_option.h — `--device cpu|cuda|auto` for every verb that computes.
// auto (the default): CUDA when this binary has it and a GPU is visible, else the CPU with a
// one-line notice on stderr when the binary was built with CUDA. An explicit `cuda` without a
// usable GPU is an error.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "kernels/memory.h"

namespace nasflat::cli {

CLI::Option* add_device_option(CLI::App& verb, std::string& device);
Device resolve_device(const std::string& flag);

}  // namespace nasflat::cli
