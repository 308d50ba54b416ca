// verb_search.cpp — `nasflat search`: latency-constrained NAS with a transferred predictor.
//   enumerate (default): score every architecture of the space (or of --candidates), keep
//     those whose predicted latency is within --latency-max, take the best objective;
//   evolution: regularised evolution over op lists (nas/search.h), for spaces too large to
//     enumerate (e.g. the full 9^22 FBNet space with --objective params or flops).
// Objective: accuracy[:COLUMN] (NB201, <data>/nb201/accuracy.json, default column
// cifar10_valid_200ep), params, flops, or a JSON file {"space", "arch_index"|"archs",
// "values"} (higher is better). With measured latencies (--truth DEVICE|FILE; default the
// checkpoint's device when the data folder has it) each choice is reported with its true
// latency and the regret against the true optimum under the same limit among what the search
// could choose (optimum objective minus the choice's; negative only when the choice breaks the
// limit in truth).
// Example:
//   nasflat search --checkpoint pixel2.ckpt --latency-max 14 18 22
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/accuracy.h"
#include "nas/arch_list.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/cli/verbs.h"
#include "nas/encoding.h"
#include "nas/json_io.h"
#include "nas/measurements.h"
#include "nas/predictor.h"
#include "nas/search.h"
#include "nas/training_steps.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, checkpoint, mode = "enumerate", objective = "accuracy", truth, json;
    DeviceFlag device;
    std::string candidates;
    std::vector<double> limits, energy_limits;  // --latency-max (ms) / --energy-max (mJ)
    nas::EvolutionOptions evo;
};

// Objective by arch index (NaN = unknown), or empty for params/flops (computed from ops).
struct ObjectiveTable {
    std::string name;
    std::vector<double> by_index;  // empty: params / flops from the ops
    bool params = false;
};

ObjectiveTable load_objective(const std::string& spec, const std::string& data_dir,
                              const nas::SearchSpace& ss) {
    ObjectiveTable t;
    t.name = spec;
    if (spec == "params" || spec == "flops") {
        t.params = spec == "params";
        return t;
    }
    if (spec.rfind("accuracy", 0) == 0 && !std::filesystem::exists(spec)) {
        NASFLAT_CHECK(ss.space() == nas::Space::NB201,
                      "--objective accuracy: the data folder "
                      "has accuracies for NB201 only; fix: use params, flops or a JSON file");
        const nas::AccuracyTable acc = nas::load_accuracy(data_dir);
        const std::string column =
            spec.size() > 9 && spec[8] == ':' ? spec.substr(9) : acc.recommended;
        NASFLAT_CHECK(spec == "accuracy" || spec.size() > 9, "--objective ", spec,
                      ": write accuracy or accuracy:COLUMN");
        t.name = "accuracy:" + column;
        t.by_index = acc.column(column);
        return t;
    }
    // A user's file: {"space", "arch_index" | "archs", "values"}.
    const nas::Json root = nas::read_json_file(spec);
    nas::as_object(root, spec, "top level");
    const std::vector<int32_t> archs = nas::read_arch_indices(root, ss, spec);
    const std::vector<double> values = nas::get_number_array(
        root, "values", spec, nas::NullPolicy::AsNaN, nas::SignPolicy::AnySign, "objective value");
    if (values.size() != archs.size()) {
        nas::file_error(spec, "values",
                        std::to_string(values.size()) + " values for " +
                            std::to_string(archs.size()) + " architectures",
                        "give one value per architecture");
    }
    t.by_index.assign(ss.size(), std::nan(""));
    for (size_t k = 0; k < archs.size(); ++k) t.by_index[archs[k]] = values[k];
    return t;
}

double objective_of(const ObjectiveTable& t, const nas::SearchSpace& ss,
                    const std::vector<int>& ops) {
    if (t.by_index.empty()) {
        const nas::Cost c = ss.cost_of_ops(ops);
        return t.params ? c.params : c.flops;
    }
    const int index = ss.find(ops);
    return index < 0 ? std::nan("") : t.by_index[index];
}

struct Choice {
    double limit = 0;
    int arch = -1;     // index, -1 when not indexed / none found
    std::string text;  // arch string / op list ("" = none)
    double predicted_ms = NAN, true_ms = NAN, objective = NAN;
    int optimum = -1;
    double optimum_objective = NAN, optimum_ms = NAN, regret = NAN;
    int64_t evaluated = 0;
};

nlohmann::json to_json(const Choice& c) {
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; };
    return {{"latency_max_ms", c.limit},
            {"arch_index", c.arch >= 0 ? nlohmann::json(c.arch) : nullptr},
            {"arch", c.text},
            {"predicted_ms", num(c.predicted_ms)},
            {"true_ms", num(c.true_ms)},
            {"objective", num(c.objective)},
            {"optimum_arch_index", c.optimum >= 0 ? nlohmann::json(c.optimum) : nullptr},
            {"optimum_objective", num(c.optimum_objective)},
            {"optimum_ms", num(c.optimum_ms)},
            {"regret", num(c.regret)},
            {"within_limit_in_truth",
             std::isfinite(c.true_ms) ? nlohmann::json(c.true_ms <= c.limit) : nullptr},
            {"evaluated", c.evaluated}};
}

