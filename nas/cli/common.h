// common.h — what every `nasflat` verb shares: the --data and --seed options, flag validators,
// exit codes, and run(), which turns every failure into one line on stderr and an exit code:
//   0 ok; 1 a check the verb ran found bad data (`nasflat data`, `data --check`); 2 bad input
//   or usage, or an output that cannot be written (nasflat::Error -> "nasflat: error:
//   <message>", CLI11 parse errors with CLI11's message); anything else is a bug (3: an
//   unexpected exception, "internal error (please report)").
// Standard output is checked when a verb ends (and by streaming verbs as they go): a full disk,
// a closed pipe or a closed stdout is an error, exit 2.
// To add a verb: see verbs.h.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "nas/data/tasks.h"

namespace nasflat::cli {

constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;

// Thrown by a verb's callback to end with a given exit code after printing its own report.
struct ExitStatus {
    int code = kExitOk;
};

// --data DIR: the data folder (else $NASFLAT_DATA, ../shared/data, ./data; nas/space/space.h).
CLI::Option* add_data_option(CLI::App& verb, std::string& data_flag);
// --seed N: the one seed all randomness of the verb flows from (default 0).
CLI::Option* add_seed_option(CLI::App& verb, uint64_t& seed);
// --space nb201|fbnet (empty = both when `optional`).
CLI::Option* add_space_option(CLI::App& verb, std::string& space, bool optional);

// Validators for numeric flags, applied when the flag is given (so a default sentinel such as
// -1 can never be typed in): a finite number in [lo, hi] (lo excluded when `open_low`), and a
// whole number without sign (for unsigned flags such as --seed, where "-1" would wrap).
CLI::Validator finite_in(double lo, double hi, bool open_low = false);
CLI::Validator unsigned_number();

// --task: 0..5 (of `space`), or a label (N0..N5, F0..F5, ND, NA, FD, FA) that must be of `space`.
nas::Task resolve_task(const std::string& flag, nas::Space space);
// The output format of a file by its extension: "csv", "jsonl" (.jsonl / .json), "json",
// "txt", "svg"; one of `allowed`, else an error naming the file and the allowed extensions.
std::string format_of(const std::string& path, const std::vector<std::string>& allowed);

// Parses argv (running the chosen verb's callback) and maps every outcome to an exit code.
int run(CLI::App& app, int argc, char** argv);

// printf-style formatting onto std::cout: every verb's stdout goes through the one checked
// buffer (kernels/base/file_io.h install_checked_stdout), never through stdio.
template <typename... Args>
void print(const char* format, Args... args) {
    const int n = std::snprintf(nullptr, 0, format, args...);
    std::string text(static_cast<size_t>(n > 0 ? n : 0) + 1, '\0');
    std::snprintf(text.data(), text.size(), format, args...);
    text.pop_back();
    std::cout << text;
}

// "nasflat: error: <message>" on stderr, newlines in `message` flattened to keep one line.
void print_error(const std::string& message);

}  // namespace nasflat::cli
