// verb_data.cpp — `nasflat data [--data DIR] [--space nb201|fbnet] [--quiet]`: lists the
// spaces, their devices (count, unit, min/median/max) and the other data files, validating
// every one (nas/data/data_check.h). Exit 0 when every file is valid, 1 when any is bad (each
// bad file gets its one-line reason), 2 when no data folder is found.
// `nasflat data --check FILE` validates a user measurement file (nas/data/measurements.h) with
// the rules `transfer` applies (including at least 2 measurements, not all equal) and lists what it holds;
// a bad file is a one-line error and exit 1 (exit 2 when the file cannot be read at all).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/cli/common.h"
#include "nas/data/data_check.h"
#include "nas/data/measurements.h"
#include "nas/space/search_space.h"
#include "nas/space/space.h"

namespace nasflat::cli {

namespace {

struct DataOptions {
    std::string data, space, check;
    bool quiet = false;
};

bool is_device(const nas::FileReport& f) {
    return f.kind == "latency" || f.kind == "energy";
}

// Device files: one table row with the value statistics. Other files: kind, file, summary.
void print_row(const nas::FileReport& f) {
    const char* status = f.ok ? "ok" : "BAD";
    if (is_device(f)) {
        if (f.ok) {
            print("  %-8s %-44s %6d %-3s %10.6g %10.6g %10.6g  %s\n", f.kind.c_str(),
                        f.name.c_str(), f.count, f.unit.c_str(), f.min, f.median, f.max, status);
        } else {
            print("  %-8s %-44s %6s %-3s %10s %10s %10s  %s\n", f.kind.c_str(),
                        f.name.c_str(), "-", "-", "-", "-", "-", status);
        }
    } else {
        print("  %-8s %s: %s  %s\n", f.kind.c_str(), f.file.c_str(),
                    f.ok ? f.detail.c_str() : "", status);
    }
    if (!f.ok) print("           %s\n", f.error.c_str());
}

// --check FILE: validated as `transfer` would; the space comes from --space, else from the
// file's own "space" key. A bad file (it exists, so the check found bad data) is exit 1.
void run_check(const std::string& dir, const DataOptions& opt) {
    const std::string& file = opt.check;
    if (!std::filesystem::is_regular_file(file)) {
        nas::read_json_file(file);  // the usual "not found" / "is a folder" error, exit 2
    }
    auto bad_file = [](const Error& e) {
        print_error(e.what());
        return ExitStatus{kExitCheckFailed};
    };
    nas::Space space = nas::Space::NB201;
    try {
        const std::string name =
            opt.space.empty() ? nas::get_string(nas::read_json_file(file), "space", file)
                              : opt.space;
        if (name != "nb201" && name != "fbnet") {
            nas::file_error(file, "space", "'" + printable(name, 40) + "' is not a search space",
                            "write \"nb201\" or \"fbnet\"");
        }
        space = nas::parse_space(name);
    } catch (const Error& e) {
        throw bad_file(e);
    }
    const nas::SearchSpace ss = nas::SearchSpace::load(dir, space);
    nas::Measurements m;
    try {
        m = nas::load_measurements(file, ss);
        nas::check_transferable(m);
    } catch (const Error& e) {
        throw bad_file(e);
    }
    const std::string space_text = nas::space_name(space);
    print("%s: %zu %s latency measurements in %s, valid\n", file.c_str(), m.values.size(),
                space_text.c_str(), m.unit.c_str());
    print("  %6s %10s  %s\n", "arch", "latency", "architecture");
    for (size_t k = 0; k < m.values.size(); ++k) {
        if (k == 10 && m.values.size() > 12) {
            print("  ... %zu more\n", m.values.size() - k);
            break;
        }
        print("  %6d %10.6g  %s\n", m.arch_index[k], m.values[k],
                    ss.arch_string(m.arch_index[k]).c_str());
    }
}

void run_data(const DataOptions& opt) {
    const std::string dir = nas::resolve_data_dir(opt.data);
    if (!opt.check.empty()) return run_check(dir, opt);
    std::vector<nas::Space> spaces;
    if (!opt.space.empty()) spaces.push_back(nas::parse_space(opt.space));
    nas::DataReport report = nas::check_data_folder(dir, spaces);

    print("data folder: %s\n", dir.c_str());
    std::string current = "-";  // the space whose heading was printed last
    bool in_table = false;
    for (const nas::FileReport& f : report.files) {
        if (opt.quiet && f.ok) continue;
        if (f.space != current) {
            current = f.space;
            in_table = false;
            if (!f.space.empty()) print("\n%s\n", f.space.c_str());
        }
        if (is_device(f) && !in_table) {
            print("  %-8s %-44s %6s %-3s %10s %10s %10s  status\n", "metric", "device",
                        "count", "unit", "min", "median", "max");
            in_table = true;
        }
        print_row(f);
    }
    const int bad = report.num_bad();
    print("\n%zu files checked: %s\n", report.files.size(),
                bad == 0 ? "all valid" : (std::to_string(bad) + " bad").c_str());
    std::cout.flush();
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
    cmd->add_option("--check", opt->check,
                    "validate a measurement file (the input of transfer) instead of the folder")
        ->type_name("FILE");
    cmd->callback([opt] { run_data(*opt); });
}

}  // namespace nasflat::cli