// Everything a search needs: the predictor, its space, the objective, the measured latency.
struct Setup {
    nas::Predictor p;
    std::unique_ptr<nas::SpaceContext> ctx;
    int row = -1;
    int threads = 1;  // CPU scoring threads
    ObjectiveTable objective;
    std::string truth;            // "" = no measured latency
    std::vector<double> true_ms;  // by arch index, NaN = not measured (empty without truth)
};

Setup load_setup(const Flags& f) {
    Setup s;
    const Device device = resolve_device(f.device);
    s.p = nas::load_predictor(f.checkpoint, device);
    s.threads = scoring_threads(f.device, device);
    NASFLAT_CHECK(!s.p.info.target.empty() && s.p.info.calibration.fitted(), f.checkpoint,
                  " has no calibrated target device; fix: run `nasflat transfer` first");
    NASFLAT_CHECK(f.mode == "enumerate" || s.p.info.supp == "none" ||
                      nas::encodes_any_ops(s.p.info.supp),
                  "--mode evolution scores architectures outside the data folder, which have no "
                  "'", s.p.info.supp, "' encoding; fix: use a predictor pre-trained with --supp "
                  "flops, params, onehot or none");
    s.row = s.p.info.row_of(s.p.info.target);
    const std::string data_dir = nas::resolve_data_dir(f.data);
    s.ctx = nas::load_predictor_context(data_dir, s.p);
    s.objective = load_objective(f.objective, data_dir, s.ctx->space());
    // Measured latency: --truth, else the target's data-folder file when there is one.
    s.truth = f.truth;
    for (const auto& d : s.ctx->device_names()) {
        if (s.truth.empty() && d == s.p.info.target) s.truth = d;
    }
    if (s.p.info.metric != "latency" && f.truth.empty()) s.truth.clear();  // no such default
    if (!s.truth.empty())
        s.true_ms = nas::measured_by_arch(s.truth, data_dir, s.ctx->space(), s.p.info.metric);
    return s;
}

// Predicted ms and objective by arch index over the candidates (NaN elsewhere).
struct Scored {
    std::vector<double> pred_ms, objective;
    int64_t count = 0;
};

Scored score_candidates(const Setup& s, const std::string& candidates_file) {
    const nas::SearchSpace& ss = s.ctx->space();
    std::vector<int32_t> candidates;
    if (candidates_file.empty()) {
        for (int a = 0; a < ss.size(); ++a) candidates.push_back(a);
    } else {
        candidates = nas::load_arch_list(candidates_file, ss);
    }
    Scored sc;
    sc.count = static_cast<int64_t>(candidates.size());
    sc.pred_ms.assign(ss.size(), std::nan(""));
    sc.objective.assign(ss.size(), std::nan(""));
    const std::vector<float> scores = nas::predictor_scores(
        s.p, *s.ctx, candidates, s.row, nas::default_score_batch(s.p.model->device()), s.threads);
    for (size_t k = 0; k < candidates.size(); ++k) {
        sc.pred_ms[candidates[k]] = s.p.info.calibration(scores[k]);
        sc.objective[candidates[k]] = objective_of(s.objective, ss, ss.ops(candidates[k]));
    }
    return sc;
}

Choice enumerate_choice(const Setup& s, const Scored& sc, double limit) {
    Choice c;
    c.limit = limit;
    c.evaluated = sc.count;
    c.arch = nas::best_under(sc.pred_ms, sc.objective, limit);
    if (c.arch >= 0) {
        c.text = s.ctx->space().arch_string(c.arch);
        c.predicted_ms = sc.pred_ms[c.arch];
        c.objective = sc.objective[c.arch];
    }
    return c;
}

Choice evolve_choice(const Setup& s, double limit, const nas::EvolutionOptions& eo) {
    const nas::SearchSpace& ss = s.ctx->space();
    // Op lists need not be indexed architectures: their graphs are built on the fly.
    const nas::BatchLatency latency = [&](const std::vector<std::vector<int>>& batch) {
        std::vector<double> ms;
        for (double v : nas::predictor_scores_of_ops(
                 s.p, *s.ctx, batch, s.row, nas::default_score_batch(s.p.model->device()),
                 s.threads))
            ms.push_back(s.p.info.calibration(v));
        return ms;
    };
    const bool nb = ss.space() == nas::Space::NB201;
    const nas::EvolutionResult r = nas::evolve(
        nb ? 6 : nas::kFbnetNumLayers, nb ? nas::kNb201NumOps : nas::kFbnetNumOps, limit, latency,
        [&](const std::vector<int>& ops) { return objective_of(s.objective, ss, ops); }, eo);
    Choice c;
    c.limit = limit;
    c.evaluated = r.evaluated;
    if (!r.best_ops.empty()) {
        c.arch = ss.find(r.best_ops);
        c.text = ss.text_of_ops(r.best_ops);
        c.predicted_ms = r.best_latency_ms;
        c.objective = r.best_objective;
    }
    return c;
}

