// verb_tasks.cpp — `nasflat tasks [--data DIR] [--task N0|ND|...] [--space S] [--json]`: the 12
// NASFLAT tasks (the authors' device_task_list.py) with paper labels, every source and target
// device resolved to its data file. Exit 0 when every device resolves, 1 when any has no manifest
// entry or file.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/cli/common.h"
#include "nas/data/manifest.h"
#include "nas/data/tasks.h"

namespace nasflat::cli {

namespace {

struct TasksOptions {
    std::string data, task, space;
    bool json = false;
};

// One device of a task: its manifest entry, or the reason it does not resolve.
struct Resolved {
    std::string role, device, error;
    nas::ManifestDevice entry;
};

std::vector<Resolved> resolve(const nas::Manifest& m, const nas::Task& t) {
    std::vector<Resolved> out;
    for (const auto& [role, list] : {std::pair{"source", &t.sources}, {"target", &t.targets}}) {
        for (const std::string& device : *list) {
            Resolved r{role, device, "", {}};
            try {
                r.entry = m.device(t.space, device);
                std::error_code ec;
                if (!std::filesystem::is_regular_file(m.path(r.entry.file), ec)) {
                    r.error = "file " + m.path(r.entry.file) + " is missing";
                }
            } catch (const Error& e) {
                r.error = e.what();
            }
            out.push_back(r);
        }
    }
    return out;
}

void run_tasks(const TasksOptions& opt) {
    const nas::Manifest m = nas::load_manifest(nas::resolve_data_dir(opt.data));
    std::vector<nas::Task> tasks;
    for (const nas::Task& t : nas::all_tasks()) {
        if (!opt.space.empty() && t.space != nas::parse_space(opt.space)) continue;
        tasks.push_back(t);
    }
    if (!opt.task.empty()) {
        nas::Task t = nas::parse_task(opt.task);
        if (!opt.space.empty() && t.space != nas::parse_space(opt.space)) {
            fail("--task ", opt.task, " is an ", nas::space_name(t.space), " task but --space is ",
                 opt.space, "; fix: drop --space or pick a ", opt.space, " task");
        }
        tasks = {t};
    }

    int missing = 0;
    nas::Json out = nas::Json::array();
    if (!opt.json) print("data folder: %s\n", m.data_dir.c_str());
    for (const nas::Task& t : tasks) {
        std::vector<Resolved> devices = resolve(m, t);
        nas::Json jt = {{"name", t.name},
                        {"paper_label", t.paper_label},
                        {"space", nas::space_name(t.space)},
                        {"index", t.index},
                        {"authors_spearman", t.authors_spearman},
                        {"sources", nas::Json::array()},
                        {"targets", nas::Json::array()}};
        if (!opt.json) {
            print("\n%s (%s)  %s task %d: %zu sources -> %zu targets\n", t.name.c_str(),
                        t.paper_label.c_str(), nas::space_name(t.space), t.index, t.sources.size(),
                        t.targets.size());
        }
        for (const Resolved& r : devices) {
            missing += !r.error.empty();
            jt[r.role == std::string("source") ? "sources" : "targets"].push_back(
                {{"device", r.device},
                 {"file", r.error.empty() ? r.entry.file : ""},
                 {"count", r.entry.count},
                 {"error", r.error}});
            if (opt.json) continue;
            if (r.error.empty()) {
                print("  %-6s %-44s %-60s %6d %s\n", r.role.c_str(), r.device.c_str(),
                            r.entry.file.c_str(), r.entry.count, r.entry.unit.c_str());
            } else {
                print("  %-6s %-44s MISSING: %s\n", r.role.c_str(), r.device.c_str(),
                            r.error.c_str());
            }
        }
        out.push_back(jt);
    }
    if (opt.json) print("%s\n", out.dump(2).c_str());
    std::cout.flush();
    if (missing > 0) {
        std::cerr << "nasflat: error: " << missing
                  << " task devices do not resolve to a data file (marked MISSING)" << std::endl;
        throw ExitStatus{kExitCheckFailed};
    }
}

}  // namespace

void register_tasks(CLI::App& app) {
    auto opt = std::make_shared<TasksOptions>();
    CLI::App* cmd = app.add_subcommand(
        "tasks",
        "Show the 12 NASFLAT tasks (N0..N5, F0..F5) with every device resolved to its file");
    add_data_option(*cmd, opt->data);
    add_space_option(*cmd, opt->space, true);
    cmd->add_option("--task", opt->task, "only this task: N0..N5, F0..F5 or ND, NA, FD, FA")
        ->type_name("NAME");
    cmd->add_flag("--json", opt->json, "print the tasks as JSON");
    cmd->callback([opt] { run_tasks(*opt); });
}

}  // namespace nasflat::cli
