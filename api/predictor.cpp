// predictor.cpp — nasflat::Predictor of the public API (include/nasflat/nasflat.h): a handle on
// nas::Predictor and the space context it scores with. Scoring goes through the same library
// calls as `nasflat predict` (indices: nas::predictor_scores) and `nasflat search --mode
// evolution` (op lists: nas::predictor_scores_of_ops), with the same batch and thread defaults,
// so the scores are the CLI's bits.
// Dims: n architectures, P positions (ops per architecture: NB201 6, FBNet 22).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <type_traits>

#include "api/errors.h"
#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/cli/device_option.h"
#include "nas/data/measurements.h"
#include "nas/predictor/predictor.h"
#include "nas/predictor/training_steps.h"
#include "nas/predictor/transfer.h"
#include "nasflat/nasflat.h"

namespace nasflat {

// The space context is shared by a predictor and those transferred from it; it loads device
// files and encodings on demand, so every use holds its lock.
struct SharedContext {
    std::unique_ptr<nas::SpaceContext> ctx;
    std::mutex lock;
};

struct Predictor::Impl {
    std::string name;  // the checkpoint file, for messages
    std::string data_dir;
    nas::Predictor p;
    std::shared_ptr<SharedContext> shared;
};

namespace {

Device compute_device(const std::string& compute) {
    NASFLAT_CHECK(compute == "cpu" || compute == "cuda" || compute == "auto",
                  "compute must be cpu, cuda or auto, got '", printable(compute, 40), "'");
    cli::DeviceFlag flag;
    flag.name = compute;
    return cli::resolve_device(flag);
}

// The embedding row to score for, and whether the checkpoint's calibration applies to it.
int row_for(const nas::Predictor& p, const std::string& name, const std::string& device,
            bool need_calibration) {
    const nas::PredictorInfo& info = p.info;
    const std::string target = device.empty() ? info.target : device;
    NASFLAT_CHECK(!target.empty(), name,
                  " is not fitted to a device yet; fix: transfer it, or name one of its "
                  "source devices as the device to predict for");
    const int row = info.row_of(target);
    NASFLAT_CHECK(row >= 0, "device '", printable(target, 60), "' is not in ", name,
                  "'s device table (", nas::join_names(info.devices), ")");
    NASFLAT_CHECK(!need_calibration || (target == info.target && info.calibration.fitted()),
                  name, " has no calibration for device '", printable(target, 60),
                  "'; fix: predict scores (they rank the same), or transfer it to that device");
    return row;
}

struct Scoring {
    int row = 0, batch = 0, threads = 1;
};

Scoring scoring(const nas::Predictor& p, const std::string& name, const PredictOptions& o,
                bool need_calibration) {
    NASFLAT_CHECK(o.threads >= 0 && o.threads <= 4096, "threads must be in 0..4096, got ",
                  o.threads);
    NASFLAT_CHECK(o.batch >= 0 && o.batch <= (1 << 24), "batch must be in 0..16777216, got ",
                  o.batch);
    Scoring s;
    s.row = row_for(p, name, o.device, need_calibration);
    const Device device = p.model->device();
    s.batch = o.batch > 0 ? o.batch : nas::default_score_batch(device);
    cli::DeviceFlag flag;
    flag.threads = o.threads;
    s.threads = cli::scoring_threads(flag, device);
    return s;
}

std::vector<int32_t> checked_indices(const nas::SearchSpace& ss, const int32_t* archs, size_t n) {
    for (size_t k = 0; k < n; ++k) {
        if (archs[k] < 0 || archs[k] >= ss.size())
            ss.check_index(archs[k], "archs[" + std::to_string(k) + "]");
    }
    return std::vector<int32_t>(archs, archs + n);
}

// ops (n, P) -> n op lists, each checked (the first bad one is named by its row).
std::vector<std::vector<int>> checked_ops(const nas::SearchSpace& ss, const int32_t* ops,
                                          size_t n) {
    const bool nb = ss.space() == nas::Space::NB201;
    const size_t positions = nb ? 6 : nas::kFbnetNumLayers;
    const int vocab = nb ? nas::kNb201NumOps : nas::kFbnetNumOps;
    std::vector<std::vector<int>> out(n);
    for (size_t k = 0; k < n; ++k) {
        out[k].assign(ops + k * positions, ops + (k + 1) * positions);
        if (std::all_of(out[k].begin(), out[k].end(), [&](int op) { return op >= 0 && op < vocab; }))
            continue;
        try {
            ss.text_of_ops(out[k]);  // throws the space's message for the bad op
        } catch (const Error& e) {
            fail("ops[", k, "]: ", e.what());
        }
    }
    return out;
}

}  // namespace

Predictor::Predictor(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Predictor Predictor::load(const std::string& checkpoint, const std::string& compute,
                          const std::string& data) {
    return api::translated([&] {
        auto m = std::make_shared<Impl>();
        m->name = checkpoint;
        m->p = nas::load_predictor(checkpoint, compute_device(compute));
        m->data_dir = nas::resolve_data_dir(data);
        m->shared = std::make_shared<SharedContext>();
        m->shared->ctx = nas::load_predictor_context(m->data_dir, m->p);
        return Predictor(m);
    });
}

void Predictor::save(const std::string& path) const {
    api::translated([&] { nas::save_predictor(path, impl_->p); });
}

std::string Predictor::space() const { return nas::space_name(impl_->p.info.space); }
std::string Predictor::target() const { return impl_->p.info.target; }
std::vector<std::string> Predictor::devices() const { return impl_->p.info.devices; }
std::string Predictor::metric() const { return impl_->p.info.metric; }
bool Predictor::calibrated() const {
    return !impl_->p.info.target.empty() && impl_->p.info.calibration.fitted();
}
std::string Predictor::compute() const { return device_name(impl_->p.model->device()); }
const std::string& Predictor::data() const { return impl_->data_dir; }
int Predictor::num_archs() const { return impl_->shared->ctx->space().size(); }
int Predictor::num_positions() const {
    return impl_->p.info.space == nas::Space::NB201 ? 6 : nas::kFbnetNumLayers;
}
int Predictor::num_ops() const {
    return impl_->p.info.space == nas::Space::NB201 ? nas::kNb201NumOps : nas::kFbnetNumOps;
}
std::string Predictor::info_json() const { return impl_->p.info.to_json().dump(); }

int32_t Predictor::index_of(const std::string& arch, const std::string& where) const {
    return api::translated([&] {
        try {
            return static_cast<int32_t>(impl_->shared->ctx->space().parse_arch(arch));
        } catch (const Error& e) {
            fail(where, ": ", e.what());
        }
    });
}

std::string Predictor::arch_string(int32_t index) const {
    return api::translated([&] {
        const nas::SearchSpace& ss = impl_->shared->ctx->space();
        ss.check_index(index);
        return ss.arch_string(index);
    });
}

void Predictor::predict(const int32_t* archs, size_t n, float* out,
                        const PredictOptions& o) const {
    predict_into(archs, n, false, out, o);
}

std::vector<float> Predictor::predict(const std::vector<int32_t>& archs,
                                      const PredictOptions& o) const {
    std::vector<float> out(archs.size());
    predict(archs.data(), archs.size(), out.data(), o);
    return out;
}

void Predictor::predict_ms(const int32_t* archs, size_t n, double* out,
                           const PredictOptions& o) const {
    predict_into(archs, n, false, out, o);
}

void Predictor::predict_ops(const int32_t* ops, size_t n, float* out,
                            const PredictOptions& o) const {
    predict_into(ops, n, true, out, o);
}

void Predictor::predict_ops_ms(const int32_t* ops, size_t n, double* out,
                               const PredictOptions& o) const {
    predict_into(ops, n, true, out, o);
}

// Scores (indices: the float scores of `nasflat predict`, op lists: the double ones of `search
// --mode evolution`) written into a float* `out`, or calibrated to ms into a double* one; under
// the context's lock, with bad input as std::invalid_argument.
template <typename Out>
void Predictor::predict_into(const int32_t* archs, size_t n, bool op_lists, Out* out,
                             const PredictOptions& o) const {
    api::translated([&] {
        constexpr bool ms = std::is_same_v<Out, double>;
        const nas::Predictor& p = impl_->p;
        const Scoring s = scoring(p, impl_->name, o, ms);
        std::lock_guard<std::mutex> hold(impl_->shared->lock);
        nas::SpaceContext& ctx = *impl_->shared->ctx;
        std::vector<double> scores;
        if (op_lists) {
            scores = nas::predictor_scores_of_ops(p, ctx, checked_ops(ctx.space(), archs, n),
                                                  s.row, s.batch, s.threads);
        } else {
            const std::vector<float> v = nas::predictor_scores(
                p, ctx, checked_indices(ctx.space(), archs, n), s.row, s.batch, s.threads);
            scores.assign(v.begin(), v.end());  // exact: float -> double
        }
        for (size_t k = 0; k < n; ++k)
            out[k] = ms ? p.info.calibration(scores[k]) : static_cast<Out>(scores[k]);
    });
}

Predictor Predictor::transfer(const std::string& measurements, const TransferOptions& o,
                              TransferReport* report) const {
    return api::translated([&] {
        NASFLAT_CHECK(o.folds != 1, "folds 1 cannot cross-validate; fix: 0 (none) or >= 2");
        auto m = std::make_shared<Impl>();
        m->name = impl_->name;
        m->data_dir = impl_->data_dir;
        m->shared = impl_->shared;
        // A copy of this predictor: its own bytes, parsed and built again.
        models::Checkpoint c =
            models::parse_checkpoint(nas::predictor_bytes(impl_->p), impl_->name);
        m->p.info = impl_->p.info;
        m->p.model = c.build(impl_->p.model->device());
        std::lock_guard<std::mutex> hold(m->shared->lock);
        nas::SpaceContext& ctx = *m->shared->ctx;
        const nas::Measurements meas = nas::load_measurements(measurements, ctx.space());
        const std::string name =
            o.name.empty() ? std::filesystem::path(measurements).stem().string() : o.name;
        nas::TransferOptions t;
        t.epochs = o.epochs;
        t.folds = o.folds;
        t.seed = o.seed;
        const nas::TransferReport r = nas::transfer_predictor(m->p, ctx, meas, name, t, std::cerr);
        if (report != nullptr) {
            *report = {r.device, r.choice,    r.warning,    r.samples,
                       r.folds,  r.cv_spearman, r.cv_kendall, r.cv_mape};
        }
        return Predictor(m);
    });
}

}  // namespace nasflat
