// verb_transfer.cpp — `nasflat transfer`: fits a pre-trained predictor to a device from a
// measurement file (nas/data/measurements.h). Reports how well it fits (k-fold cross-validated
// Spearman, Kendall and the MAPE of the calibrated ms on the given samples), fits the score ->
// ms calibration, and writes the device's predictor. A name not in the checkpoint's device
// table gets a new embedding row, initialised from the best-correlated source device.
// Example:
//   nasflat transfer --checkpoint nd.ckpt --measurements pixel2_20.json --out pixel2.ckpt
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/base/json_io.h"
#include "nas/base/plot.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/cli/verbs.h"
#include "nas/predictor/transfer.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, checkpoint, measurements, out, name, plot;
    std::string priors = "flops,params,device,ridge", blend = "stack";
    DeviceFlag device;
    bool no_init = false, score_once = false;
    nas::TransferOptions t;
};

std::vector<nas::Panel> transfer_plot(const nas::TransferReport& r, const nas::Predictor& p,
                                      const std::vector<float>& scores) {
    std::ostringstream note;
    note << std::fixed << std::setprecision(3) << "CV Spearman " << r.cv_spearman << ", MAPE "
         << std::setprecision(1) << r.cv_mape << " %";
    nas::Panel cv{r.device + ": cross-validated prediction (" + std::to_string(r.folds) + " folds)",
                  "measured latency (ms)",
                  "predicted latency (ms)",
                  true,
                  true,
                  true,
                  {{"", r.measured_ms, r.cv_ms, false, true}},
                  {note.str()}};
    nas::Panel cal{r.device + ": calibration (" + p.info.calibration.kind + ")",
                   "score",
                   "latency (ms)",
                   false,
                   false,
                   false,
                   {},
                   {}};
    nas::Series measured{"measured", {}, r.measured_ms, false, true};
    measured.x.assign(scores.begin(), scores.end());
    nas::Series curve{"calibration", {}, {}, true, false};
    auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
    for (int i = 0; i <= 100; ++i) {
        const double s = *lo + (*hi - *lo) * (i / 100.0);
        curve.x.push_back(s);
        curve.y.push_back(p.info.calibration(s));
    }
    cal.series = {measured, curve};
    return {cv, cal};
}

void print_report(const Flags& f, const nas::TransferReport& r, const nas::Predictor& p) {
    std::cout << std::fixed << "transferred " << f.checkpoint << " to device '" << r.device
              << "' on " << r.samples << " measured architectures (initialised from "
              << (r.init_source.empty() ? "its own row" : r.init_source) << ")\n";
    if (r.folds >= 2) {
        std::cout << std::setprecision(3) << "  " << r.folds
                  << "-fold cross-validation on the samples: Spearman " << r.cv_spearman
                  << ", Kendall " << r.cv_kendall << ", MAPE " << std::setprecision(1) << r.cv_mape
                  << " %\n";
    } else {
        std::cout << "  no cross-validation (needs --folds >= 2 and at least 4 samples)\n";
    }
    if (!r.candidates.empty() && r.folds >= 2) {
        std::cout << "  out-of-fold Spearman of each candidate:";
        for (const auto& c : r.candidates)
            std::cout << std::setprecision(3) << " " << c.name << " " << c.oof_spearman;
        std::cout << "\n";
    }
    std::cout << "  answers with: " << r.choice << "\n";
    if (!r.warning.empty()) std::cout << "  warning: " << r.warning << "\n";
    std::cout << "  calibration: " << p.info.calibration.kind << " (score -> ms)\n  wrote " << f.out
              << "\n";
    if (!f.plot.empty()) std::cout << "  wrote " << f.plot << "\n";
}

