// transfer.cpp — see transfer.h. Every fit (each cross-validation fold and the final one)
// starts from the same pre-trained weights, so folds do not leak into each other or into the
// predictor that is saved.
#include "nas/predictor/transfer.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/base/metrics.h"
#include "nas/predictor/training_steps.h"

namespace nasflat::nas {

namespace {

// Fits the predictor to subsets of one device's samples, always from the pre-trained weights.
class SubsetFitter {
public:
    SubsetFitter(Predictor& p, SpaceContext& ctx, const std::vector<int32_t>& archs,
                 const std::vector<double>& ms, int row, const TransferOptions& o)
        : p_(p), ctx_(ctx), archs_(archs), ms_(ms), row_(row), o_(o),
          base_(p.model->params().values_to_host()), topt_(o.train_options()) {}

    // Fine-tunes on samples `idx`, the device row first copied from the source that correlates
    // best with those samples (when asked). Returns that source's name ("" = none).
    std::string fit(const std::vector<size_t>& idx, uint64_t seed) {
        last_source_.clear();
        std::vector<int32_t> a;
        std::vector<double> y;
        for (size_t i : idx) {
            a.push_back(archs_[i]);
            y.push_back(ms_[i]);
        }
        p_.model->params().values_from_host(base_);
        std::string source;
        if (o_.init_from_best_source) {
            const int src = best_source_row(ctx_, p_.info.sources, a, y, &source);
            if (src >= 0 && src != row_) p_.model->copy_device_row(row_, src);
            last_source_ = source;
        }
        Rng rng(seed);
        models::train(*p_.model, arch_table(ctx_, p_.info.supp), device_samples(a, y, row_),
                      topt_, rng);
        return source;
    }

