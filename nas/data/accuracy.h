// accuracy.h — NB201 accuracies, <data>/nb201/accuracy.json: 9 columns (CIFAR-10/100,
// ImageNet16-120 at 200 and 12 epochs) x 15625 cells, in %. Missing values (null in the file:
// cifar10_test_200ep and imagenet16_valid_200ep exist for 9445 cells) are NaN here.
// Use `recommended` (cifar10_valid_200ep) for search; see ../shared/data/README.md.
#pragma once

#include <string>
#include <vector>

namespace nasflat::nas {

struct AccuracyTable {
    std::string file, recommended;
    std::vector<std::string> columns;         // (A) column names, file order
    std::vector<std::vector<double>> values;  // (A)(15625) percent, NaN where missing

    // Values of one column; unknown name -> error listing the columns.
    const std::vector<double>& column(const std::string& name) const;
};

// Reads and validates the file: count == 15625, arch_index 0..15624, every column complete in
// length, values null or finite in [0, 100], recommended one of the columns.
AccuracyTable load_accuracy(const std::string& data_dir);

}  // namespace nasflat::nas
