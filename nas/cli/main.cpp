// main.cpp — the `nasflat` executable: one CLI11 app, one subcommand per verb (verbs.h).
// Run `nasflat --help` for the verbs and `nasflat <verb> --help` for their options.
#include <CLI/CLI.hpp>
#include <csignal>

#include "kernels/base/file_io.h"
#include "nas/cli/common.h"
#include "nas/cli/verbs.h"

int main(int argc, char** argv) {
    // A closed pipe or a file-size limit must be write errors the verb reports (one line, exit
    // 2), not signals that kill it silently.
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
    nasflat::install_checked_stdout();
    CLI::App app{"nasflat — few-shot hardware latency prediction for NAS (NASFLAT)", "nasflat"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "nasflat 0.1");
    for (nasflat::cli::RegisterVerb register_verb : nasflat::cli::kVerbs) register_verb(app);
    return nasflat::cli::run(app, argc, argv);
}