    // Scores of every sample with the current weights (the model alone, no blend).
    std::vector<float> scores() const {
        return models::predict(*p_.model, arch_table(ctx_, p_.info.supp), archs_, row_, 1024);
    }
    // The source whose row initialised the last fit ("" = the row's own).
    const std::string& last_source() const { return last_source_; }

private:
    Predictor& p_;
    SpaceContext& ctx_;
    const std::vector<int32_t>& archs_;
    const std::vector<double>& ms_;
    int row_;
    TransferOptions o_;
    std::vector<float> base_;
    models::TrainOptions topt_;
    std::string last_source_;
};

// The measurements in ms, checked for what transfer needs.
std::vector<double> checked_ms(const Measurements& m, Space space) {
    NASFLAT_CHECK(m.space == space, m.file, ": measurements of ", space_name(m.space),
                  " but the checkpoint is a ", space_name(space), " predictor");
    check_transferable(m);
    return m.base_values();
}

// The device's embedding row: its own when the table has it, else a new one.
int device_row_for(Predictor& p, const std::string& device) {
    int row = p.info.row_of(device);
    if (row >= 0) return row;
    row = static_cast<int>(p.info.devices.size());
    NASFLAT_CHECK(row < p.model->config().device_vocab, "transfer: the checkpoint's ",
                  p.model->config().device_vocab, " device rows are all used");
    p.info.devices.push_back(device);
    return row;
}

// The self-check's candidates: the predictor, then the priors that can be fitted here.
std::vector<std::string> candidate_names(const TransferOptions& o,
                                         const std::vector<std::string>& prior_devices) {
    std::vector<std::string> names = {"predictor"};
    for (const auto& kind : o.priors) {
        if ((kind == "device" || kind == "ridge") && prior_devices.empty()) continue;
        names.push_back(kind);
    }
    return names;
}

// Scores of the samples (all of them) by candidate `name`, fitted on the samples `fit_idx`.
// The predictor is fine-tuned by the fitter; a prior is fitted on the same samples.
std::vector<double> candidate_scores(const std::string& name, const std::vector<size_t>& fit_idx,
                                     SubsetFitter& fitter, SpaceContext& ctx,
                                     const std::vector<std::string>& prior_devices,
                                     const TransferReport& r, uint64_t seed, Prior* prior_out) {
    if (name == "predictor") {
        fitter.fit(fit_idx, seed);
        const std::vector<float> s = fitter.scores();
        return std::vector<double>(s.begin(), s.end());
    }
    std::vector<int32_t> a;
    std::vector<double> y;
    for (size_t i : fit_idx) {
        a.push_back(r.archs[i]);
        y.push_back(r.measured_ms[i]);
    }
    const Prior prior = fit_prior(name, ctx, prior_devices, a, y);
    if (prior_out) *prior_out = prior;
    return prior_scores(prior, ctx, r.archs);
}

// k folds of a seeded permutation; each fold is scored by every candidate fitted without it,
// standardised with the training part's mean and sd so that the folds pool into one ranking.
// Fills the report's cv_* fields (the predictor's, cv_ms calibrated on the other folds) and
// returns each candidate's out-of-fold scores (C x T).
std::vector<std::vector<double>> cross_validate(SubsetFitter& fitter, SpaceContext& ctx,
                                   const std::vector<std::string>& names,
                                   const std::vector<std::string>& prior_devices, int k,
                                   const TransferOptions& o, TransferReport& r) {
    const size_t n = r.archs.size();
    Rng perm_rng(derive_seed(o.seed, 7));
    const std::vector<int> perm =
        perm_rng.sample_without_replacement(static_cast<int>(n), static_cast<int>(n));
    std::vector<std::vector<double>> oof(names.size(), std::vector<double>(n, 0.0));
    for (int f = 0; f < k; ++f) {
        std::vector<size_t> train_idx, test_idx;
        for (size_t i = 0; i < n; ++i) {
            (static_cast<int>(i % k) == f ? test_idx : train_idx).push_back(perm[i]);
        }
        for (size_t c = 0; c < names.size(); ++c) {
            const std::vector<double> s = candidate_scores(names[c], train_idx, fitter, ctx,
                                                           prior_devices, r,
                                                           derive_seed(o.seed, 100 + f), nullptr);
            std::vector<double> ts, tm;
            for (size_t i : train_idx) {
                ts.push_back(s[i]);
                tm.push_back(r.measured_ms[i]);
            }
            double shift = 0, scale = 1;
            standardisation(ts, shift, scale);
            for (size_t i : test_idx) oof[c][i] = (s[i] - shift) / scale;
            if (names[c] == "predictor") {
                const Calibration cal = fit_calibration(ts, tm, o.calibration);
                for (size_t i : test_idx) r.cv_ms[i] = cal(s[i]);
            }
        }
    }
    r.folds = k;
    r.cv_spearman = spearman(oof[0], r.measured_ms);
    r.cv_kendall = kendall_tau_b(oof[0], r.measured_ms);
    r.cv_mape = mape(r.cv_ms, r.measured_ms);
    return oof;
}

// The plain-words warning when the samples do not pin the device down.
std::string weak_evidence_warning(const TransferReport& r, double best, double threshold) {
    if (best >= threshold) return "";
    std::ostringstream os;
    os << std::fixed << std::setprecision(2) << r.samples << " samples do not pin " << r.device
       << " down (the best out-of-fold Spearman is " << best << ", below " << threshold
       << "): measure " << std::max(10, r.samples) << " more; `nasflat sample --more "
       << std::max(10, r.samples) << " --measured FILE` picks them";
    return os.str();
}

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; }

nlohmann::json candidates_json(const TransferReport& r) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& c : r.candidates)
        j.push_back({{"name", c.name}, {"oof_spearman", finite_or_null(c.oof_spearman)}});
    return j;
}

}  // namespace

models::TrainOptions TransferOptions::train_options() const { return train_options_of(*this); }

TransferOptions transfer_options_from(const PretrainRecipe& r) {
    TransferOptions t;
    t.weight_decay = r.weight_decay;
    t.eta_min = r.eta_min;
    t.scoring = r.scoring;
    return t;
}

