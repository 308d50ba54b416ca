// transfer.cpp — see transfer.h. Every fit (each cross-validation fold and the final one)
// starts from the same pre-trained weights, so folds do not leak into each other or into the
// predictor that is saved.
#include "nas/transfer.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>

#include "kernels/base/check.h"
#include "nas/metrics.h"
#include "nas/training_steps.h"

namespace nasflat::nas {

namespace {

// Fits the predictor to subsets of one device's samples, always from the pre-trained weights.
class SubsetFitter {
public:
    SubsetFitter(Predictor& p, SpaceContext& ctx, const std::vector<int32_t>& archs,
                 const std::vector<double>& ms, int row, const TransferOptions& o)
        : p_(p), ctx_(ctx), archs_(archs), ms_(ms), row_(row), o_(o),
          base_(p.model->params().values_to_host()) {
        topt_.epochs = o.epochs;
        topt_.batch_size = o.batch_size;
        topt_.lr = o.lr;
        topt_.weight_decay = o.weight_decay;
        topt_.eta_min = o.eta_min;
        topt_.scoring = o.scoring;
    }

    // Fine-tunes on samples `idx`, the device row first copied from the source that correlates
    // best with those samples (when asked). Returns that source's name ("" = none).
    std::string fit(const std::vector<size_t>& idx, uint64_t seed) {
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
        }
        Rng rng(seed);
        models::train(*p_.model, arch_table(ctx_, p_.info.supp), device_samples(a, y, row_),
                      topt_, rng);
        return source;
    }

    // Scores of every sample with the current weights.
    std::vector<float> scores() const { return predictor_scores(p_, ctx_, archs_, row_, 1024); }

private:
    Predictor& p_;
    SpaceContext& ctx_;
    const std::vector<int32_t>& archs_;
    const std::vector<double>& ms_;
    int row_;
    TransferOptions o_;
    std::vector<float> base_;
    models::TrainOptions topt_;
};

// The measurements in ms, checked for what transfer needs.
std::vector<double> checked_ms(const Measurements& m, Space space) {
    NASFLAT_CHECK(m.space == space, m.file, ": measurements of ", space_name(m.space),
                  " but the checkpoint is a ", space_name(space), " predictor");
    NASFLAT_CHECK(m.arch_index.size() >= 2, m.file, ": transfer needs at least 2 measured "
                  "architectures, got ", m.arch_index.size());
    std::vector<double> ms = m.latency;
    const double to_ms = m.unit == "us" ? 1e-3 : m.unit == "s" ? 1e3 : 1.0;
    for (double& v : ms) v *= to_ms;
    NASFLAT_CHECK(*std::max_element(ms.begin(), ms.end()) > *std::min_element(ms.begin(), ms.end()),
                  m.file, ": every latency is the same, so there is no ranking to learn; fix: "
                  "measure architectures of different sizes");
    return ms;
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

// k folds of a seeded permutation; each fold is scored by a model fitted without it and
// calibrated on the others. Fills the report's cv_* fields.
void cross_validate(SubsetFitter& fitter, int k, const TransferOptions& o, TransferReport& r) {
    const size_t n = r.archs.size();
    Rng perm_rng(derive_seed(o.seed, 7));
    const std::vector<int> perm =
        perm_rng.sample_without_replacement(static_cast<int>(n), static_cast<int>(n));
    std::vector<double> cv_score(n);
    for (int f = 0; f < k; ++f) {
        std::vector<size_t> train_idx, test_idx;
        for (size_t i = 0; i < n; ++i) {
            (static_cast<int>(i % k) == f ? test_idx : train_idx).push_back(perm[i]);
        }
        fitter.fit(train_idx, derive_seed(o.seed, 100 + f));
        const std::vector<float> s = fitter.scores();
        std::vector<double> ts, tm;
        for (size_t i : train_idx) {
            ts.push_back(s[i]);
            tm.push_back(r.measured_ms[i]);
        }
        const Calibration cal = fit_calibration(ts, tm, o.calibration);
        for (size_t i : test_idx) {
            cv_score[i] = s[i];
            r.cv_ms[i] = cal(s[i]);
        }
    }
    r.folds = k;
    r.cv_spearman = spearman(cv_score, r.measured_ms);
    r.cv_kendall = kendall_tau_b(cv_score, r.measured_ms);
    r.cv_mape = mape(r.cv_ms, r.measured_ms);
}

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; }

}  // namespace

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

    // 1. how well it will fit: k-fold cross-validation (each fold needs 2 training samples).
    const int k = std::min<int>(o.folds, static_cast<int>(n / 2));
    if (k >= 2) {
        cross_validate(fitter, k, o, r);
        progress << "[transfer] " << device << ": " << k << "-fold cross-validation on " << n
                 << " samples: spearman " << std::fixed << std::setprecision(3) << r.cv_spearman
                 << ", kendall " << r.cv_kendall << ", MAPE " << std::setprecision(1) << r.cv_mape
                 << " %" << std::defaultfloat << std::endl;
    }
    // 2. the predictor itself: every sample, then the score -> ms calibration on them.
    std::vector<size_t> all(n);
    std::iota(all.begin(), all.end(), size_t{0});
    r.init_source = fitter.fit(all, derive_seed(o.seed, 1000));
    const std::vector<float> s = fitter.scores();
    p.info.calibration =
        fit_calibration(std::vector<double>(s.begin(), s.end()), r.measured_ms, o.calibration);
    p.info.target = device;
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
                       {"seed", o.seed}};
    progress << "[transfer] " << device << ": fitted on " << n << " samples (row " << r.row
             << ", initialised from " << (r.init_source.empty() ? "its own row" : r.init_source)
             << "), " << std::fixed << std::setprecision(1) << r.seconds << " s"
             << std::defaultfloat << std::endl;
    return r;
}

}  // namespace nasflat::nas
