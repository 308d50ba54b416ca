// tiny_predictor.h — a fixture for CLI tests that need a working predictor: a tiny NB201 model
// pre-trained on two devices (30 archs, 1 epoch), transferred to pixel2 from 8 simulated
// measurements, built once per test process in a scratch folder. Also file helpers.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/nas/cli_test_util.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {

inline std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

class TinyPredictor : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        data_ = testing::real_data();
        if (data_.empty()) return;
        dir_ = new testing::TempDir();
        ASSERT_EQ(cli("pretrain --space nb201 --devices 1080ti_1,pixel3 --source-samples 30 "
                      "--epochs 1 --out " + q("pre.ckpt")).code, 0);
        ASSERT_EQ(cli("sample --space nb201 --count 8 --sampler random --fill-from pixel2 "
                      "--seed 3 --out " + q("m.json")).code, 0);
        ASSERT_EQ(cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements " + q("m.json") +
                      " --name pixel2 --epochs 2 --folds 0 --out " + q("pixel2.ckpt")).code, 0);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    void SetUp() override {
        if (data_.empty()) GTEST_SKIP() << "data folder not found";
    }
    // A path in the scratch folder, and the same quoted for the shell.
    static std::string file(const std::string& name) { return dir_->path() + "/" + name; }
    static std::string q(const std::string& name) { return "'" + file(name) + "'"; }
    static std::string write(const std::string& name, const std::string& text) {
        return dir_->write(name, text);
    }
    static CliResult cli(const std::string& args, const std::string& prefix = "") {
        return run_cli(args + " --data '" + data_ + "'", prefix);
    }
    // Files in the scratch folder whose name contains `part` (temporaries are hidden files).
    static int count_files(const std::string& part) {
        int n = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir_->path()))
            n += e.path().filename().string().find(part) != std::string::npos;
        return n;
    }
    static inline std::string data_;
    static inline testing::TempDir* dir_ = nullptr;
};

}  // namespace nasflat::nas
