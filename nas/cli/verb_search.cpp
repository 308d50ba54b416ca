// verb_search.cpp — `nasflat search`: latency-constrained NAS with a transferred predictor
// (nas/search/search.h: enumerate or evolve, objectives, the truth and the regret). The verb
// reads the flags, calls load_search and search_limits, and prints the table (--json: the
// choices as JSON).
// Example:
//   nasflat search --checkpoint pixel2.ckpt --latency-max 14 18 22
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/cli/verbs.h"
#include "nas/search/search.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, checkpoint, mode = "enumerate", json;
    DeviceFlag device;
    std::vector<double> limits, energy_limits;  // --latency-max (ms) / --energy-max (mJ)
    nas::SearchOptions o;
};

// The table on stdout; with --json, the choices staged into `json` (published by the caller).
void print_choices(const Flags& f, const nas::SearchSetup& s,
                   const std::vector<nas::Choice>& choices, StagedFile* json) {
    const std::string u = s.p.info.metric == "energy" ? "mj" : "ms";
    std::cout << "search (" << nas::search_mode_name(f.o.mode) << ") on " << s.p.info.target
              << ", objective " << s.objective.name
              << (s.truth.empty() ? "" : ", true " + s.p.info.metric + " from " + s.truth)
              << "\n  limit_" << u << "  predicted_" << u << "   true_" << u
              << "  objective  optimum  regret  arch\n";
    for (const nas::Choice& c : choices) {
        std::cout << std::fixed << std::setprecision(2) << std::setw(10) << c.limit << std::setw(14)
                  << c.predicted_ms << std::setw(10) << c.true_ms << std::setw(11)
                  << std::setprecision(3) << c.objective << std::setw(9) << c.optimum_objective
                  << std::setw(8) << c.regret << "  "
                  << (c.text.empty() ? "(nothing predicted under the limit)" : c.text)
                  << (std::isfinite(c.true_ms) && c.true_ms > c.limit
                          ? "  [over the limit in truth]"
                          : "")
                  << "\n";
    }
    if (json == nullptr) return;
    nlohmann::json j = {{"checkpoint", f.checkpoint},
                        {"device", s.p.info.target},
                        {"mode", nas::search_mode_name(f.o.mode)},
                        {"metric", s.p.info.metric},
                        {"objective", s.objective.name},
                        {"truth", s.truth},
                        {"choices", nlohmann::json::array()}};
    for (const nas::Choice& c : choices) j["choices"].push_back(nas::choice_json(c));
    json->write(j.dump(2) + "\n");
    json->publish();
    std::cout << "  wrote " << f.json << "\n";
}

void run_search(Flags& f) {
    NASFLAT_CHECK(f.limits.empty() != f.energy_limits.empty(),
                  "search: pass --latency-max MS (a latency predictor) or --energy-max MJ (an "
                  "energy predictor), one or more values");
    const std::string flag = f.limits.empty() ? "--energy-max" : "--latency-max";
    if (f.limits.empty()) f.limits = f.energy_limits;
    for (double l : f.limits) {
        NASFLAT_CHECK(l > 0 && std::isfinite(l), flag, " ", l, " is not a positive number");
    }
    f.o.mode = nas::parse_search_mode(f.mode);
    f.o.check();
    if (!f.json.empty()) format_of(f.json, {"json"});
    check_output_is_not_input(f.json, {f.checkpoint, f.o.candidates, f.o.objective, f.o.truth},
                              "--json");
    const Device device = resolve_device(f.device);
    f.o.threads = scoring_threads(f.device, device);
    const nas::SearchSetup s = nas::load_search(f.checkpoint, device, f.data, f.o);
    NASFLAT_CHECK((flag == "--energy-max") == (s.p.info.metric == "energy"), f.checkpoint,
                  " predicts ", s.p.info.metric, "; fix: limit it with ",
                  s.p.info.metric == "energy" ? "--energy-max MJ" : "--latency-max MS");
    std::unique_ptr<StagedFile> json;
    if (!f.json.empty()) json = std::make_unique<StagedFile>(f.json);
    const std::vector<nas::Choice> choices = nas::search_limits(s, f.limits, f.o);
    print_choices(f, s, choices, json.get());
}

}  // namespace

void register_search(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("search",
                                     "latency-constrained NAS with a transferred "
                                     "predictor");
    add_data_option(*v, f.data);
    v->add_option("--checkpoint", f.checkpoint, "transferred predictor (.ckpt)")->required();
    v->add_option("--latency-max", f.limits, "latency limits in ms (one search each)");
    v->add_option("--energy-max", f.energy_limits,
                  "energy limits in mJ, for a predictor transferred to energy measurements");
    v->add_option("--mode", f.mode, "enumerate or evolution")->capture_default_str();
    v->add_option("--objective", f.o.objective,
                  "accuracy[:COLUMN] (NB201), params, flops, or a "
                  "JSON file of values (higher is better)")
        ->capture_default_str();
    v->add_option("--candidates", f.o.candidates,
                  "enumerate only these architectures (a JSON or "
                  "text arch list; default: the whole space)");
    v->add_option("--truth", f.o.truth,
                  "measured latencies: a data-folder device or a "
                  "measurement file (default: the checkpoint's device, when "
                  "the data folder has it)");
    v->add_option("--population", f.o.evolution.population, "evolution: population")
        ->check(CLI::Range(2, 1 << 24))
        ->capture_default_str();
    v->add_option("--tournament", f.o.evolution.tournament, "evolution: tournament size")
        ->check(CLI::Range(1, 1 << 24))
        ->capture_default_str();
    v->add_option("--children", f.o.evolution.children, "evolution: children per generation")
        ->check(CLI::Range(1, 1 << 24))
        ->capture_default_str();
    v->add_option("--generations", f.o.evolution.generations, "evolution: generations")
        ->check(CLI::Range(0, 1 << 24))
        ->capture_default_str();
    v->add_option("--json", f.json, "write the choices as JSON");
    add_seed_option(*v, f.o.evolution.seed);
    add_device_option(*v, f.device);
    add_threads_option(*v, f.device);
    v->callback([flags] { run_search(*flags); });
}

}  // namespace nasflat::cli
