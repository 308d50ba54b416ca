// verb_predict.cpp — `nasflat predict`: latency of architectures from a transferred predictor.
// Input: --archs FILE (JSON or text arch list, nas/data/arch_list.h), --all (the whole space), or
// else one architecture per line on stdin, streamed: rows are written as each batch is scored.
// --threads N scores N batches of listed architectures side by side (stdin: one at a time).
// Output: one row per architecture, columns index, arch, score, latency_ms (ms from the
// checkpoint's calibration; energy_mj for an energy predictor; empty/null for a checkpoint
// without one), as CSV or JSON lines
// (by the extension of --out, or --format on stdout). Throughput goes to stderr.
// --truth DEVICE|FILE compares with measured latencies (Spearman, Kendall, MAPE; the archs the
// predictor was fitted on are left out) and --plot draws predicted vs measured.
// One prediction (the tiny predictor of tests/nas/test_practitioner_cli.cpp, which checks this
// output; README "Follow one prediction" lists the hops):
//   nasflat pretrain --space nb201 --devices 1080ti_1,pixel3 --source-samples 30 --epochs 1
//       --out pre.ckpt
//   nasflat sample --space nb201 --count 8 --sampler kmeancosine --fill-from pixel2 --seed 3
//       --out m.json
//   nasflat transfer --checkpoint pre.ckpt --measurements m.json --name pixel2 --epochs 2
//       --folds 2 --out pixel2.ckpt
//   echo '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|skip_connect~1|skip_connect~2|'
//       | nasflat predict --checkpoint pixel2.ckpt --format jsonl
//   {"index":10636,"arch":"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|skip_connect~1|skip_connect~2|","score":0.4579075,"latency_ms":15}
// The whole space to a file: nasflat predict --checkpoint pixel2.ckpt --all --out pixel2_all.csv
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/cli/predict_output.h"
#include "nas/cli/verbs.h"
#include "nas/data/arch_list.h"
#include "nas/data/measurements.h"
#include "nas/predictor/predictor.h"
#include "nas/predictor/training_steps.h"

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
        : stdin_(std::cin, ss, "stdin"), batch_(static_cast<size_t>(f.batch)), group_(group) {
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
        if (streaming_) return stdin_.next(batch_);
        const size_t end = std::min(listed_.size(), next_ + group_);
        std::vector<int32_t> b(listed_.begin() + next_, listed_.begin() + end);
        next_ = end;
        return b;
    }

  private:
    nas::ArchLineReader stdin_;
    size_t batch_, group_, next_ = 0;
    bool streaming_ = false;
    std::vector<int32_t> listed_;
};

// Where rows go: a staged --out file (published only when every row is written) or stdout,
// checked after every batch so a closed pipe stops the scoring with an error.
class RowSink {
  public:
    explicit RowSink(const std::string& out) {
        if (!out.empty()) file_ = std::make_unique<StagedFile>(out);
    }
    void write(const std::string& text) {
        if (file_) {
            file_->write(text);
        } else {
            std::cout << text;
            check_stdout();
        }
    }
    StagedFile* file() { return file_.get(); }

  private:
    std::unique_ptr<StagedFile> file_;
};

// The flags' checks that need no file read: combinations, formats, outputs that are inputs.
std::string check_flags(const Flags& f) {
    NASFLAT_CHECK(!(f.all && !f.archs.empty()), "predict: pass --archs FILE or --all, not both");
    NASFLAT_CHECK(f.plot.empty() || !f.truth.empty(),
                  "--plot draws predicted vs measured: it needs --truth DEVICE|FILE");
    if (!f.plot.empty()) format_of(f.plot, {"svg"});
    const std::string format = f.out.empty() ? f.format : format_of(f.out, {"csv", "jsonl"});
    NASFLAT_CHECK(format == "csv" || format == "jsonl", "--format must be csv or jsonl, got '",
                  printable(f.format, 40), "'");
    check_output_is_not_input(f.out, {f.checkpoint, f.archs, f.truth}, "--out");
    check_output_is_not_input(f.plot, {f.checkpoint, f.archs, f.truth, f.out}, "--plot");
    return format;
}

// One prediction, top to bottom (STYLE.md 12; README "Follow one prediction"). The checkpoint
// comes first because its space decides how an architecture is parsed. Every input (the
// checkpoint, --archs, --truth) is read before a row is written.
void run_predict(Flags& f) {
    const std::string format = check_flags(f);
    // 1. load the checkpoint (magic, version, checksum, shapes) and pick the device row.
    const Device device = resolve_device(f.device);
    const nas::Predictor p = nas::load_predictor(f.checkpoint, device);
    if (f.batch == 0) f.batch = nas::default_score_batch(device);
    const std::string target = f.target.empty() ? p.info.target : f.target;
    NASFLAT_CHECK(!target.empty(), f.checkpoint,
                  " is not fitted to a device yet; fix: run "
                  "`nasflat transfer`, or pass --target-device with one of its source devices");
    const int row = p.info.row_of(target);
    NASFLAT_CHECK(row >= 0, "--target-device ", printable(target, 60), " is not in ",
                  f.checkpoint, "'s device table");
    const bool calibrated = target == p.info.target && p.info.calibration.fitted();
    // 2. the space: its architectures and their predictor graphs; the measured truth.
    const std::string data_dir = nas::resolve_data_dir(f.data);
    auto ctx = nas::load_predictor_context(data_dir, p);
    const nas::SearchSpace& ss = ctx->space();
    const std::vector<double> truth =
        f.truth.empty() ? std::vector<double>() : nas::measured_by_arch(f.truth, data_dir, ss, p.info.metric);
    const int threads = scoring_threads(f.device, device);
    ArchSource source(f, ss, static_cast<size_t>(f.batch) * threads);
    RowSink sink(f.out);
    std::unique_ptr<StagedFile> plot;
    if (!f.plot.empty()) plot = std::make_unique<StagedFile>(f.plot);
    RowWriter writer(format, value_column(p));
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
        sink.write(writer.take());
        done += static_cast<int64_t>(batch.size());
    }
    sink.write(writer.take());  // a CSV header when nothing was scored
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "[predict] " << done << " archs" << (source.streaming() ? " from stdin" : "")
              << " on " << target << " (" << device_name(device) << "): " << std::fixed
              << std::setprecision(0) << (model_seconds > 0 ? done / model_seconds : 0.0)
              << " archs/s in the model, " << std::setprecision(2) << wall << " s in all"
              << (calibrated ? "" : "; no ms: the checkpoint has no calibration for this device")
              << std::defaultfloat << std::endl;
    if (!f.truth.empty()) report_truth(p, kept, f.truth, truth, plot.get());
    std::vector<StagedFile*> outputs;
    if (sink.file()) outputs.push_back(sink.file());
    if (plot) outputs.push_back(plot.get());
    publish_all(outputs);
    if (plot) std::cerr << "[truth] wrote " << f.plot << std::endl;
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
                  "architectures per model call (default: CPU 256, CUDA 32768)")
        ->check(CLI::Range(0, 1 << 24));
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