// Reads and checks every input, stages both outputs (a bad folder fails before the fitting),
// fits, then publishes the checkpoint and the plot together: a failure leaves both as they were.
void run_transfer(Flags& f) {
    format_of(f.out, {"ckpt"});
    if (!f.plot.empty()) format_of(f.plot, {"svg"});
    NASFLAT_CHECK(f.t.folds != 1, "--folds 1 cannot cross-validate; fix: 0 (none) or >= 2");
    check_output_is_not_input(f.out, {f.checkpoint, f.measurements}, "--out");
    check_output_is_not_input(f.plot, {f.checkpoint, f.measurements, f.out}, "--plot");
    const Device device = resolve_device(f.device);
    nas::Predictor p = nas::load_predictor(f.checkpoint, device);
    const std::string data_dir = nas::resolve_data_dir(f.data);
    auto ctx = nas::load_predictor_context(data_dir, p);
    const nas::Measurements m = nas::load_measurements(f.measurements, ctx->space());
    const std::string name =
        f.name.empty() ? std::filesystem::path(f.measurements).stem().string() : f.name;
    StagedFile out(f.out, Durability::Fsync);
    std::unique_ptr<StagedFile> plot;
    if (!f.plot.empty()) plot = std::make_unique<StagedFile>(f.plot);

    nas::TransferOptions t = f.t;
    t.init_from_best_source = !f.no_init;
    t.scoring = f.score_once ? models::PairScoring::ScoreOnce : models::PairScoring::TwoForwards;
    t.priors = nas::parse_prior_list(f.priors);
    t.blend_rule = nas::BlendRule::parse(f.blend);
    const nas::TransferReport r = nas::transfer_predictor(p, *ctx, m, name, t, std::cerr);
    out.write(nas::predictor_bytes(p));
    std::vector<StagedFile*> outputs = {&out};
    if (plot) {
        const std::vector<float> scores =
            nas::predictor_scores(p, *ctx, r.archs, p.info.row_of(name), 1024);
        plot->write(nas::render_svg(transfer_plot(r, p, scores)));
        outputs.push_back(plot.get());
    }
    publish_all(outputs);
    print_report(f, r, p);
}

}  // namespace

void register_transfer(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("transfer",
                                     "fit a pre-trained predictor to a device from a "
                                     "measurement file");
    add_data_option(*v, f.data);
    v->add_option("--checkpoint", f.checkpoint, "pre-trained predictor (.ckpt)")->required();
    v->add_option("--measurements", f.measurements,
                  "the device's measurements (JSON, see "
                  "docs/data.md)")
        ->required();
    v->add_option("--out", f.out, "checkpoint to write (.ckpt)")->required();
    v->add_option("--name", f.name, "device name (default: the measurement file's name)");
    v->add_option("--epochs", f.t.epochs, "fine-tuning epochs (default NB201 40, FBNet 30)")
        ->check(CLI::Range(1, 1 << 20));
    v->add_option("--lr", f.t.lr, "fine-tuning learning rate (default NB201 3e-3, FBNet 1e-3)")
        ->check(finite_in(0.0, 1.0, true));
    v->add_option("--batch-size", f.t.batch_size, "fine-tuning batch")
        ->check(CLI::Range(2, 1 << 20))
        ->capture_default_str();
    v->add_option("--folds", f.t.folds, "cross-validation folds (0 = none, else >= 2)")
        ->check(CLI::Range(0, 1 << 16))
        ->capture_default_str();
    v->add_option("--calibration", f.t.calibration, "score -> ms map: isotonic or linear")
        ->check(CLI::IsMember({"isotonic", "linear"}))
        ->capture_default_str();
    v->add_flag("--no-init-from-source", f.no_init,
                "keep the device row's own initialisation (no copy from the best source)");
    v->add_flag("--score-once", f.score_once, "score each batch once and pair the scores");
    v->add_option("--priors", f.priors,
                  "simple predictors scored beside the fine-tuned one (flops, params, device, "
                  "ridge; 'none' for the model alone)")
        ->capture_default_str();
    v->add_option("--blend", f.blend,
                  "how the candidates' weights follow their out-of-fold Spearman: a power p "
                  "(weights ~ rho^p) or 'best'")
        ->capture_default_str();
    v->add_option("--plot", f.plot,
                  "write an SVG: cross-validated predicted vs measured, and "
                  "the calibration");
    add_seed_option(*v, f.t.seed);
    f.t.seed = 42;
    add_device_option(*v, f.device);
    v->callback([flags] { run_transfer(*flags); });
}

}  // namespace nasflat::cli
