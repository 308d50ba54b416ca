// nas_test_util.h — helpers for the nas/ suite: fixture paths, a scratch folder per test,
// the real data folder (tests skip when it is absent), cached search spaces, and an
// expectation that a call throws nasflat::Error with a one-line message containing given parts.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "kernels/base/check.h"
#include "nas/space/search_space.h"
#include "tests/test_util.h"

namespace nasflat::nas::testing {

// tests/data/nas/<name> (NASFLAT_NAS_FIXTURES is set by tests/CMakeLists.txt).
inline std::string fixture(const std::string& name) {
    return std::string(NASFLAT_NAS_FIXTURES) + "/" + name;
}

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    // Writes `text` to path()/name (creating sub-folders) and returns the full path.
    std::string write(const std::string& name, const std::string& text) const;

  private:
    std::string path_;
};

// A folder that mirrors the real data folder with one symlink per file, so single files can
// be replaced by bad ones cheaply. Requires the real data folder.
void mirror_data_folder(const std::string& real, const std::string& into);

// Runs `call`, expecting nasflat::Error whose message is one line and contains every part.
void expect_error(const std::function<void()>& call, const std::vector<std::string>& parts);

// The real data folder, or "" (tests then GTEST_SKIP).
inline std::string real_data() {
    return nasflat::testing::data_dir();
}
// Search spaces loaded once per process from the real data folder.
const SearchSpace& nb201_space();
const SearchSpace& fbnet_space();

// Base fixture for tests that need the real data folder.
class RealData : public ::testing::Test {
  protected:
    void SetUp() override {
        data_ = real_data();
        if (data_.empty()) GTEST_SKIP() << "data folder not found (set NASFLAT_DATA)";
    }
    std::string data_;
};

}  // namespace nasflat::nas::testing
