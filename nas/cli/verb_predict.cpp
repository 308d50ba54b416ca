// verb_predict.cpp — `nasflat predict`: latency of architectures from a transferred predictor.
// Input: --archs FILE (JSON or text arch list, nas/arch_list.h), --all (the whole space), or
// else one architecture per line on stdin, streamed: rows are written as each batch is scored.
// Output: one row per architecture, columns index, arch, score, latency_ms (ms from the
// checkpoint's calibration; empty/null for a checkpoint without one), as CSV or JSON lines
// (by the extension of --out, or --format on stdout). Throughput goes to stderr.
// --truth DEVICE|FILE compares with measured latencies (Spearman, Kendall, MAPE; the archs the
// predictor was fitted on are left out) and --plot draws predicted vs measured.
// Example:
//   nasflat predict --checkpoint pixel2.ckpt --all --out pixel2_all.csv
//   echo '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|skip_connect~1|skip_connect~2|' \
//       | nasflat predict --checkpoint pixel2.ckpt
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <unordered_set>

#include "kernels/check.h"
#include "nas/arch_list.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/cli/verbs.h"
#include "nas/metrics.h"
#include "nas/plot.h"
#include "nas/predictor.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, checkpoint, archs, out, format = "csv", device, target, truth, plot;
    bool all = false;
    int batch = 4096;
};

// Writes rows as CSV or JSON lines.
class RowWriter {
public:
    RowWriter(std::ostream& out, std::string format) : out_(out), format_(std::move(format)) {
        if (format_ == "csv") out_ << "index,arch,score,latency_ms\n";
        out_ << std::setprecision(7);
    }
    void row(int32_t index, const std::string& arch, float score, double ms) {
        if (format_ == "csv") {
            // FBNet op lists hold commas: quote them.
            const bool quote = arch.find(',') != std::string::npos;
            out_ << index << "," << (quote ? "\"" : "") << arch << (quote ? "\"" : "") << ","
                 << score << ",";
            if (std::isfinite(ms)) out_ << ms;
            out_ << "\n";
        } else {
            out_ << "{\"index\":" << index << ",\"arch\":\"" << arch << "\",\"score\":" << score
                 << ",\"latency_ms\":";
            if (std::isfinite(ms)) out_ << ms;
            else out_ << "null";
            out_ << "}\n";
        }
    }
    void flush() { out_.flush(); }

private:
    std::ostream& out_;
    std::string format_;
};

void report_truth(const Flags& f, const nas::Predictor& p, const std::vector<int32_t>& archs,
                  const std::vector<double>& pred_ms, const std::vector<float>& scores,
                  const std::string& data_dir, const nas::SearchSpace& ss) {
    const std::vector<double> truth = nas::latency_ms_by_arch(f.truth, data_dir, ss);
    std::unordered_set<int32_t> fitted;
    if (p.info.transfer.contains("archs")) {
        for (int32_t a : p.info.transfer["archs"].get<std::vector<int32_t>>()) fitted.insert(a);
    }
    std::vector<double> s, t, ms;
    for (size_t k = 0; k < archs.size(); ++k) {
        if (std::isnan(truth[archs[k]]) || fitted.count(archs[k])) continue;
        s.push_back(scores[k]);
        t.push_back(truth[archs[k]]);
        ms.push_back(pred_ms[k]);
    }
    NASFLAT_CHECK(s.size() >= 2, "--truth ", f.truth, ": fewer than 2 of the predicted "
                  "architectures are measured there (the fitted ones left out)");
    const double rho = nas::spearman(s, t), tau = nas::kendall_tau_b(s, t);
    const bool has_ms = p.info.calibration.fitted();
    std::cerr << std::fixed << std::setprecision(3) << "[truth] " << f.truth << ": " << s.size()
              << " archs (" << fitted.size() << " fitted ones left out): Spearman " << rho
              << ", Kendall " << tau;
    if (has_ms) std::cerr << std::setprecision(1) << ", MAPE " << nas::mape(ms, t) << " %";
    std::cerr << std::defaultfloat << std::endl;
    if (!f.plot.empty()) {
        std::ostringstream note;
        note << std::fixed << std::setprecision(3) << "Spearman " << rho << ", Kendall " << tau
             << " on " << s.size() << " archs";
        nas::Panel panel{p.info.target + ": predicted vs measured latency",
                         "measured latency (ms)",
                         has_ms ? "predicted latency (ms)" : "predicted score",
                         true, has_ms, has_ms, {{"", t, has_ms ? ms : s, false, true}},
                         {note.str()}};
        nas::write_svg(f.plot, {panel});
        std::cerr << "[truth] wrote " << f.plot << std::endl;
    }
}

