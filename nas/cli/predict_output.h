// predict_output.h — what `nasflat predict` writes: rows (index, arch, score, latency_ms) as CSV
// or JSON lines, and the comparison with measured latencies (--truth, --plot).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/base/file_io.h"
#include "nas/predictor/predictor.h"

namespace nasflat::cli {

// Formats rows as CSV (header first; FBNet op lists, which hold commas, are quoted) or as JSON
// lines; a NaN latency (no calibration) is an empty field / null. Rows collect in a buffer the
// caller takes after each batch (to a staged file or stdout).
class RowWriter {
public:
    // format "csv" | "jsonl"; column: the value column, "latency_ms" or "energy_mj".
    RowWriter(std::string format, std::string column);
    void row(int32_t index, const std::string& arch, float score, double ms);
    std::string take();  // the text so far, emptied

private:
    std::string format_, column_, text_;
};

// Every predicted row, kept for --truth.
struct PredictedRows {
    std::vector<int32_t> archs;
    std::vector<float> scores;
    std::vector<double> ms;  // NaN without calibration
};

// Spearman, Kendall and (with ms) MAPE of the rows against `truth_ms` (ms by arch index, NaN
// where not measured; read from `truth_name`, a data-folder device or a measurement file, before
// anything was scored), leaving out the archs the predictor was fitted on
// (nas::compare_with_truth): one line on stderr, and an SVG of predicted vs measured into `plot`
// when it is not null.
void report_truth(const nas::Predictor& p, const PredictedRows& rows, const std::string& truth_name,
                  const std::vector<double>& truth_ms, StagedFile* plot);

// "latency_ms" or "energy_mj": the value column of a predictor's rows.
std::string value_column(const nas::Predictor& p);

}  // namespace nasflat::cli
