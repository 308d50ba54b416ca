// fuzz_checkpoint.cpp — libFuzzer target: checkpoint files as every verb reads them,
// nas::load_predictor: models::load_checkpoint (magic, bounded read, version, checksum, header,
// configuration, parameter table, weights), then the predictor description in its metadata
// (nas::PredictorInfo::from_json: space, devices, calibration), then building the model.
// Each input is tried twice: as it is, and with its last 8 bytes replaced by the right FNV-1a
// checksum. The checksum is no defence against a crafted file, and without the second try
// nearly every mutation would stop at it, leaving the header parser unexplored.
// Property of an accepted file: its model holds exactly the file's parameters, and its
// calibration gives a finite latency or none.
// Seeds: written by fuzz_checkpoint_seeds (tiny predictors of every flavour, layer type and
// calibration). Run: scripts/fuzz.sh checkpoint SECONDS.
#include <cmath>
#include <cstring>
#include <string>

#include "fuzz/fuzz_util.h"
#include "models/checkpoint.h"
#include "nas/predictor/predictor.h"

using namespace nasflat;

namespace {

// The file format's checksum (models/checkpoint.h): FNV-1a 64 of every byte before it.
uint64_t fnv1a(const char* p, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; ++i) {
        h ^= static_cast<unsigned char>(p[i]);
        h *= 1099511628211ULL;
    }
    return h;
}

void check_file(const std::string& path) {
    nas::Predictor p;
    if (!fuzz::refused_or_ran([&] { p = nas::load_predictor(path, Device::CPU); })) return;
    FUZZ_EXPECT(p.model != nullptr, "no model");
    const auto& params = p.model->params();
    FUZZ_EXPECT(static_cast<int>(p.info.devices.size()) <= p.model->config().device_vocab,
                "more devices than embedding rows");
    FUZZ_EXPECT(params.numel() > 0, "a model without parameters");
    if (p.info.calibration.fitted()) {
        for (double score : {-1.0, 0.0, 0.5, 1.0}) {
            const double ms = p.info.calibration(score);
            FUZZ_EXPECT(std::isfinite(ms) && ms >= 0, std::to_string(ms));
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::MemFile file;
    file.set(data, size);
    check_file(file.path());
    if (size >= 16) {
        std::string bytes(reinterpret_cast<const char*>(data), size);
        const uint64_t sum = fnv1a(bytes.data(), bytes.size() - 8);
        std::memcpy(&bytes[bytes.size() - 8], &sum, sizeof sum);
        file.set(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        check_file(file.path());
    }
    return 0;
}
