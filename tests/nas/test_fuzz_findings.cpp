// test_fuzz_findings.cpp — inputs the fuzz targets of fuzz/ found (scripts/fuzz.sh), reduced
// to what matters, each with the behaviour it must have: one-line errors that escape what they
// echo, and repeats refused wherever a list must not repeat.
#include <gtest/gtest.h>

#include <string>

#include "nas/data/arch_list.h"
#include "nas/data/measurements.h"
#include "nas/space/search_space.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using FuzzFindings = testing::RealData;

// The message of the error `call` throws; fails the test when it throws none.
template <typename F>
std::string error_of(F&& call) {
    try {
        call();
    } catch (const Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
}

bool has_control_byte(const std::string& s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

TEST_F(FuzzFindings, Nb201NodeGroupIsEscapedInItsMessage) {
    // fuzz_arch_string: a node group that does not end with '|' was echoed raw, escape codes
    // and all, into the terminal.
    const SearchSpace& ss = testing::nb201_space();
    const std::string msg = error_of(
        [&] { ss.parse_arch("|none~0\x1b[31m\x7f+|none~0|none~1|+|none~0|none~1|none~2|"); });
    EXPECT_FALSE(has_control_byte(msg)) << msg;
    EXPECT_NE(msg.find("node group 1 '|none~0\\x1b[31m\\x7f'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("must start and end with '|'"), std::string::npos) << msg;
}

TEST_F(FuzzFindings, RepeatedArchsEntryIsRefusedInAnArchList) {
    // fuzz_arch_list: a JSON list naming one architecture twice through "archs" (as a string
    // and as an index) was accepted; only "arch_index" was checked for repeats.
    const SearchSpace& ss = testing::nb201_space();
    testing::TempDir dir;
    const std::string path = dir.write(
        "l.json", "{\"space\": \"nb201\", \"archs\": [\"" + ss.arch_string(1) + "\", 5, 1]}");
    testing::expect_error([&] { load_arch_list(path, ss); },
                          {"l.json", "archs[2]", "architecture 1 appears twice (also entry 0)",
                           "fix: list each architecture once"});
    // The same list through arch_index was already refused, and still is.
    const std::string by_index =
        dir.write("i.json", "{\"space\": \"nb201\", \"arch_index\": [1, 5, 1]}");
    testing::expect_error([&] { load_arch_list(by_index, ss); }, {"i.json", "appears twice"});
}

}  // namespace
}  // namespace nasflat::nas
