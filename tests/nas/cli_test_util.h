// cli_test_util.h — running the built `nasflat` binary (NASFLAT_BIN, set by tests/CMakeLists.txt)
// from a test: exit code, stdout and stderr apart, and the one-line error convention.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {

struct CliResult {
    int code = -1;
    std::string out, err;
};

// Runs `<prefix> nasflat <args>` through the shell; stdout and stderr are captured apart.
inline CliResult run_cli(const std::string& args, const std::string& prefix = "") {
    testing::TempDir tmp;
    const std::string err_file = tmp.path() + "/stderr";
    const std::string cmd =
        prefix + " '" + std::string(NASFLAT_BIN) + "' " + args + " 2>'" + err_file + "'";
    CliResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
    int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    r.err.assign(std::istreambuf_iterator<char>(in), {});
    return r;
}

// stderr is exactly one "nasflat: error: ..." line containing every part, besides notes
// ("nasflat: note: ...", e.g. a CUDA build saying it falls back to the CPU).
inline void expect_one_error_line(const CliResult& r, const std::vector<std::string>& parts) {
    std::string err;
    for (size_t at = 0; at < r.err.size();) {
        size_t end = r.err.find('\n', at);
        end = end == std::string::npos ? r.err.size() : end + 1;
        const std::string line = r.err.substr(at, end - at);
        if (line.rfind("nasflat: note: ", 0) != 0) err += line;
        at = end;
    }
    EXPECT_EQ(err.rfind("nasflat: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << r.err;
    for (const auto& p : parts)
        EXPECT_NE(err.find(p), std::string::npos) << "lacks '" << p << "': " << r.err;
}

inline bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace nasflat::nas
