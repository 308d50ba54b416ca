// fuzz_arch_string.cpp — libFuzzer target: one architecture as text (SearchSpace::parse_arch
// and parse_ops), the input of `predict` on stdin, arch lists and measurement files.
// The input is tried as an NB201 and as an FBNet architecture. Properties of what is accepted:
// parse_arch's index holds the parsed ops, its own text parses back to it, and parse_ops
// accepts exactly when parse_arch does or the ops are valid but not an indexed architecture.
// Seeds: fuzz/seeds/arch_string. Run: scripts/fuzz.sh arch_string SECONDS.
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"

using namespace nasflat;

namespace {

void check_space(const nas::SearchSpace& ss, const std::string& text) {
    int index = -1;
    std::vector<int> ops;
    const bool as_arch = fuzz::refused_or_ran([&] { index = ss.parse_arch(text); });
    const bool as_ops = fuzz::refused_or_ran([&] { ops = ss.parse_ops(text); });
    if (as_arch) {
        FUZZ_EXPECT(index >= 0 && index < ss.size(), std::to_string(index));
        FUZZ_EXPECT(as_ops && ops == ss.ops(index), "parse_ops disagrees with parse_arch");
        FUZZ_EXPECT(ss.parse_arch(ss.arch_string(index)) == index, ss.arch_string(index));
    }
    if (as_ops) {
        // Valid ops: their text round-trips, and parse_arch fails only for an unindexed network.
        const std::string again = ss.text_of_ops(ops);
        FUZZ_EXPECT(ss.parse_ops(again) == ops, again);
        FUZZ_EXPECT(as_arch == (ss.find(ops) >= 0), "parse_arch and find disagree");
        ss.cost_of_ops(ops);
        ss.graph_of_ops(ops, nas::GraphMode::Reference);
        ss.graph_of_ops(ops, nas::GraphMode::Fixed);
    } else {
        FUZZ_EXPECT(!as_arch, "parse_arch accepted what parse_ops refused");
    }
}

}  // namespace

// The spaces load before libFuzzer starts timing inputs (fuzz_util.h).
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    fuzz::load_spaces();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    check_space(fuzz::space(nas::Space::NB201), text);
    check_space(fuzz::space(nas::Space::FBNet), text);
    return 0;
}
