// predict_output.cpp — see predict_output.h.
#include "nas/cli/predict_output.h"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unordered_set>

#include "kernels/base/check.h"
#include "nas/calibration.h"
#include "nas/measurements.h"
#include "nas/metrics.h"
#include "nas/plot.h"

namespace nasflat::cli {

RowWriter::RowWriter(std::ostream& out, std::string format) : out_(out), format_(std::move(format)) {
    if (format_ == "csv") out_ << "index,arch,score,latency_ms\n";
    out_ << std::setprecision(7);
}

void RowWriter::row(int32_t index, const std::string& arch, float score, double ms) {
    if (format_ == "csv") {
        const bool quote = arch.find(',') != std::string::npos;
        out_ << index << "," << (quote ? "\"" : "") << arch << (quote ? "\"" : "") << "," << score
             << ",";
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

void report_truth(const nas::Predictor& p, const PredictedRows& rows, const std::string& truth_name,
                  const std::string& plot, const std::string& data_dir, const nas::SearchSpace& ss) {
    const std::vector<double> truth = nas::latency_ms_by_arch(truth_name, data_dir, ss);
    std::unordered_set<int32_t> fitted;
    if (p.info.transfer.contains("archs")) {
        for (int32_t a : p.info.transfer["archs"].get<std::vector<int32_t>>()) fitted.insert(a);
    }
    std::vector<double> s, t, ms;
    for (size_t k = 0; k < rows.archs.size(); ++k) {
        if (std::isnan(truth[rows.archs[k]]) || fitted.count(rows.archs[k])) continue;
        s.push_back(rows.scores[k]);
        t.push_back(truth[rows.archs[k]]);
        ms.push_back(rows.ms[k]);
    }
    NASFLAT_CHECK(s.size() >= 2, "--truth ", truth_name, ": fewer than 2 of the predicted "
                  "architectures are measured there (the fitted ones left out)");
    const double rho = nas::spearman(s, t), tau = nas::kendall_tau_b(s, t);
    const bool has_ms = !std::isnan(rows.ms.empty() ? NAN : rows.ms[0]);
    std::cerr << std::fixed << std::setprecision(3) << "[truth] " << truth_name << ": " << s.size()
              << " archs (" << fitted.size() << " fitted ones left out): Spearman " << rho
              << ", Kendall " << tau;
    if (has_ms) std::cerr << std::setprecision(1) << ", MAPE " << nas::mape(ms, t) << " %";
    std::cerr << std::defaultfloat << std::endl;
    if (plot.empty()) return;
    std::ostringstream note;
    note << std::fixed << std::setprecision(3) << "Spearman " << rho << ", Kendall " << tau
         << " on " << s.size() << " archs";
    nas::Panel panel{p.info.target + ": predicted vs measured latency", "measured latency (ms)",
                     has_ms ? "predicted latency (ms)" : "predicted score", true, has_ms, has_ms,
                     {{"", t, has_ms ? ms : s, false, true}}, {note.str()}};
    nas::write_svg(plot, {panel});
    std::cerr << "[truth] wrote " << plot << std::endl;
}

}  // namespace nasflat::cli
