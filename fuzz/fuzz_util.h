// fuzz_util.h — what the libFuzzer targets of fuzz/ share: the search spaces (read once from
// the data folder, found as the CLI finds it: $NASFLAT_DATA, ../shared/data, ./data), an
// in-memory file for loaders that take a path, a scratch folder for round trips, and the
// checks every target applies.
// Contract of a target: bad input may only end in nasflat::Error, whose message is one
// printable line of bounded length; anything else (another exception, a crash, a sanitizer
// report, a broken round trip) is a finding. Run: scripts/fuzz.sh (docs/testing.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "kernels/base/check.h"
#include "nas/space/search_space.h"

namespace nasflat::fuzz {

// Loads both spaces' architectures from the data folder; no data folder -> a message and
// exit 1. Targets that read a space call it from LLVMFuzzerInitialize, before libFuzzer arms
// its per-input timeout: under ASan the load takes seconds (about 12 s on a busy 2-core VM),
// which inside the first input ran past -timeout=10 and was reported as a hang.
void load_spaces();

// A space load_spaces() read; called before load_spaces() it is a finding, so a target that
// would load inside an input fails on its first one.
const nas::SearchSpace& space(nas::Space s);

// A file in memory (memfd) whose path loaders can open; set() replaces its content.
class MemFile {
public:
    MemFile();
    void set(const uint8_t* data, size_t size);  // (size) bytes
    const std::string& path() const { return path_; }

private:
    int fd_ = -1;
    std::string path_;  // /proc/self/fd/N
};

// A path in this process's scratch folder (removed at exit).
std::string scratch_path(const std::string& name);

// Runs `f`; true when it returned, false when it threw nasflat::Error with an acceptable
// message (check_message). Other exceptions propagate: the fuzzer reports them as crashes.
template <typename F>
bool refused_or_ran(F&& f);

// Aborts (a finding) unless `msg` is one printable line of at most kMaxMessageBytes: messages
// cut untrusted text at ~200 characters, so a longer one echoes input without bound.
constexpr size_t kMaxMessageBytes = 2048;
void check_message(const std::string& msg);

// A failed property: prints `what` and aborts, so libFuzzer saves the input.
[[noreturn]] void finding(const std::string& what);

template <typename F>
bool refused_or_ran(F&& f) {
    try {
        f();
        return true;
    } catch (const Error& e) {
        check_message(e.what());
        return false;
    }
}

}  // namespace nasflat::fuzz

// Checks a property of an accepted input; on failure the input is a finding.
#define FUZZ_EXPECT(cond, what)                                                         \
    do {                                                                                \
        if (!(cond)) ::nasflat::fuzz::finding(std::string(#cond " failed: ") + (what)); \
    } while (0)
