// fuzz_measurements.cpp — libFuzzer target: a user's measurement file (nas::load_measurements,
// the input of `nasflat transfer` and `data --check`), for NB201 and FBNet, latency or energy.
// Properties of an accepted file: one value per architecture, indices in range and distinct,
// values within kMinValue..kMaxValue in the metric's base unit (ms, mJ), and the file survives
// save_measurements -> load_measurements unchanged (same metric, unit, indices, bits).
// Seeds: tests/data/nas/*.json. Run: scripts/fuzz.sh measurements SECONDS.
#include <set>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "nas/data/measurements.h"

using namespace nasflat;

namespace {

void check_file(const nas::SearchSpace& ss, const std::string& path) {
    nas::Measurements m;
    if (!fuzz::refused_or_ran([&] { m = nas::load_measurements(path, ss); })) return;
    FUZZ_EXPECT(!m.values.empty() && m.values.size() == m.arch_index.size(), "lengths");
    const std::set<int32_t> distinct(m.arch_index.begin(), m.arch_index.end());
    FUZZ_EXPECT(distinct.size() == m.arch_index.size(), "a repeated architecture was accepted");
    FUZZ_EXPECT(*distinct.begin() >= 0 && *distinct.rbegin() < ss.size(), "index out of range");
    for (double v : m.base_values()) {
        FUZZ_EXPECT(v >= nas::kMinValue && v <= nas::kMaxValue, std::to_string(v));
    }
    fuzz::refused_or_ran([&] { nas::check_transferable(m); });
    const std::string copy = fuzz::scratch_path("m.json");
    nas::save_measurements(copy, m, &ss);
    const nas::Measurements back = nas::load_measurements(copy, ss);
    FUZZ_EXPECT(back.arch_index == m.arch_index && back.values == m.values &&
                    back.unit == m.unit && back.metric == m.metric,
                "save_measurements -> load_measurements changed it");
}

}  // namespace

// The spaces load before libFuzzer starts timing inputs (fuzz_util.h).
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    fuzz::load_spaces();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::MemFile file;
    file.set(data, size);
    for (nas::Space s : {nas::Space::NB201, nas::Space::FBNet}) check_file(fuzz::space(s), file.path());
    return 0;
}