// True latency of the choice, the true optimum under its limit among `true_objective`'s
// entries, and the regret.
void judge(Choice& c, const Setup& s, const std::vector<double>& true_objective) {
    if (s.true_ms.empty()) return;
    if (c.arch >= 0) c.true_ms = s.true_ms[c.arch];
    c.optimum = nas::best_under(s.true_ms, true_objective, c.limit);
    if (c.optimum < 0) return;
    c.optimum_objective = true_objective[c.optimum];
    c.optimum_ms = s.true_ms[c.optimum];
    if (std::isfinite(c.objective)) c.regret = c.optimum_objective - c.objective;
}

// The table on stdout; with --json, the choices staged into `json` (published by the caller).
void print_choices(const Flags& f, const Setup& s, const std::vector<Choice>& choices,
                   StagedFile* json) {
    const std::string u = s.p.info.metric == "energy" ? "mj" : "ms";
    std::cout << "search (" << f.mode << ") on " << s.p.info.target << ", objective "
              << s.objective.name
              << (s.truth.empty() ? "" : ", true " + s.p.info.metric + " from " + s.truth)
              << "\n  limit_" << u << "  predicted_" << u << "   true_" << u
              << "  objective  optimum  regret  arch\n";
    for (const Choice& c : choices) {
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
                        {"mode", f.mode},
                        {"metric", s.p.info.metric},
                        {"objective", s.objective.name},
                        {"truth", s.truth},
                        {"choices", nlohmann::json::array()}};
    for (const Choice& c : choices) j["choices"].push_back(to_json(c));
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
    NASFLAT_CHECK(f.mode == "enumerate" || f.mode == "evolution",
                  "--mode must be enumerate or "
                  "evolution, got '",
                  f.mode, "'");
    NASFLAT_CHECK(f.candidates.empty() || f.mode == "enumerate",
                  "--candidates lists what "
                  "enumerate scores; evolution makes its own candidates");
    if (!f.json.empty()) format_of(f.json, {"json"});
    check_output_is_not_input(f.json, {f.checkpoint, f.candidates, f.objective, f.truth}, "--json");
    const Setup s = load_setup(f);
    NASFLAT_CHECK((flag == "--energy-max") == (s.p.info.metric == "energy"), f.checkpoint,
                  " predicts ", s.p.info.metric, "; fix: limit it with ",
                  s.p.info.metric == "energy" ? "--energy-max MJ" : "--latency-max MS");
    std::unique_ptr<StagedFile> json;
    if (!f.json.empty()) json = std::make_unique<StagedFile>(f.json);
    const nas::SearchSpace& ss = s.ctx->space();
    std::vector<Choice> choices;
    if (f.mode == "enumerate") {
        // The true optimum is over what the search could choose: the candidates.
        const Scored sc = score_candidates(s, f.candidates);
        for (double limit : f.limits) {
            choices.push_back(enumerate_choice(s, sc, limit));
            judge(choices.back(), s, sc.objective);
        }
    } else {
        // Evolving, it is over the whole space.
        std::vector<double> all;
        if (!s.true_ms.empty()) {
            for (int a = 0; a < ss.size(); ++a)
                all.push_back(objective_of(s.objective, ss, ss.ops(a)));
        }
        for (double limit : f.limits) {
            choices.push_back(evolve_choice(s, limit, f.evo));
            judge(choices.back(), s, all);
        }
    }
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
    v->add_option("--objective", f.objective,
                  "accuracy[:COLUMN] (NB201), params, flops, or a "
                  "JSON file of values (higher is better)")
        ->capture_default_str();
    v->add_option("--candidates", f.candidates,
                  "enumerate only these architectures (a JSON or "
                  "text arch list; default: the whole space)");
    v->add_option("--truth", f.truth,
                  "measured latencies: a data-folder device or a "
                  "measurement file (default: the checkpoint's device, when "
                  "the data folder has it)");
    v->add_option("--population", f.evo.population, "evolution: population")
        ->check(CLI::Range(2, 1 << 24))
        ->capture_default_str();
    v->add_option("--tournament", f.evo.tournament, "evolution: tournament size")
        ->check(CLI::Range(1, 1 << 24))
        ->capture_default_str();
    v->add_option("--children", f.evo.children, "evolution: children per generation")
        ->check(CLI::Range(1, 1 << 24))
        ->capture_default_str();
    v->add_option("--generations", f.evo.generations, "evolution: generations")
        ->check(CLI::Range(0, 1 << 24))
        ->capture_default_str();
    v->add_option("--json", f.json, "write the choices as JSON");
    add_seed_option(*v, f.evo.seed);
    add_device_option(*v, f.device);
    add_threads_option(*v, f.device);
    v->callback([flags] { run_search(*flags); });
}

}  // namespace nasflat::cli
