// predict_output.cpp — see predict_output.h.
#include "nas/cli/predict_output.h"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/base/plot.h"
#include "nas/data/measurements.h"

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
    const nas::TruthComparison c =
        nas::compare_with_truth(p, rows.archs, rows.scores, rows.ms, truth, truth_name);
    std::cerr << std::fixed << std::setprecision(3) << "[truth] " << truth_name << ": "
              << c.scores.size() << " archs (" << c.fitted
              << " fitted ones left out): Spearman " << c.spearman << ", Kendall " << c.kendall;
    if (c.has_ms) std::cerr << std::setprecision(1) << ", MAPE " << c.mape << " %";
    std::cerr << std::defaultfloat << std::endl;
    if (plot == nullptr) return;
    std::ostringstream note;
    note << std::fixed << std::setprecision(3) << "Spearman " << c.spearman << ", Kendall "
         << c.kendall << " on " << c.scores.size() << " archs";
    const std::string what = p.info.metric + " (" + nas::base_unit(p.info.metric) + ")";
    nas::Panel panel{p.info.target + ": predicted vs measured " + p.info.metric,
                     "measured " + what,
                     c.has_ms ? "predicted " + what : "predicted score",
                     true,
                     c.has_ms,
                     c.has_ms,
                     {{"", c.measured, c.has_ms ? c.predicted_ms : c.scores, false, true}},
                     {note.str()}};
    plot->write(nas::render_svg({panel}));
}

}  // namespace nasflat::cli
