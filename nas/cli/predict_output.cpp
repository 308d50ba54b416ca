// predict_output.cpp — see predict_output.h.
#include "nas/cli/predict_output.h"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unordered_set>

#include "kernels/base/check.h"
#include "nas/predictor/calibration.h"
#include "nas/data/measurements.h"
#include "nas/base/metrics.h"
#include "nas/base/plot.h"

namespace nasflat::cli {

RowWriter::RowWriter(std::string format, std::string column)
    : format_(std::move(format)), column_(std::move(column)) {
    if (format_ == "csv") text_ = "index,arch,score," + column_ + "\n";
}

std::string value_column(const nas::Predictor& p) {
    return p.info.metric == "energy" ? "energy_mj" : "latency_ms";
}

void RowWriter::row(int32_t index, const std::string& arch, float score, double ms) {
    std::ostringstream out;
    out << std::setprecision(7);
    if (format_ == "csv") {
        const bool quote = arch.find(',') != std::string::npos;
        out << index << "," << (quote ? "\"" : "") << arch << (quote ? "\"" : "") << "," << score
            << ",";
        if (std::isfinite(ms)) out << ms;
        out << "\n";
    } else {
        out << "{\"index\":" << index << ",\"arch\":\"" << arch << "\",\"score\":" << score
            << ",\"" << column_ << "\":";
        if (std::isfinite(ms)) out << ms;
        else out << "null";
        out << "}\n";
    }
    text_ += out.str();
}

std::string RowWriter::take() {
    std::string out;
    out.swap(text_);
    return out;
}

void report_truth(const nas::Predictor& p, const PredictedRows& rows, const std::string& truth_name,
                  const std::vector<double>& truth, StagedFile* plot) {
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
    if (plot == nullptr) return;
    std::ostringstream note;
    note << std::fixed << std::setprecision(3) << "Spearman " << rho << ", Kendall " << tau
         << " on " << s.size() << " archs";
    const std::string what = p.info.metric + " (" + nas::base_unit(p.info.metric) + ")";
    nas::Panel panel{p.info.target + ": predicted vs measured " + p.info.metric, "measured " + what,
                     has_ms ? "predicted " + what : "predicted score", true, has_ms, has_ms,
                     {{"", t, has_ms ? ms : s, false, true}}, {note.str()}};
    plot->write(nas::render_svg({panel}));
}

}  // namespace nasflat::cli
