// experiment_report.cpp — see experiment_report.h.
#include "nas/experiment/experiment_report.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"

namespace nasflat::nas {
namespace {

void mean_std(const std::vector<double>& v, double& mean, double& std) {
    mean = 0;
    for (double x : v) mean += x / v.size();
    double var = 0;
    for (double x : v) var += (x - mean) * (x - mean) / v.size();
    std = std::sqrt(var);
}

std::string fmt(double v, int digits = 3) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
    return buf;
}

}  // namespace

Summary summarise(const DeviceScores& d) {
    Summary s;
    mean_std(d.spearman, s.spearman_mean, s.spearman_std);
    mean_std(d.kendall, s.kendall_mean, s.kendall_std);
    return s;
}

Summary summarise(const SampleResult& r) {
    Summary s;
    for (const auto& d : r.per_device) {
        Summary x = summarise(d);
        const double n = static_cast<double>(r.per_device.size());
        s.spearman_mean += x.spearman_mean / n;
        s.spearman_std += x.spearman_std / n;
        s.kendall_mean += x.kendall_mean / n;
        s.kendall_std += x.kendall_std / n;
    }
    return s;
}

void print_experiment(const ExperimentResult& r, std::ostream& out) {
    const ExperimentOptions& o = r.options;
    const bool mp = o.predictor == PredictorKind::MultiPredict;
    const bool help = o.predictor == PredictorKind::Help;
    out << "\n"
        << r.task.name << " (" << r.task.paper_label << ", " << space_name(o.space)
        << "), predictor " << predictor_name(o.predictor) << ", protocol "
        << protocol_name(o.protocol) << (o.also_first128 ? " (+ first128)" : "");
    if (!mp && !help) {
        out << ", config " << models::flavor_name(o.flavor)
            << (o.supp != "none" ? ", supp " + o.supp : "");
    }
    out << (o.self_check ? ", self-check (blend " + o.blend_rule + ")" : "");
    if (!help && o.samplers.size() == 1) out << ", sampler " << o.samplers[0];
    out << ", " << r.completed_trials << " trial(s)";
    if (o.first_trial > 0) out << " from trial " << o.first_trial + 1;
    if (help) {
        out << ", " << o.help.episodes << " episodes"
            << (o.help.first_order ? " (first order)" : "") << " on the first "
            << o.help.resolved_meta_train_archs(o.space) << " archs";
    } else {
        out << ", S=" << (mp ? o.multipredict.source_samples : o.source_samples);
    }
    out << ", seed " << o.seed << "\n";
    for (const SampleResult& sr : r.per_samples) {
        out << "  T=" << sr.samples;
        if (o.samplers.size() > 1) out << ", sampler " << sr.sampler;
        if (o.also_first128) out << ", protocol " << protocol_name(sr.protocol);
        out << "\n";
        out << "    device                                     spearman        kendall\n";
        for (const auto& d : sr.per_device) {
            Summary s = summarise(d);
            char line[160];
            std::snprintf(line, sizeof(line), "    %-40s %.3f +- %.3f   %.3f +- %.3f\n",
                          d.device.c_str(), s.spearman_mean, s.spearman_std, s.kendall_mean,
                          s.kendall_std);
            out << line;
        }
        Summary s = summarise(sr);
        char line[200];
        const double authors = help ? r.task.authors_help_spearman
                               : mp ? r.task.authors_multipredict_spearman
                                    : r.task.authors_spearman;
        std::snprintf(line, sizeof(line),
                      "    %-40s %.3f +- %.3f   %.3f +- %.3f   (authors' %s, T=20, "
                      "their protocol: %.3f)\n",
                      ("task mean " + r.task.name).c_str(), s.spearman_mean, s.spearman_std,
                      s.kendall_mean, s.kendall_std,
                      help ? "HELP"
                      : mp ? "MultiPredict"
                           : "NASFLAT",
                      authors);
        out << line;
    }
    out << "  wall time " << fmt(r.seconds, 1) << " s (pre-training " << fmt(r.pretrain_seconds, 1)
        << " s)\n";
}

