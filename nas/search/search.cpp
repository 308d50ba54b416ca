// search.cpp — see search.h.
#include "nas/search/search.h"

#include "kernels/base/check.h"
#include "nas/data/arch_list.h"
#include "nas/data/encoding.h"
#include "nas/data/measurements.h"
#include "nas/predictor/training_steps.h"

namespace nasflat::nas {

SearchMode parse_search_mode(const std::string& text) {
    if (text == "enumerate") return SearchMode::Enumerate;
    if (text == "evolution") return SearchMode::Evolution;
    fail("--mode must be enumerate or evolution, got '", text, "'");
}

const char* search_mode_name(SearchMode mode) {
    return mode == SearchMode::Enumerate ? "enumerate" : "evolution";
}

void SearchOptions::check() const {
    NASFLAT_CHECK(candidates.empty() || mode == SearchMode::Enumerate,
                  "--candidates lists what enumerate scores; evolution makes its own candidates");
}

SearchSetup load_search(const std::string& checkpoint, Device device, const std::string& data,
                        const SearchOptions& o) {
    SearchSetup s;
    s.p = load_predictor(checkpoint, device);
    NASFLAT_CHECK(!s.p.info.target.empty() && s.p.info.calibration.fitted(), checkpoint,
                  " has no calibrated target device; fix: run `nasflat transfer` first");
    NASFLAT_CHECK(o.mode == SearchMode::Enumerate || s.p.info.supp == "none" ||
                      encodes_any_ops(s.p.info.supp),
                  "--mode evolution scores architectures outside the data folder, which have no "
                  "'", s.p.info.supp, "' encoding; fix: use a predictor pre-trained with --supp "
                  "flops, params, onehot or none");
    s.row = s.p.info.row_of(s.p.info.target);
    const std::string data_dir = resolve_data_dir(data);
    s.ctx = load_predictor_context(data_dir, s.p);
    s.objective = load_objective(o.objective, data_dir, s.ctx->space());
    // Measured values: o.truth, else the target's data-folder file when there is one.
    s.truth = o.truth;
    for (const auto& d : s.ctx->device_names()) {
        if (s.truth.empty() && d == s.p.info.target) s.truth = d;
    }
    if (s.p.info.metric != "latency" && o.truth.empty()) s.truth.clear();  // no such default
    if (!s.truth.empty())
        s.true_ms = measured_by_arch(s.truth, data_dir, s.ctx->space(), s.p.info.metric);
    return s;
}

nlohmann::json choice_json(const Choice& c) {
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

namespace {

// Predicted ms and objective by arch index over the candidates (NaN elsewhere).
struct Scored {
    std::vector<double> pred_ms, objective;
    int64_t count = 0;
};

Scored score_candidates(const SearchSetup& s, const SearchOptions& o) {
    const SearchSpace& ss = s.ctx->space();
    const std::vector<int32_t> candidates = load_arch_list_or_all(o.candidates, ss);
    Scored sc;
    sc.count = static_cast<int64_t>(candidates.size());
    sc.pred_ms.assign(ss.size(), std::nan(""));
    sc.objective.assign(ss.size(), std::nan(""));
    const std::vector<float> scores = predictor_scores(
        s.p, *s.ctx, candidates, s.row, default_score_batch(s.p.model->device()), o.threads);
    for (size_t k = 0; k < candidates.size(); ++k) {
        sc.pred_ms[candidates[k]] = s.p.info.calibration(scores[k]);
        sc.objective[candidates[k]] = objective_of(s.objective, ss, ss.ops(candidates[k]));
    }
    return sc;
}

Choice enumerate_choice(const SearchSetup& s, const Scored& sc, double limit) {
    Choice c;
    c.limit = limit;
    c.evaluated = sc.count;
    c.arch = best_under(sc.pred_ms, sc.objective, limit);
    if (c.arch >= 0) {
        c.text = s.ctx->space().arch_string(c.arch);
        c.predicted_ms = sc.pred_ms[c.arch];
        c.objective = sc.objective[c.arch];
    }
    return c;
}

// Calibrated predictions of op lists that need not be indexed architectures: their graphs (and
// supplementary encodings) are built on the fly.
std::vector<double> predicted_ms_of_ops(const SearchSetup& s,
                                        const std::vector<std::vector<int>>& batch, int threads) {
    std::vector<double> ms;
    for (double v : predictor_scores_of_ops(s.p, *s.ctx, batch, s.row,
                                            default_score_batch(s.p.model->device()), threads))
        ms.push_back(s.p.info.calibration(v));
    return ms;
}

Choice evolve_choice(const SearchSetup& s, double limit, const SearchOptions& o) {
    const SearchSpace& ss = s.ctx->space();
    const BatchLatency latency = [&](const std::vector<std::vector<int>>& batch) {
        return predicted_ms_of_ops(s, batch, o.threads);
    };
    const bool nb = ss.space() == Space::NB201;
    const EvolutionResult r = evolve(
        nb ? 6 : kFbnetNumLayers, nb ? kNb201NumOps : kFbnetNumOps, limit, latency,
        [&](const std::vector<int>& ops) { return objective_of(s.objective, ss, ops); },
        o.evolution);
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
void judge(Choice& c, const SearchSetup& s, const std::vector<double>& true_objective) {
    if (s.true_ms.empty()) return;
    if (c.arch >= 0) c.true_ms = s.true_ms[c.arch];
    c.optimum = best_under(s.true_ms, true_objective, c.limit);
    if (c.optimum < 0) return;
    c.optimum_objective = true_objective[c.optimum];
    c.optimum_ms = s.true_ms[c.optimum];
    if (std::isfinite(c.objective)) c.regret = c.optimum_objective - c.objective;
}

}  // namespace

std::vector<Choice> search_limits(const SearchSetup& s, const std::vector<double>& limits,
                                  const SearchOptions& o) {
    o.check();
    const SearchSpace& ss = s.ctx->space();
    std::vector<Choice> choices;
    if (o.mode == SearchMode::Enumerate) {
        // The true optimum is over what the search could choose: the candidates.
        const Scored sc = score_candidates(s, o);
        for (double limit : limits) {
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
        for (double limit : limits) {
            choices.push_back(evolve_choice(s, limit, o));
            judge(choices.back(), s, all);
        }
    }
    return choices;
}

}  // namespace nasflat::nas
