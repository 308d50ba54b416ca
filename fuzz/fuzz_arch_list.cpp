// fuzz_arch_list.cpp — libFuzzer target: architecture list files (nas::load_arch_list: JSON,
// text lines, predict's CSV) and the streaming reader of `predict` on stdin
// (nas::ArchLineReader), each for NB201 and FBNet.
// Properties of an accepted list: non-empty, indices in range, no repeats, and it survives
// save_arch_list -> load_arch_list unchanged. The streaming reader hands out at most the batch
// size each call and only indices in range.
// Seeds: tests/data/nas/*.json and fuzz/seeds/arch_list. Run: scripts/fuzz.sh arch_list SECONDS.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "nas/data/arch_list.h"

using namespace nasflat;

namespace {

void check_file(const nas::SearchSpace& ss, const std::string& path) {
    std::vector<int32_t> archs;
    if (!fuzz::refused_or_ran([&] { archs = nas::load_arch_list(path, ss); })) return;
    FUZZ_EXPECT(!archs.empty(), "an empty list was accepted");
    const std::set<int32_t> distinct(archs.begin(), archs.end());
    FUZZ_EXPECT(distinct.size() == archs.size(), "a repeated architecture was accepted");
    FUZZ_EXPECT(*distinct.begin() >= 0 && *distinct.rbegin() < ss.size(), "index out of range");
    const std::string copy = fuzz::scratch_path("list.json");
    nas::save_arch_list(copy, ss, archs, nullptr, nlohmann::json::object());
    FUZZ_EXPECT(nas::load_arch_list(copy, ss) == archs, "save_arch_list -> load_arch_list changed it");
}

void check_stream(const nas::SearchSpace& ss, const std::string& text) {
    std::istringstream in(text);
    nas::ArchLineReader reader(in, ss, "stdin");
    fuzz::refused_or_ran([&] {
        for (int batch = 0; batch < 1000; ++batch) {
            const std::vector<int32_t> got = reader.next(3);
            FUZZ_EXPECT(got.size() <= 3, "a batch larger than asked");
            for (int32_t a : got) FUZZ_EXPECT(a >= 0 && a < ss.size(), std::to_string(a));
            if (got.size() < 3) break;  // the end of the input
        }
    });
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
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (nas::Space s : {nas::Space::NB201, nas::Space::FBNet}) {
        check_file(fuzz::space(s), file.path());
        check_stream(fuzz::space(s), text);
    }
    return 0;
}
