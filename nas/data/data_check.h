// data_check.h — validates a whole data folder (what `nasflat data` prints): the manifest, and
// per space archs.json, every latency and energy file, accuracy.json and zcp.json, each with
// the loaders' own checks plus consistency with manifest.json (counts, units, min/median/max
// within 1e-5 relative) and with the analytic cost model (zcp flops/params). One bad file
// does not stop the others from being checked.
#pragma once

#include <string>
#include <vector>

#include "nas/space/space.h"

namespace nasflat::nas {

struct FileReport {
    std::string space;  // "nb201", "fbnet", or "" for the manifest
    std::string kind;   // manifest, archs, latency, energy, accuracy, zcp
    std::string name;   // device name, or the kind for non-device files
    std::string file;   // path relative to the data folder
    bool ok = false;
    std::string error;  // one line, when !ok
    int count = 0;      // architectures covered
    std::string unit;
    double min = 0, median = 0, max = 0;  // device files only
    std::string detail;                   // short summary for non-device files
};

struct DataReport {
    std::string data_dir;
    std::vector<FileReport> files;
    int num_bad() const;
};

// Checks the folder for the given spaces (both when empty). Never throws for a bad data file;
// each problem is recorded in its FileReport.
DataReport check_data_folder(const std::string& data_dir, const std::vector<Space>& spaces = {});

// Median as the data README computes it (mean of the middle two for even n).
double median_of(std::vector<double> v);

}  // namespace nasflat::nas
