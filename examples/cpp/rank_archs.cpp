// rank_archs.cpp — fits a pre-trained nasflat predictor to a device from a measurement file,
// then ranks architectures by predicted latency: the public API's load, transfer and predict.
// Usage: rank_archs PRETRAINED.ckpt MEASUREMENTS.json DEVICE ARCH...
//   ARCH: an index, an NB201 arch string or FBNet ops ("7,8,1,..."), as `nasflat predict` reads.
// Prints one row per architecture, fastest first: index, score (9 digits: the float's bits),
// latency in ms. Build: see CMakeLists.txt beside it.
#include <nasflat/nasflat.h>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: rank_archs PRETRAINED.ckpt MEASUREMENTS.json DEVICE ARCH...\n");
        return 2;
    }
    try {
        const nasflat::Predictor pre = nasflat::Predictor::load(argv[1], "cpu");
        nasflat::TransferOptions options;
        options.name = argv[3];
        options.epochs = 2;
        options.folds = 2;
        nasflat::TransferReport report;
        const nasflat::Predictor p = pre.transfer(argv[2], options, &report);
        std::printf("fitted to %s on %d samples (cross-validated Spearman %.3f): %s\n",
                    report.device.c_str(), report.samples, report.cv_spearman,
                    report.choice.c_str());
        std::vector<int32_t> archs;
        for (int k = 4; k < argc; ++k) archs.push_back(p.index_of(argv[k]));
        const std::vector<float> scores = p.predict(archs);
        std::vector<double> ms(archs.size());
        p.predict_ms(archs.data(), archs.size(), ms.data());
        std::vector<size_t> order(archs.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return scores[a] < scores[b]; });
        std::printf("index,score,latency_ms\n");
        for (size_t k : order) std::printf("%d,%.9g,%g\n", archs[k], scores[k], ms[k]);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "rank_archs: %s\n", e.what());
        return 2;
    }
    return 0;
}