TransferReport transfer_predictor(Predictor& p, SpaceContext& ctx, const Measurements& m,
                                  const std::string& device, const TransferOptions& options,
                                  std::ostream& progress) {
    const auto t0 = Clock::now();
    TransferOptions o = options;
    const bool nb = p.info.space == Space::NB201;
    if (o.epochs < 0) o.epochs = nb ? 40 : 30;
    if (o.lr < 0) o.lr = nb ? 3e-3f : 1e-3f;
    NASFLAT_CHECK(o.epochs >= 1 && o.lr > 0 && o.batch_size >= 2 && o.folds >= 0,
                  "transfer: epochs >= 1, lr > 0, batch size >= 2 and folds >= 0 required");
    NASFLAT_CHECK(!device.empty(), "transfer: the device needs a name; fix: pass --name");
    TransferReport r;
    r.device = device;
    r.archs = m.arch_index;
    r.measured_ms = checked_ms(m, p.info.space);
    r.row = device_row_for(p, device);
    const size_t n = r.archs.size();
    r.samples = static_cast<int>(n);
    r.cv_ms.assign(n, std::nan(""));
    r.cv_spearman = r.cv_kendall = r.cv_mape = std::nan("");
    SubsetFitter fitter(p, ctx, r.archs, r.measured_ms, r.row, o);
    std::vector<std::string> prior_devices;
    for (const auto& d : public_devices(
             ctx, o.prior_devices.empty() ? p.info.sources : o.prior_devices)) {
        if (d != device) prior_devices.push_back(d);
    }
    const std::vector<std::string> names = candidate_names(o, prior_devices);

    // 1. how well each candidate ranks held-out samples: k-fold cross-validation (each fold
    //    needs 2 training samples).
    const int k = std::min<int>(o.folds, static_cast<int>(n / 2));
    std::vector<double> oof(names.size(), std::nan(""));
    std::vector<std::vector<double>> oof_scores(names.size());
    if (k >= 2) {
        oof_scores = cross_validate(fitter, ctx, names, prior_devices, k, o, r);
        for (size_t c = 0; c < names.size(); ++c) oof[c] = spearman(oof_scores[c], r.measured_ms);
        progress << "[transfer] " << device << ": " << k << "-fold cross-validation on " << n
                 << " samples: spearman " << std::fixed << std::setprecision(3) << r.cv_spearman
                 << ", kendall " << r.cv_kendall << ", MAPE " << std::setprecision(1) << r.cv_mape
                 << " %" << std::defaultfloat << std::endl;
    }
    // 2. every candidate on all the samples; the choice; the calibration of what was chosen.
    std::vector<size_t> all(n);
    std::iota(all.begin(), all.end(), size_t{0});
    std::vector<Candidate> candidates;
    for (size_t c = 0; c < names.size(); ++c) {
        Candidate cand;
        cand.name = names[c];
        cand.oof_spearman = oof[c];
        cand.oof_scores = oof_scores[c];
        const uint64_t seed = derive_seed(o.seed, 1000);
        cand.sample_scores = candidate_scores(names[c], all, fitter, ctx, prior_devices, r, seed,
                                              &cand.prior);
        if (names[c] != "predictor") cand.name = cand.prior.name();
        if (names[c] == "predictor") r.init_source = fitter.last_source();
        candidates.push_back(cand);
        r.candidates.push_back({cand.name, oof[c]});
    }
    p.info.blend = k >= 2 ? choose_blend(candidates, o.blend_rule, r.measured_ms) : Blend();
    r.fitted = candidates;
    std::vector<std::vector<double>> member_scores;
    for (const auto& m : p.info.blend.members) {
        for (const auto& c : candidates)
            if (c.name == m.name) member_scores.push_back(c.sample_scores);
    }
    const std::vector<double> chosen =
        p.info.blend.empty() ? candidates[0].sample_scores
                             : blend_scores(p.info.blend, member_scores);
    p.info.calibration = fit_calibration(chosen, r.measured_ms, o.calibration);
    r.choice = p.info.blend.describe();
    double best = -2;
    for (double v : oof)
        if (std::isfinite(v)) best = std::max(best, v);
    if (k >= 2) r.warning = weak_evidence_warning(r, best, o.warn_below);
    p.info.target = device;
    p.info.metric = m.metric;
    r.seconds = seconds_since(t0);
    p.info.transfer = {{"device", device},
                       {"row", r.row},
                       {"measurements", m.file},
                       {"samples", n},
                       {"archs", r.archs},
                       {"epochs", o.epochs},
                       {"lr", o.lr},
                       {"batch_size", o.batch_size},
                       {"init_source", r.init_source},
                       {"folds", r.folds},
                       {"cv_spearman", finite_or_null(r.cv_spearman)},
                       {"cv_kendall", finite_or_null(r.cv_kendall)},
                       {"cv_mape_percent", finite_or_null(r.cv_mape)},
                       {"calibration", o.calibration},
                       {"choice", r.choice},
                       {"candidates", candidates_json(r)},
                       {"warning", r.warning},
                       {"seed", o.seed}};
    progress << "[transfer] " << device << ": fitted on " << n << " samples (row " << r.row
             << ", initialised from " << (r.init_source.empty() ? "its own row" : r.init_source)
             << "), " << std::fixed << std::setprecision(1) << r.seconds << " s"
             << std::defaultfloat << std::endl;
    return r;
}

}  // namespace nasflat::nas
