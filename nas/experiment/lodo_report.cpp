// lodo_report.cpp — the leave-one-device-out result as JSON (write, read back, merge) and as
// the Markdown table of docs/results.md (lodo.h).
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/experiment/lodo.h"

namespace nasflat::nas {

namespace {

// The ways of ranking a device's architectures that the table compares, in column order.
// Optional columns (the baseline predictors) are NaN when not run: left out of the JSON and of
// the table.
struct Column {
    const char* key;
    const char* title;
    double LodoDraw::*value;
    bool optional = false;
};
const std::vector<Column>& all_columns() {
    static const std::vector<Column> c = {
        {"answer", "answer", &LodoDraw::answer},
        {"model", "model alone", &LodoDraw::model},
        {"flops", "FLOPs", &LodoDraw::flops},
        {"params", "params", &LodoDraw::params},
        {"device", "best device (T)", &LodoDraw::device},
        {"ridge", "ridge (T)", &LodoDraw::ridge},
        {"oracle", "oracle device", &LodoDraw::oracle},
        {"help", "HELP", &LodoDraw::help, true},
        {"multipredict", "MultiPredict", &LodoDraw::multipredict, true}};
    return c;
}

// The columns of a result: the optional ones only where some draw has a value.
std::vector<Column> columns(const LodoResult& r) {
    std::vector<Column> out;
    for (const Column& c : all_columns()) {
        bool present = !c.optional;
        for (const auto& d : r.devices)
            for (const auto& x : d.draws) present = present || std::isfinite(x.*(c.value));
        if (present) out.push_back(c);
    }
    return out;
}

double mean_over_draws(const LodoDevice& d, double LodoDraw::*value) {
    double s = 0;
    for (const auto& r : d.draws) s += r.*value;
    return d.draws.empty() ? 0 : s / d.draws.size();
}

double mean_rule(const LodoDevice& d, size_t rule) {
    double s = 0;
    for (const auto& r : d.draws) s += r.by_rule.at(rule);
    return d.draws.empty() ? 0 : s / d.draws.size();
}

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

nlohmann::json options_json(const LodoOptions& o) {
    const PretrainRecipe& m = o.model;
    nlohmann::json j = {{"space", space_name(m.space)},
                        {"metric", o.metric},
                        {"samples", o.samples},
                        {"draws", o.draws},
                        {"sampler", o.sampler},
                        {"config", models::flavor_name(m.flavor)},
                        {"supp", m.supp},
                        {"source_samples", m.source_samples},
                        {"epochs", m.epochs},
                        {"score_once", m.scoring == models::PairScoring::ScoreOnce},
                        {"seed", m.seed},
                        {"transfer_epochs", o.transfer.epochs},
                        {"transfer_lr", o.transfer.lr},
                        {"folds", o.transfer.folds},
                        {"priors", o.transfer.priors},
                        {"blend", o.transfer.blend_rule.name()},
                        {"rules", o.rules}};
    if (!o.baselines.empty()) {
        j["baselines"] = o.baselines;
        j["help"] = {{"episodes", o.help.episodes},
                     {"mc_sampling", o.help.mc_sampling},
                     {"first_order", o.help.first_order}};
        j["multipredict"] = {{"source_samples", o.multipredict.source_samples},
                             {"epochs", o.multipredict.epochs},
                             {"transfer_epochs", o.multipredict.transfer_epochs},
                             {"mc_rounds", o.multipredict.mc_rounds}};
    }
    return j;
}

}  // namespace

nlohmann::json lodo_json(const LodoResult& r) {
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& d : r.devices) {
        nlohmann::json draws = nlohmann::json::array();
        for (const auto& x : d.draws) {
            nlohmann::json j = {{"archs", x.archs},
                                {"choice", x.choice},
                                {"answer_kendall", std::isfinite(x.answer_kendall)
                                                       ? nlohmann::json(x.answer_kendall)
                                                       : nlohmann::json(nullptr)},
                                {"device_name", x.device_name},
                                {"oracle_name", x.oracle_name},
                                {"oof_names", x.oof_names},
                                {"oof", x.oof},
                                {"by_rule", x.by_rule}};
            for (const auto& c : all_columns())
                if (!c.optional || std::isfinite(x.*(c.value))) j[c.key] = x.*(c.value);
            draws.push_back(j);
        }
        devices.push_back({{"device", d.device},
                           {"family", d.family},
                           {"sources", d.sources},
                           {"scored", d.scored},
                           {"draws", draws}});
    }
    // A result read back from JSON keeps the options as they were written (r.options holds
    // only the few that the tables need).
    const nlohmann::json options = r.settings.is_null() ? options_json(r.options) : r.settings;
    return {{"options", options}, {"devices", devices}, {"seconds", r.seconds}};
}