std::string experiment_json(const ExperimentResult& r) {
    using nlohmann::json;
    const ExperimentOptions& o = r.options;
    json all = json::array();
    for (const SampleResult& sr : r.per_samples) {
        json per_device = json::array();
        for (const auto& d : sr.per_device) {
            Summary s = summarise(d);
            per_device.push_back({{"device", d.device},
                                  {"spearman_mean", s.spearman_mean},
                                  {"spearman_std", s.spearman_std},
                                  {"kendall_mean", s.kendall_mean},
                                  {"kendall_std", s.kendall_std},
                                  {"spearman_trials", d.spearman},
                                  {"kendall_trials", d.kendall}});
        }
        Summary s = summarise(sr);
        const bool mp = o.predictor == PredictorKind::MultiPredict;
        const bool help = o.predictor == PredictorKind::Help;
        all.push_back({{"predictor", predictor_name(o.predictor)},
                       {"space", space_name(o.space)},
                       {"task", r.task.name},
                       {"paper_label", r.task.paper_label},
                       {"protocol", protocol_name(sr.protocol)},
                       {"config", models::flavor_name(o.flavor)},
                       {"sampler", sr.sampler},
                       {"supp", o.supp},
                       {"score_once", o.scoring == models::PairScoring::ScoreOnce},
                       {"self_check", o.self_check ? json(o.blend_rule) : json(false)},
                       {"source_samples", help ? o.help.resolved_meta_train_archs(o.space)
                                          : mp ? o.multipredict.source_samples
                                               : o.source_samples},
                       {"epochs", help ? o.help.episodes
                                  : mp ? o.multipredict.epochs
                                       : o.epochs},
                       {"seed", o.seed},
                       {"samples", sr.samples},
                       {"trials", r.completed_trials},
                       {"trials_requested", o.trials},
                       {"first_trial", o.first_trial},
                       {"per_device", per_device},
                       {"spearman_mean", s.spearman_mean},
                       {"spearman_std", s.spearman_std},
                       {"kendall_mean", s.kendall_mean},
                       {"kendall_std", s.kendall_std},
                       {"seconds", r.seconds},
                       {"authors_spearman", help ? r.task.authors_help_spearman
                                            : mp ? r.task.authors_multipredict_spearman
                                                 : r.task.authors_spearman}});
        if (mp) {
            const MultiPredictOptions& m = o.multipredict;
            all.back()["multipredict"] = {{"transfer_epochs", m.transfer_epochs},
                                          {"mc_rounds", m.mc_rounds},
                                          {"batch_size", m.batch_size},
                                          {"transfer_batch_size", m.transfer_batch_size},
                                          {"lr", m.lr},
                                          {"weight_decay", m.weight_decay},
                                          {"hw_dim", m.hw_dim}};
        }
        if (help) {
            const HelpOptions& h = o.help;
            all.back()["help"] = {{"episodes", h.episodes},
                                  {"inner_steps", h.inner_steps},
                                  {"first_order", h.first_order},
                                  {"mc_sampling", h.mc_sampling},
                                  {"meta_lr", h.meta_lr},
                                  {"reference_archs", 10},
                                  {"support_archs", sr.samples - 10}};
        }
    }
    return (all.size() == 1 ? all[0] : all).dump(2);
}

void write_experiment_json(const ExperimentResult& r, const std::string& path) {
    write_file_atomically(path, experiment_json(r) + "\n");
}

namespace {
// The Spearman-vs-T panel shows the run's protocol and its first sampler.
bool plotted(const ExperimentResult& r, const SampleResult& sr) {
    return sr.protocol == r.options.protocol && sr.sampler == r.options.samplers[0];
}
}  // namespace

std::vector<Panel> experiment_plot(const ExperimentResult& r) {
    const std::string task = r.task.name;
    Panel rho{task + ": Spearman vs target samples T",
              "T (target samples)",
              "Spearman",
              false,
              false,
              false,
              {},
              {}};
    Series mean{"task mean", {}, {}, true, true};
    for (size_t di = 0; di < r.task.targets.size(); ++di) {
        Series s{r.task.targets[di], {}, {}, true, true};
        for (const SampleResult& sr : r.per_samples) {
            if (!plotted(r, sr) || sr.per_device[di].spearman.empty()) continue;
            s.x.push_back(sr.samples);
            s.y.push_back(summarise(sr.per_device[di]).spearman_mean);
        }
        rho.series.push_back(s);
    }
    for (const SampleResult& sr : r.per_samples) {
        if (!plotted(r, sr) || sr.per_device.empty() || sr.per_device[0].spearman.empty()) {
            continue;
        }
        mean.x.push_back(sr.samples);
        mean.y.push_back(summarise(sr).spearman_mean);
    }
    rho.series.insert(rho.series.begin(), mean);
    Panel scatter{task + ": predicted vs measured (last trial, T=" +
                      std::to_string(r.options.samples.back()) + ")",
                  "measured latency (ms)",
                  "predicted latency (ms, isotonic on the T samples)",
                  true,
                  true,
                  true,
                  {},
                  {}};
    for (const DevicePredictions& d : r.predictions) {
        scatter.series.push_back({d.device, d.measured_ms, d.predicted_ms, false, true});
    }
    if (r.predictions.empty()) scatter.notes.push_back("no predictions kept");
    return {rho, scatter};
}

}  // namespace nasflat::nas
