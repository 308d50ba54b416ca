// verb_predict.cpp — `nasflat predict`: latency of architectures from a transferred predictor.
// Input: --archs FILE (JSON or text arch list, nas/arch_list.h), --all (the whole space), or
// else one architecture per line on stdin, streamed: rows are written as each batch is scored.
// --threads N scores N batches of listed architectures side by side (stdin: one at a time).
// Output: one row per architecture, columns index, arch, score, latency_ms (ms from the
// checkpoint's calibration; empty/null for a checkpoint without one), as CSV or JSON lines
// (by the extension of --out, or --format on stdout). Throughput goes to stderr.
// --truth DEVICE|FILE compares with measured latencies (Spearman, Kendall, MAPE; the archs the
// predictor was fitted on are left out) and --plot draws predicted vs measured.
// One prediction (the tiny predictor of tests/nas/test_practitioner_cli.cpp, which checks this
// output; README "Follow one prediction" lists the hops):
//   nasflat pretrain --space nb201 --devices 1080ti_1,pixel3 --source-samples 30 --epochs 1 --out
//   pre.ckpt nasflat sample --space nb201 --count 8 --sampler kmeancosine --fill-from pixel2 --seed
//   3 --out m.json nasflat transfer --checkpoint pre.ckpt --measurements m.json --name pixel2
//   --epochs 2 --folds 2 --out pixel2.ckpt echo
//   '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|skip_connect~1|skip_connect~2|'
//   |
//       nasflat predict --checkpoint pixel2.ckpt --format jsonl
//   {"index":10636,"arch":"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|skip_connect~1|skip_connect~2|","score":0.1130053,"latency_ms":14.50543}
// The whole space to a file: nasflat predict --checkpoint pixel2.ckpt --all --out pixel2_all.csv
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "kernels/base/check.h"
#include "nas/arch_list.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/cli/predict_output.h"
#include "nas/cli/verbs.h"
#include "nas/predictor.h"
#include "nas/training_steps.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, checkpoint, archs, out, format = "csv", target, truth, plot;
    DeviceFlag device;
    bool all = false;
    int batch = 0;  // 0: default_score_batch(device)
};

// The architectures to score, in batches: the listed ones (--archs / --all), else stdin.
class ArchSource {
  public:
    // `group`: architectures per model call for listed ones (batch x threads, scored side by
    // side). Stdin reads --batch lines at a time, so that a client sending one line and waiting
    // for its row gets it.
    ArchSource(const Flags& f, const nas::SearchSpace& ss, size_t group)
        : ss_(ss), batch_(static_cast<size_t>(f.batch)), group_(group) {
        streaming_ = !f.all && f.archs.empty();
        if (f.all) {
            for (int a = 0; a < ss.size(); ++a) listed_.push_back(a);
        } else if (!f.archs.empty()) {
            listed_ = nas::load_arch_list(f.archs, ss);  // parsed and validated here
        }
    }
    bool streaming() const { return streaming_; }
    // The next batch (empty at the end); stdin lines are parsed and validated as they come.
    std::vector<int32_t> next() {
        if (streaming_) return nas::read_arch_lines(std::cin, ss_, batch_, "stdin", line_no_);
        const size_t end = std::min(listed_.size(), next_ + group_);
        std::vector<int32_t> b(listed_.begin() + next_, listed_.begin() + end);
        next_ = end;
        return b;
    }

  private:
    const nas::SearchSpace& ss_;
    size_t batch_, group_, next_ = 0;
    bool streaming_ = false;
    int64_t line_no_ = 0;
    std::vector<int32_t> listed_;
};

