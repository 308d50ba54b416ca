// verb_data.cpp — `nasflat data [--data DIR] [--space nb201|fbnet] [--quiet]`: lists the
// spaces, their devices (count, unit, min/median/max) and the other data files, validating
// every one (data_check.h). Exit 0 when every file is valid, 1 when any is bad (each bad file
// gets its one-line reason), 2 when no data folder is found.
#include <cstdio>
#include <iostream>
#include <memory>

#include "nas/cli/common.h"
#include "nas/data_check.h"
#include "nas/space.h"

namespace nasflat::cli {

namespace {

struct DataOptions {
    std::string data, space;
    bool quiet = false;
};

void print_row(const nas::FileReport& f) {
    char stats[96] = "";
    if (f.kind == "latency" || f.kind == "energy") {
        if (f.ok) std::snprintf(stats, sizeof stats, "%10.6g %10.6g %10.6g", f.min, f.median, f.max);
    }
    std::printf("  %-8s %-44s %6d %-3s %-32s %s\n", f.kind.c_str(), f.name.c_str(), f.count,
                f.unit.c_str(), f.ok && stats[0] == '\0' ? f.detail.c_str() : stats,
                f.ok ? "ok" : "BAD");
    if (!f.ok) std::printf("           %s\n", f.error.c_str());
}

void run_data(const DataOptions& opt) {
    const std::string dir = nas::resolve_data_dir(opt.data);
    std::vector<nas::Space> spaces;
    if (!opt.space.empty()) spaces.push_back(nas::parse_space(opt.space));
    nas::DataReport report = nas::check_data_folder(dir, spaces);

    std::printf("data folder: %s\n", dir.c_str());
    std::string current = "-";
    for (const nas::FileReport& f : report.files) {
        if (f.space != current && !f.space.empty()) {
            current = f.space;
            if (!opt.quiet) {
                std::printf("\n%s\n  %-8s %-44s %6s %-3s %10s %10s %10s  status\n", f.space.c_str(),
                            "kind", "name", "count", "unit", "min", "median", "max");
            }
        }
        if (!opt.quiet || !f.ok) print_row(f);
    }
    const int bad = report.num_bad();
    std::printf("\n%zu files checked: %s\n", report.files.size(),
                bad == 0 ? "all valid" : (std::to_string(bad) + " bad").c_str());
    std::fflush(stdout);
    if (bad > 0) {
        std::cerr << "nasflat: error: " << bad << " of " << report.files.size()
                  << " data files are bad (listed above)" << std::endl;
        throw ExitStatus{kExitCheckFailed};
    }
}

}  // namespace

void register_data(CLI::App& app) {
    auto opt = std::make_shared<DataOptions>();
    CLI::App* cmd = app.add_subcommand(
        "data", "List spaces, devices (count, unit, min/median/max) and validate every data file");
    add_data_option(*cmd, opt->data);
    add_space_option(*cmd, opt->space, true);
    cmd->add_flag("--quiet,-q", opt->quiet, "print only bad files and the summary");
    cmd->callback([opt] { run_data(*opt); });
}

}  // namespace nasflat::cli