void run_predict(Flags& f) {
    NASFLAT_CHECK(!(f.all && !f.archs.empty()), "predict: pass --archs FILE or --all, not both");
    NASFLAT_CHECK(f.batch >= 1, "--batch must be positive, got ", f.batch);
    NASFLAT_CHECK(f.plot.empty() || !f.truth.empty(), "--plot draws predicted vs measured: it "
                  "needs --truth DEVICE|FILE");
    if (!f.plot.empty()) format_of(f.plot, {"svg"});
    const std::string format = f.out.empty() ? f.format : format_of(f.out, {"csv", "jsonl"});
    NASFLAT_CHECK(format == "csv" || format == "jsonl", "--format must be csv or jsonl, got '",
                  f.format, "'");
    const Device device = resolve_device(f.device);
    nas::Predictor p = nas::load_predictor(f.checkpoint, device);
    const std::string target = f.target.empty() ? p.info.target : f.target;
    NASFLAT_CHECK(!target.empty(), f.checkpoint, " is not fitted to a device yet; fix: run "
                  "`nasflat transfer`, or pass --target-device with one of its source devices");
    const int row = p.info.row_of(target);
    NASFLAT_CHECK(row >= 0, "--target-device ", target, " is not in ", f.checkpoint,
                  "'s device table");
    const bool calibrated = target == p.info.target && p.info.calibration.fitted();
    const std::string data_dir = nas::resolve_data_dir(f.data);
    auto ctx = nas::load_predictor_context(data_dir, p);
    const nas::SearchSpace& ss = ctx->space();

    std::ofstream file;
    if (!f.out.empty()) {
        file.open(f.out);
        NASFLAT_CHECK(file.good(), "cannot write '", f.out, "'; fix: check the folder exists");
    }
    RowWriter writer(f.out.empty() ? std::cout : file, format);
    std::vector<int32_t> listed;
    if (f.all) {
        for (int a = 0; a < ss.size(); ++a) listed.push_back(a);
    } else if (!f.archs.empty()) {
        listed = nas::load_arch_list(f.archs, ss);
    }
    const bool streaming = !f.all && f.archs.empty();
    int64_t line_no = 0;
    size_t next = 0;
    std::vector<int32_t> all_archs;
    std::vector<double> all_ms;
    std::vector<float> all_scores;
    double model_seconds = 0;
    int64_t done = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<int32_t> batch;
        if (streaming) {
            batch = nas::read_arch_lines(std::cin, ss, static_cast<size_t>(f.batch), "stdin", line_no);
        } else {
            const size_t end = std::min(listed.size(), next + static_cast<size_t>(f.batch));
            batch.assign(listed.begin() + next, listed.begin() + end);
            next = end;
        }
        if (batch.empty()) break;
        done += static_cast<int64_t>(batch.size());
        const auto tm = std::chrono::steady_clock::now();
        const std::vector<float> scores = nas::predictor_scores(p, *ctx, batch, row, f.batch);
        model_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - tm).count();
        for (size_t k = 0; k < batch.size(); ++k) {
            const double ms = calibrated ? p.info.calibration(scores[k]) : std::nan("");
            writer.row(batch[k], ss.arch_string(batch[k]), scores[k], ms);
            if (!f.truth.empty()) {
                all_archs.push_back(batch[k]);
                all_scores.push_back(scores[k]);
                all_ms.push_back(ms);
            }
        }
        writer.flush();
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "[predict] " << done << " archs" << (streaming ? " from stdin" : "") << " on "
              << target << " (" << device_name(device) << "): " << std::fixed
              << std::setprecision(0) << (model_seconds > 0 ? done / model_seconds : 0.0)
              << " archs/s in the model, " << std::setprecision(2) << wall << " s in all"
              << (calibrated ? "" : "; no ms: the checkpoint has no calibration for this device")
              << std::defaultfloat << std::endl;
    if (!f.truth.empty()) report_truth(f, p, all_archs, all_ms, all_scores, data_dir, ss);
}

}  // namespace

void register_predict(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("predict", "latency of architectures (a file, the whole "
                                                "space, or stdin) from a predictor");
    add_data_option(*v, f.data);
    v->add_option("--checkpoint", f.checkpoint, "predictor (.ckpt), usually from `transfer`")
        ->required();
    v->add_option("--archs", f.archs, "architectures: a JSON arch list or one arch per line");
    v->add_flag("--all", f.all, "every architecture of the space");
    v->add_option("--out", f.out, "output file: .csv or .jsonl (default: stdout)");
    v->add_option("--format", f.format, "format on stdout: csv or jsonl")->capture_default_str();
    v->add_option("--batch", f.batch, "architectures per model call")->capture_default_str();
    v->add_option("--target-device", f.target, "device row to predict for (default: the "
                                               "checkpoint's transferred device)");
    v->add_option("--truth", f.truth, "compare with measured latencies: a data-folder device "
                                      "name or a measurement file");
    v->add_option("--plot", f.plot, "with --truth: write an SVG of predicted vs measured");
    add_device_option(*v, f.device);
    v->callback([flags] { run_predict(*flags); });
}

}  // namespace nasflat::cli