// One prediction, top to bottom (STYLE.md 12; README "Follow one prediction"). The checkpoint
// comes first because its space decides how an architecture is parsed.
void run_predict(Flags& f) {
    NASFLAT_CHECK(!(f.all && !f.archs.empty()), "predict: pass --archs FILE or --all, not both");
    NASFLAT_CHECK(f.batch >= 0, "--batch must be positive (or 0 for the default), got ", f.batch);
    NASFLAT_CHECK(f.plot.empty() || !f.truth.empty(),
                  "--plot draws predicted vs measured: it "
                  "needs --truth DEVICE|FILE");
    if (!f.plot.empty()) format_of(f.plot, {"svg"});
    const std::string format = f.out.empty() ? f.format : format_of(f.out, {"csv", "jsonl"});
    NASFLAT_CHECK(format == "csv" || format == "jsonl", "--format must be csv or jsonl, got '",
                  f.format, "'");
    // 1. load the checkpoint (magic, version, checksum, shapes) and pick the device row.
    const Device device = resolve_device(f.device);
    const nas::Predictor p = nas::load_predictor(f.checkpoint, device);
    if (f.batch == 0) f.batch = nas::default_score_batch(device);
    const std::string target = f.target.empty() ? p.info.target : f.target;
    NASFLAT_CHECK(!target.empty(), f.checkpoint,
                  " is not fitted to a device yet; fix: run "
                  "`nasflat transfer`, or pass --target-device with one of its source devices");
    const int row = p.info.row_of(target);
    NASFLAT_CHECK(row >= 0, "--target-device ", target, " is not in ", f.checkpoint,
                  "'s device table");
    const bool calibrated = target == p.info.target && p.info.calibration.fitted();
    // 2. the space: its architectures and their predictor graphs.
    const std::string data_dir = nas::resolve_data_dir(f.data);
    auto ctx = nas::load_predictor_context(data_dir, p);
    const nas::SearchSpace& ss = ctx->space();
    std::ofstream file;
    if (!f.out.empty()) {
        file.open(f.out);
        NASFLAT_CHECK(file.good(), "cannot write '", f.out, "'; fix: check the folder exists");
    }
    RowWriter writer(f.out.empty() ? std::cout : file, format);
    const int threads = scoring_threads(f.device, device);
    ArchSource source(f, ss, static_cast<size_t>(f.batch) * threads);
    PredictedRows kept;
    double model_seconds = 0;
    int64_t done = 0;
    const auto t0 = std::chrono::steady_clock::now();
    // 3. parse + validate a batch; 4. collate its graphs and run the forward; 5. calibrate, print.
    for (std::vector<int32_t> batch = source.next(); !batch.empty(); batch = source.next()) {
        const auto tm = std::chrono::steady_clock::now();
        const std::vector<float> scores =
            nas::predictor_scores(p, *ctx, batch, row, f.batch, threads);
        model_seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - tm).count();
        for (size_t k = 0; k < batch.size(); ++k) {
            const double ms = calibrated ? p.info.calibration(scores[k]) : std::nan("");
            writer.row(batch[k], ss.arch_string(batch[k]), scores[k], ms);
            if (!f.truth.empty()) {
                kept.archs.push_back(batch[k]);
                kept.scores.push_back(scores[k]);
                kept.ms.push_back(ms);
            }
        }
        writer.flush();
        done += static_cast<int64_t>(batch.size());
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "[predict] " << done << " archs" << (source.streaming() ? " from stdin" : "")
              << " on " << target << " (" << device_name(device) << "): " << std::fixed
              << std::setprecision(0) << (model_seconds > 0 ? done / model_seconds : 0.0)
              << " archs/s in the model, " << std::setprecision(2) << wall << " s in all"
              << (calibrated ? "" : "; no ms: the checkpoint has no calibration for this device")
              << std::defaultfloat << std::endl;
    if (!f.truth.empty()) report_truth(p, kept, f.truth, f.plot, data_dir, ss);
}

}  // namespace

void register_predict(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("predict",
                                     "latency of architectures (a file, the whole "
                                     "space, or stdin) from a predictor");
    add_data_option(*v, f.data);
    v->add_option("--checkpoint", f.checkpoint, "predictor (.ckpt), usually from `transfer`")
        ->required();
    v->add_option("--archs", f.archs, "architectures: a JSON arch list or one arch per line");
    v->add_flag("--all", f.all, "every architecture of the space");
    v->add_option("--out", f.out, "output file: .csv or .jsonl (default: stdout)");
    v->add_option("--format", f.format, "format on stdout: csv or jsonl")->capture_default_str();
    v->add_option("--batch", f.batch,
                  "architectures per model call (default: CPU 256, CUDA 32768)");
    v->add_option("--target-device", f.target,
                  "device row to predict for (default: the "
                  "checkpoint's transferred device)");
    v->add_option("--truth", f.truth,
                  "compare with measured latencies: a data-folder device "
                  "name or a measurement file");
    v->add_option("--plot", f.plot, "with --truth: write an SVG of predicted vs measured");
    add_device_option(*v, f.device);
    add_threads_option(*v, f.device);
    v->callback([flags] { run_predict(*flags); });
}

}  // namespace nasflat::cli