LodoResult lodo_from_json(const nlohmann::json& j, const std::string& file) {
    LodoResult r;
    try {
        const auto& o = j.at("options");
        r.options.model.space = parse_space(o.at("space").get<std::string>());
        r.options.metric = o.at("metric").get<std::string>();
        r.options.samples = o.at("samples").get<int>();
        r.options.draws = o.at("draws").get<int>();
        r.options.sampler = o.value("sampler", std::string("random"));
        r.options.rules = o.at("rules").get<std::vector<std::string>>();
        r.seconds = j.value("seconds", 0.0);
        for (const auto& d : j.at("devices")) {
            LodoDevice ld;
            ld.device = d.at("device").get<std::string>();
            ld.family = d.at("family").get<std::string>();
            ld.sources = d.at("sources").get<int>();
            ld.scored = d.at("scored").get<int>();
            for (const auto& x : d.at("draws")) {
                LodoDraw w;
                w.archs = x.at("archs").get<std::vector<int32_t>>();
                w.choice = x.at("choice").get<std::string>();
                const auto& k = x.at("answer_kendall");
                w.answer_kendall = k.is_null() ? std::nan("") : k.get<double>();
                w.device_name = x.at("device_name").get<std::string>();
                w.oracle_name = x.at("oracle_name").get<std::string>();
                w.oof_names = x.at("oof_names").get<std::vector<std::string>>();
                w.oof = x.at("oof").get<std::vector<double>>();
                w.by_rule = x.at("by_rule").get<std::vector<double>>();
                for (const auto& c : all_columns())
                    if (!c.optional || x.contains(c.key)) w.*(c.value) = x.at(c.key).get<double>();
                ld.draws.push_back(w);
            }
            r.devices.push_back(ld);
        }
        r.settings = o;
    } catch (const nlohmann::json::exception&) {
        fail(file, ": not a result of `nasflat lodo`; fix: pass files written by its --json");
    }
    return r;
}

LodoResult merge_lodo(const std::vector<LodoResult>& parts) {
    NASFLAT_CHECK(!parts.empty(), "lodo --merge: no result files");
    LodoResult all = parts[0];
    for (size_t i = 1; i < parts.size(); ++i) {
        NASFLAT_CHECK(parts[i].settings == parts[0].settings,
                      "lodo --merge: the runs used different settings; merge runs of one "
                      "command split by --targets only");
        for (const auto& d : parts[i].devices) {
            for (const auto& e : all.devices)
                NASFLAT_CHECK(e.device != d.device, "lodo --merge: device ", d.device,
                              " appears in two runs");
            all.devices.push_back(d);
        }
        all.seconds += parts[i].seconds;
    }
    return all;
}

void reanswer_lodo(LodoResult& r, const std::string& rule) {
    const auto& rules = r.options.rules;
    const auto at = std::find(rules.begin(), rules.end(), rule);
    NASFLAT_CHECK(at != rules.end(), "lodo --answer-rule: '", printable(rule, 60),
                  "' was not evaluated by these runs; fix: use one of ", join_names(rules));
    const size_t k = static_cast<size_t>(at - rules.begin());
    for (auto& d : r.devices) {
        for (auto& x : d.draws) {
            x.answer = x.by_rule.at(k);
            x.answer_kendall = std::nan("");  // not recorded per rule
            x.choice = "(" + rule + ", not recorded)";
        }
    }
    r.settings["blend"] = rule;
    r.settings["blend_note"] = "answer re-read from the runs' '" + rule + "' rule column";
}

