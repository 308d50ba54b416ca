// test_checkpoint.cpp — checkpoints round-trip bit for bit and refuse corrupt, truncated,
// foreign or mismatched files with clear errors.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "kernels/base/check.h"
#include "models/checkpoint.h"
#include "models/training.h"
#include "tests/models/model_fixtures.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using namespace models;

// Per process: ctest runs this file's tests side by side, each in its own process, and two of
// them writing the same file raced (a rename found its temporary gone).
std::string temp_path(const std::string& name) {
    const std::string file = "nasflat_ckpt_" + std::to_string(getpid()) + "_" + name;
    return (std::filesystem::temp_directory_path() / file).string();
}

std::string read_all(const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void write_all(const std::string& p, const std::string& bytes) {
    std::ofstream f(p, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void expect_load_error(const std::string& path, const std::string& part) {
    try {
        load_checkpoint(path);
        ADD_FAILURE() << "no error for " << path;
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

class Checkpoints : public ::testing::Test {
protected:
    void SetUp() override {
        config_.none_op = 5;
        config_.supp_dim = 3;
        model_ = std::make_unique<NasflatModel>(config_, 17);
        path_ = temp_path("good.ckpt");
        save_checkpoint(path_, *model_, {{"space", "nb201"}, {"note", "test"}});
    }
    void TearDown() override { std::filesystem::remove(path_); }
    ModelConfig config_;
    std::unique_ptr<NasflatModel> model_;
    std::string path_;
};

TEST_F(Checkpoints, RoundTripKeepsEveryBitAndTheMetadata) {
    Checkpoint c = load_checkpoint(path_);
    EXPECT_EQ(c.metadata.at("space"), "nb201");
    EXPECT_EQ(config_to_json(c.config), config_to_json(config_));
    auto loaded = c.build(Device::CPU);
    std::vector<float> a = model_->params().values_to_host(), b = loaded->params().values_to_host();
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));
    std::vector<ArchGraph> gs = {nb201_idx0(), nb201_idx1()};
    std::vector<float> supp(6, 0.5f);
    ArchTable table{&gs, supp.data(), 3};
    EXPECT_EQ(predict(*model_, table, {0, 1}, 2), predict(*loaded, table, {0, 1}, 2));
    EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
}

TEST_F(Checkpoints, RefusesDamagedFiles) {
    std::string bytes = read_all(path_);
    const std::string bad = temp_path("bad.ckpt");
    std::string flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x40;
    write_all(bad, flipped);
    expect_load_error(bad, "checksum");
    write_all(bad, bytes.substr(0, bytes.size() / 3));
    expect_load_error(bad, "");
    write_all(bad, bytes.substr(0, 10));
    expect_load_error(bad, "truncated");
    write_all(bad, "{\"not\": \"a checkpoint\"}");
    expect_load_error(bad, "not a nasflat checkpoint");
    std::string version = bytes;
    version[8] = 99;
    write_all(bad, version);
    expect_load_error(bad, "version");
    expect_load_error(temp_path("missing.ckpt"), "file not found");
    std::filesystem::remove(bad);
}

TEST_F(Checkpoints, RefusesNonFiniteWeightsAndBadConfigurations) {
    std::vector<float> w = model_->params().values_to_host();
    w[7] = INFINITY;
    model_->params().values_from_host(w);
    const std::string bad = temp_path("inf.ckpt");
    save_checkpoint(bad, *model_, {});
    expect_load_error(bad, "1 non-finite weights");
    // What a huge configuration would hold is known without allocating it (the loader compares
    // that with the file before building anything).
    ModelConfig huge = config_;
    huge.hidden_dim = huge.update_hidden = 1 << 14;
    huge.main_dims = huge.op_update_dims = {1 << 14, 1 << 14};
    int64_t claimed = 0;
    for (const auto& e : NasflatModel::parameter_table(huge)) {
        int64_t n = 1;
        for (int64_t d : e.shape) n *= d;
        claimed += n;
    }
    EXPECT_GT(claimed, int64_t{2} << 30) << "more floats than this test could allocate";
    nlohmann::json j = config_to_json(config_);
    j["head_dims"] = std::vector<int>(1000, 8);
    EXPECT_THROW(config_from_json(j, "x"), Error);
    j = config_to_json(config_);
    j.erase("ln_eps");
    EXPECT_THROW(config_from_json(j, "x"), Error);
    const auto table = NasflatModel::parameter_table(config_);
    ASSERT_EQ(table.size(), model_->params().names().size());
    for (size_t i = 0; i < table.size(); ++i) {
        EXPECT_EQ(table[i].name, model_->params().names()[i]);
        EXPECT_EQ(table[i].shape, model_->params().tensors()[i].shape());
    }
    std::filesystem::remove(bad);
}

TEST(CheckpointWrites, UnwritableFolderIsAClearError) {
    ModelConfig c;
    NasflatModel m(c, 1);
    EXPECT_THROW(save_checkpoint("/nonexistent-folder/x.ckpt", m, {}), Error);
}

}  // namespace
}  // namespace nasflat::testing
