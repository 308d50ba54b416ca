// bench_predict.cpp — the C++ side of bench/bench_python.py: archs/s of a transferred predictor
// scoring one batch of n architectures through the library calls `nasflat predict` (indices,
// nas::predictor_scores) and `nasflat search --mode evolution` (op lists,
// nas::predictor_scores_of_ops) use, with the CLI's batch and the given threads. The
// architectures follow a formula bench_python.py repeats, so both sides score the same ones;
// it prints the first score at full precision so that the two can be checked to agree.
// Usage: bench_predict CHECKPOINT --n N --form index|ops [--threads T] [--repeats R]
// Output: one line "form=index n=4096 threads=2 archs_per_s=... best_s=... first_score=...", the
// best of the repeats (the least disturbed by other work on the machine).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/base/check.h"
#include "nas/predictor/predictor.h"
#include "nas/predictor/training_steps.h"
#include "nas/space/space.h"

using namespace nasflat;

namespace {

// Architecture k of the batch: index (k * 7919) mod size, or op j = (31 k + 7 j + k j mod 5)
// mod vocab (bench_python.py: the same).
std::vector<int32_t> bench_indices(int n, int size) {
    std::vector<int32_t> out(n);
    for (int k = 0; k < n; ++k) out[k] = static_cast<int32_t>((int64_t(k) * 7919) % size);
    return out;
}

std::vector<std::vector<int>> bench_ops(int n, int positions, int vocab) {
    std::vector<std::vector<int>> out(n, std::vector<int>(positions));
    for (int k = 0; k < n; ++k) {
        for (int j = 0; j < positions; ++j) out[k][j] = (31 * k + 7 * j + (k * j) % 5) % vocab;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_predict CHECKPOINT --n N --form index|ops "
                             "[--threads T] [--repeats R]\n");
        return 2;
    }
    int n = 4096, threads = 1, repeats = 5;
    std::string form = "index";
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--n") n = std::atoi(value.c_str());
        else if (flag == "--threads") threads = std::atoi(value.c_str());
        else if (flag == "--repeats") repeats = std::atoi(value.c_str());
        else if (flag == "--form") form = value;
        else {
            std::fprintf(stderr, "bench_predict: unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    try {
        const nas::Predictor p = nas::load_predictor(argv[1], Device::CPU);
        auto ctx = nas::load_predictor_context(nas::resolve_data_dir(""), p);
        const int row = p.info.row_of(p.info.target);
        NASFLAT_CHECK(row >= 0, argv[1], " is not fitted to a device");
        const int batch = nas::default_score_batch(Device::CPU);
        const bool nb = p.info.space == nas::Space::NB201;
        const std::vector<int32_t> indices = bench_indices(n, ctx->space().size());
        const std::vector<std::vector<int>> ops =
            bench_ops(n, nb ? 6 : nas::kFbnetNumLayers, nb ? nas::kNb201NumOps : nas::kFbnetNumOps);
        std::vector<double> seconds;
        double first = 0;
        for (int r = 0; r <= repeats; ++r) {  // r = 0: warm-up
            const auto t0 = std::chrono::steady_clock::now();
            if (form == "index") {
                first = nas::predictor_scores(p, *ctx, indices, row, batch, threads).at(0);
            } else {
                first = static_cast<float>(
                    nas::predictor_scores_of_ops(p, *ctx, ops, row, batch, threads).at(0));
            }
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (r > 0) seconds.push_back(s);
        }
        const double best = *std::min_element(seconds.begin(), seconds.end());
        std::printf("form=%s n=%d threads=%d archs_per_s=%.0f best_s=%.6f first_score=%.9g\n",
                    form.c_str(), n, threads, n / best, best, first);
    } catch (const Error& e) {
        std::fprintf(stderr, "bench_predict: %s\n", e.what());
        return 2;
    }
    return 0;
}