std::string lodo_markdown(const LodoResult& r) {
    std::ostringstream md;
    md << std::fixed << std::setprecision(3);
    const std::vector<Column> cols = columns(r);
    md << "| device | family |";
    for (const auto& c : cols) md << " " << c.title << " |";
    md << " answered with (draw 1) |\n|---|---|";
    for (size_t i = 0; i < cols.size(); ++i) md << "---:|";
    md << "---|\n";
    std::map<std::string, std::vector<double>> by_column;
    int beats_flops = 0, beats_device = 0, beats_all = 0, within = 0, flops_hard = 0,
        beats_flops_hard = 0;
    for (const auto& d : r.devices) {
        md << "| " << d.device << " | " << d.family << " |";
        for (const auto& c : cols) {
            const double v = mean_over_draws(d, c.value);
            if (!std::isfinite(v)) {  // an optional column this device has no value in
                md << " - |";
                continue;
            }
            by_column[c.key].push_back(v);
            md << " " << v << " |";
        }
        md << " " << (d.draws.empty() ? "" : d.draws[0].choice) << " |\n";
        const double a = mean_over_draws(d, &LodoDraw::answer);
        const double fl = mean_over_draws(d, &LodoDraw::flops);
        const double best_simple =
            std::max({fl, mean_over_draws(d, &LodoDraw::params),
                      mean_over_draws(d, &LodoDraw::device), mean_over_draws(d, &LodoDraw::ridge)});
        beats_flops += a > fl;
        beats_device += a > mean_over_draws(d, &LodoDraw::device);
        beats_all += a > best_simple;
        within += a >= best_simple - 0.02;
        if (fl < 0.95) {
            ++flops_hard;
            beats_flops_hard += a > fl;
        }
    }
    const size_t n = r.devices.size();
    md << "| **median** | |";
    for (const auto& c : cols) md << " **" << median(by_column[c.key]) << "** |";
    md << " |\n| **worst** | |";
    for (const auto& c : cols) {
        const auto& v = by_column[c.key];
        md << " " << (v.empty() ? 0.0 : *std::min_element(v.begin(), v.end())) << " |";
    }
    md << " |\n\n";
    md << "Over " << n << " devices (mean of " << r.options.draws
       << " draws of T = " << r.options.samples
       << (r.options.sampler != "random" ? " chosen by " + r.options.sampler : std::string())
       << "): the answer beats FLOPs on " << beats_flops << " (on " << beats_flops_hard
       << " of the " << flops_hard << " where FLOPs is below 0.95), the "
       << "best device on the T samples on " << beats_device << ", every simple baseline on "
       << beats_all << ", and is within 0.02 of the best simple baseline on " << within << ".\n";
    for (const auto& c : cols) {
        if (!c.optional) continue;
        int beats = 0, scored = 0;
        for (const auto& d : r.devices) {
            const double v = mean_over_draws(d, c.value);
            if (!std::isfinite(v)) continue;
            ++scored;
            beats += mean_over_draws(d, &LodoDraw::answer) > v;
        }
        md << "The answer beats " << c.title << " on " << beats << " of the " << scored
           << " devices it scored.\n";
    }
    if (!r.options.rules.empty() && n > 0) {
        md << "\nBlend rules (the answer under each; median / worst over devices):";
        for (size_t k = 0; k < r.options.rules.size(); ++k) {
            std::vector<double> v;
            for (const auto& d : r.devices) v.push_back(mean_rule(d, k));
            md << " " << r.options.rules[k] << " " << median(v) << " / "
               << *std::min_element(v.begin(), v.end()) << ";";
        }
        md << "\n";
    }
    return md.str();
}

}  // namespace nasflat::nas
