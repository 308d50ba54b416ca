// predictor.cpp — see predictor.h.
#include "nas/predictor/predictor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "kernels/base/check.h"
#include "nas/base/metrics.h"
#include "nas/predictor/training_steps.h"

namespace nasflat::nas {

// ---- PredictorInfo --------------------------------------------------------------------------

nlohmann::json PredictorInfo::to_json() const {
    return {{"format", "nasflat-predictor"},
            {"space", space_name(space)},
            {"graph_mode", models::flavor_name(graph_mode)},
            {"devices", devices},
            {"sources", sources},
            {"supp", supp},
            {"supp_normalisation", supp_normalisation},
            {"target", target},
            {"metric", metric},
            {"blend", blend.empty() ? nlohmann::json() : blend.to_json()},
            {"calibration", calibration.to_json()},
            {"pretrain", pretrain},
            {"transfer", transfer}};
}

PredictorInfo PredictorInfo::from_json(const nlohmann::json& j, const std::string& file) {
    PredictorInfo p;
    try {
        NASFLAT_CHECK(j.value("format", "") == "nasflat-predictor", "checkpoint '", file,
                      "' holds a model but no predictor description; fix: write it with "
                      "`nasflat pretrain` or `nasflat transfer`");
        p.space = parse_space(j.at("space").get<std::string>());
        p.graph_mode = models::parse_flavor(j.at("graph_mode").get<std::string>());
        p.devices = j.at("devices").get<std::vector<std::string>>();
        p.sources = j.at("sources").get<std::vector<std::string>>();
        p.supp = j.at("supp").get<std::string>();
        p.supp_normalisation = j.at("supp_normalisation");
        p.target = j.at("target").get<std::string>();
        p.metric = j.value("metric", std::string("latency"));
        p.calibration = Calibration::from_json(j.at("calibration"), file);
        p.blend = Blend::from_json(j.value("blend", nlohmann::json()), file);
        p.pretrain = j.value("pretrain", nlohmann::json::object());
        p.transfer = j.value("transfer", nlohmann::json::object());
    } catch (const nlohmann::json::exception& e) {
        fail("checkpoint '", file, "': bad predictor description (", e.what(),
             "); fix: write it again with `nasflat pretrain`");
    }
    for (const auto& s : p.sources) {
        NASFLAT_CHECK(p.row_of(s) >= 0, "checkpoint '", file, "': source device '", s,
                      "' is not in its device table");
    }
    NASFLAT_CHECK(p.metric == "latency" || p.metric == "energy", "checkpoint '", file,
                  "': unknown metric '", printable(p.metric, 40), "'");
    NASFLAT_CHECK(p.target.empty() || p.row_of(p.target) >= 0, "checkpoint '", file,
                  "': target device '", p.target, "' is not in its device table");
    return p;
}

int PredictorInfo::row_of(const std::string& device) const {
    for (size_t i = 0; i < devices.size(); ++i) {
        if (devices[i] == device) return static_cast<int>(i);
    }
    return -1;
}

// ---- files ------------------------------------------------------------------------------

Predictor load_predictor(const std::string& path, Device device) {
    models::Checkpoint c = models::load_checkpoint(path);
    Predictor p;
    p.info = PredictorInfo::from_json(c.metadata, path);
    NASFLAT_CHECK(static_cast<int>(p.info.devices.size()) <= c.config.device_vocab,
                  "checkpoint '", path, "': ", p.info.devices.size(), " devices but ",
                  c.config.device_vocab, " embedding rows");
    p.model = c.build(device);
    return p;
}

void save_predictor(const std::string& path, const Predictor& p) {
    models::save_checkpoint(path, *p.model, p.info.to_json());
}

std::string predictor_bytes(const Predictor& p) {
    return models::checkpoint_bytes(*p.model, p.info.to_json());
}

nlohmann::json encoding_normalisation(const Encoding& e) {
    nlohmann::json cols = nlohmann::json::array();
    for (int c = 0; c < e.dim; ++c) {
        cols.push_back({{"column", e.columns[c]},
                        {"kind", e.norms[c].kind},
                        {"shift", e.norms[c].shift},
                        {"scale", e.norms[c].scale}});
    }
    return cols;
}

std::unique_ptr<SpaceContext> load_predictor_context(const std::string& data_dir,
                                                     const Predictor& p) {
    auto ctx = SpaceContext::load(data_dir, p.info.space, p.info.graph_mode);
    const auto& manifest = ctx->device_names();
    for (size_t i = 0; i < manifest.size() && i < p.info.devices.size(); ++i) {
        NASFLAT_CHECK(manifest[i] == p.info.devices[i], "the data folder ", data_dir,
                      " lists device '", manifest[i], "' at embedding row ", i,
                      " but the checkpoint has '", p.info.devices[i],
                      "'; fix: use the data folder the predictor was trained with");
    }
    if (p.info.supp != "none") {
        const nlohmann::json now = encoding_normalisation(ctx->encoding(p.info.supp));
        const nlohmann::json& then = p.info.supp_normalisation;
        bool same = now.size() == then.size();
        for (size_t i = 0; same && i < now.size(); ++i) {
            for (const char* k : {"shift", "scale"}) {
                const double a = now[i][k].get<double>(), b = then[i].value(k, std::nan(""));
                same = same && std::fabs(a - b) <= 1e-9 * (1 + std::fabs(a));
            }
            same = same && now[i]["column"] == then[i].value("column", "") &&
                   now[i]["kind"] == then[i].value("kind", "");
        }
        NASFLAT_CHECK(same, "the '", p.info.supp, "' encoding of the data folder ", data_dir,
                      " is normalised with other constants than the checkpoint's; fix: use "
                      "the data folder it was trained with, or pre-train again");
    }
    return ctx;
}

// ---- the verbs' steps ---------------------------------------------------------------------

Predictor pretrain_predictor(const PretrainRecipe& recipe, SpaceContext& ctx,
                             const std::vector<std::string>& sources, std::ostream& progress) {
    PretrainRecipe o = recipe;
    o.resolve();
    NASFLAT_CHECK(!sources.empty(), "pretrain: no source devices; fix: pass --task or --devices");
    o.fit_to_sources(sources.size());
    for (const auto& s : sources) ctx.device_row(s);  // unknown names -> error listing them
    const auto t0 = Clock::now();
    Predictor p;
    const uint64_t trial_seed = derive_seed(o.seed, 0);
    p.model = std::make_unique<models::NasflatModel>(recipe_model_config(o, ctx),
                                                     derive_seed(trial_seed, 1), o.device);
    const double loss =
        pretrain_on_sources(*p.model, o, ctx, sources, trial_seed, progress, "sources");
    p.info.space = o.space;
    p.info.graph_mode = ctx.graph_mode();
    p.info.devices = ctx.device_names();
    p.info.sources = sources;
    p.info.supp = o.supp;
    if (o.supp != "none") p.info.supp_normalisation = encoding_normalisation(ctx.encoding(o.supp));
    p.info.pretrain = {{"source_samples", o.source_samples},
                       {"epochs", o.epochs},
                       {"lr", o.lr},
                       {"batch_size", o.batch_size},
                       {"weight_decay", o.weight_decay},
                       {"eta_min", o.eta_min},
                       {"source_sampler", o.source_sampler},
                       {"score_once", o.scoring == models::PairScoring::ScoreOnce},
                       {"seed", o.seed},
                       {"final_loss", std::isfinite(loss) ? nlohmann::json(loss) : nullptr},
                       {"seconds", seconds_since(t0)}};
    return p;
}

std::vector<float> predictor_scores(const Predictor& p, SpaceContext& ctx,
                                    const std::vector<int32_t>& archs, int row, int batch,
                                    int threads) {
    const bool blended = !p.info.blend.model_only() && row == p.info.row_of(p.info.target);
    bool model_needed = !blended;
    for (const auto& m : p.info.blend.members) model_needed = model_needed || m.is_predictor();
    const std::vector<float> model =
        model_needed
            ? models::predict(*p.model, arch_table(ctx, p.info.supp), archs, row, batch, threads)
            : std::vector<float>();
    if (!blended) return model;
    std::vector<std::vector<double>> member_scores;
    for (const auto& m : p.info.blend.members) {
        member_scores.push_back(m.is_predictor() ? std::vector<double>(model.begin(), model.end())
                                                 : prior_scores(m.prior, ctx, archs));
    }
    const std::vector<double> b = blend_scores(p.info.blend, member_scores);
    return std::vector<float>(b.begin(), b.end());
}

std::vector<double> blend_of_ops(const Predictor& p, const SearchSpace& ss,
                                 const std::vector<std::vector<int>>& ops,
                                 const std::vector<float>& model_scores) {
    if (p.info.blend.model_only()) return std::vector<double>(model_scores.begin(), model_scores.end());
    Blend usable;
    double total = 0;
    for (const auto& m : p.info.blend.members) {
        if (m.is_predictor() || m.prior.scores_any_ops()) {
            usable.members.push_back(m);
            total += m.weight;
        }
    }
    NASFLAT_CHECK(total > 0, "the checkpoint's choice (", p.info.blend.describe(),
                  ") scores only architectures of the data folder; fix: search with --mode "
                  "enumerate, or transfer with --priors flops,params");
    std::vector<std::vector<double>> member_scores;
    for (auto& m : usable.members) {
        m.weight /= total;
        std::vector<double> s;
        for (size_t k = 0; k < ops.size(); ++k)
            s.push_back(m.is_predictor() ? model_scores[k] : prior_score_of_ops(m.prior, ss, ops[k]));
        member_scores.push_back(std::move(s));
    }
    return blend_scores(usable, member_scores);
}

std::vector<double> predictor_scores_of_ops(const Predictor& p, SpaceContext& ctx,
                                            const std::vector<std::vector<int>>& ops, int row,
                                            int batch, int threads) {
    const SearchSpace& ss = ctx.space();
    const std::vector<ColumnNorm> norms =
        p.info.supp == "none" ? std::vector<ColumnNorm>{} : ctx.encoding(p.info.supp).norms;
    std::vector<models::ArchGraph> graphs;
    graphs.reserve(ops.size());
    for (const auto& o : ops) graphs.push_back(ss.graph_of_ops(o, ctx.graph_mode()));
    std::vector<int32_t> idx(graphs.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::vector<float> supp;  // (ops, dim), the supplementary encoding when there is one
    if (!norms.empty()) supp = encode_ops(ss, p.info.supp, norms, ops);
    const models::ArchTable table{&graphs, supp.empty() ? nullptr : supp.data(),
                                  static_cast<int>(norms.size())};
    const std::vector<float> model = models::predict(*p.model, table, idx, row, batch, threads);
    if (row != p.info.row_of(p.info.target)) return std::vector<double>(model.begin(), model.end());
    return blend_of_ops(p, ss, ops, model);
}

TruthComparison compare_with_truth(const Predictor& p, const std::vector<int32_t>& archs,
                                   const std::vector<float>& scores, const std::vector<double>& ms,
                                   const std::vector<double>& truth_ms,
                                   const std::string& truth_name) {
    std::unordered_set<int32_t> fitted;
    if (p.info.transfer.contains("archs")) {
        for (int32_t a : p.info.transfer["archs"].get<std::vector<int32_t>>()) fitted.insert(a);
    }
    TruthComparison c;
    c.fitted = fitted.size();
    for (size_t k = 0; k < archs.size(); ++k) {
        if (std::isnan(truth_ms[archs[k]]) || fitted.count(archs[k])) continue;
        c.scores.push_back(scores[k]);
        c.measured.push_back(truth_ms[archs[k]]);
        c.predicted_ms.push_back(ms[k]);
    }
    NASFLAT_CHECK(c.scores.size() >= 2, "--truth ", truth_name, ": fewer than 2 of the predicted "
                  "architectures are measured there (the fitted ones left out)");
    c.spearman = spearman(c.scores, c.measured);
    c.kendall = kendall_tau_b(c.scores, c.measured);
    c.has_ms = !std::isnan(ms.empty() ? NAN : ms[0]);
    c.mape = c.has_ms ? mape(c.predicted_ms, c.measured) : std::nan("");
    return c;
}

}  // namespace nasflat::nas
