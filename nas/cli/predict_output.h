// predict_output.h — what `nasflat predict` writes: rows (index, arch, score, latency_ms) as CSV
// or JSON lines, and the comparison with measured latencies (--truth, --plot).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "nas/predictor.h"

namespace nasflat::cli {

// Writes rows as CSV (header first; FBNet op lists, which hold commas, are quoted) or as JSON
// lines; a NaN latency (no calibration) is an empty field / null.
class RowWriter {
public:
    RowWriter(std::ostream& out, std::string format);  // format: "csv" | "jsonl"
    void row(int32_t index, const std::string& arch, float score, double ms);
    void flush() { out_.flush(); }

private:
    std::ostream& out_;
    std::string format_;
};

// Every predicted row, kept for --truth.
struct PredictedRows {
    std::vector<int32_t> archs;
    std::vector<float> scores;
    std::vector<double> ms;  // NaN without calibration
};

// Spearman, Kendall and (with ms) MAPE of the rows against `truth` (a data-folder device or a
// measurement file), leaving out the archs the predictor was fitted on; one line on stderr, and
// an SVG of predicted vs measured when `plot` is not empty.
void report_truth(const nas::Predictor& p, const PredictedRows& rows, const std::string& truth,
                  const std::string& plot, const std::string& data_dir, const nas::SearchSpace& ss);

}  // namespace nasflat::cli
