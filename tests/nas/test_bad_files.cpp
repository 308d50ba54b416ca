// test_bad_files.cpp — every loader rejects bad files with one line naming the file, the entry
// and (where one exists) the fix. Device-file fixtures are in tests/data/nas/bad_*.json, each a
// copy of device_good.json with one defect; folder-level defects (manifest, archs.json, zcp)
// are written into a scratch mirror of the real data folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nas/data/data_check.h"
#include "nas/data/device_data.h"
#include "nas/data/manifest.h"
#include "nas/data/zcp.h"
#include "nas/space/search_space.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;
using testing::fixture;
using testing::TempDir;

DeviceData load_fixture(const std::string& name) {
    return load_device_file(fixture(name), Space::NB201, 15625);
}

TEST(DeviceFile, GoodFixtureLoads) {
    DeviceData d = load_fixture("device_good.json");
    EXPECT_EQ(d.name, "tiny");
    EXPECT_EQ(d.arch_index, (std::vector<int32_t>{0, 5, 9}));
    EXPECT_EQ(d.values, (std::vector<double>{1.5, 2.0, 3.25}));
    EXPECT_TRUE(d.covers(5));
    EXPECT_FALSE(d.covers(4));
    expect_error([&] { d.value(4); }, {"no latency for architecture 4", "device_good.json"});
}

struct BadCase {
    const char* file;
    std::vector<std::string> parts;  // besides the file name, which every message must contain
};

class BadDeviceFile : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadDeviceFile, RejectedWithOneLineNamingFileAndEntry) {
    const BadCase& c = GetParam();
    std::vector<std::string> parts = c.parts;
    parts.push_back(c.file);
    expect_error([&] { load_fixture(c.file); }, parts);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BadDeviceFile,
    ::testing::Values(
        BadCase{"bad_truncated.json",
                {"not valid JSON (truncated or malformed)", "column", "expected ']'"}},
        BadCase{"bad_empty_file.json", {"the file is empty"}},
        BadCase{"bad_not_object.json", {"top level", "expected an object, got an array"}},
        BadCase{"bad_latency_not_array.json", {"latency: expected an array, got string \"fast\""}},
        BadCase{"bad_latency_string_value.json",
                {"latency[1]", "expected a latency (number), got string"}},
        BadCase{"bad_latency_null.json", {"latency[1]", "got null", "fix:"}},
        BadCase{"bad_latency_nan.json", {"not valid JSON", "NaN and Infinity are not JSON"}},
        BadCase{"bad_latency_overflow.json", {"number overflow", "fix:"}},
        BadCase{"bad_latency_negative.json", {"latency[1]", "latency -2 is negative", "fix:"}},
        BadCase{"bad_duplicate_index.json", {"arch_index[2]", "index 5 appears twice", "fix:"}},
        BadCase{"bad_unsorted_index.json",
                {"arch_index[2]", "index 5 comes after 9", "strictly increasing"}},
        BadCase{"bad_index_out_of_range.json",
                {"arch_index[2]", "15625 is out of range", "0 to 15624"}},
        BadCase{"bad_index_negative.json", {"arch_index[0]", "-1 is out of range"}},
        BadCase{"bad_index_float.json",
                {"arch_index[1]", "expected an integer architecture index, got number 5.5"}},
        BadCase{"bad_empty_arrays.json", {"arch_index", "the array is empty"}},
        BadCase{"bad_mismatched_lengths.json",
                {"count 3, arch_index has 3 entries, latency has 2", "fix:"}},
        BadCase{"bad_count.json", {"count 4, arch_index has 3 entries"}},
        BadCase{"bad_wrong_space.json", {"space: is 'fbnet', expected 'nb201'"}},
        BadCase{"bad_wrong_unit.json", {"unit: is 's'", "latency files are in ms"}},
        BadCase{"bad_missing_key.json", {"missing key \"arch_index\""}},
        BadCase{"bad_duplicate_key.json", {"key \"latency\"", "appears twice in one object"}},
        BadCase{"bad_integer_values.json", {"latency[0]", "not a whole number"}},
        BadCase{"bad_metric.json", {"metric: is 'power'", "use latency or energy"}},
        BadCase{"bad_count_type.json", {"count: expected an integer, got string"}}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
        std::string name = std::filesystem::path(info.param.file).stem().string();
        return name.substr(4);  // drop "bad_"
    });

TEST(DeviceFile, MissingFileAndFolder) {
    expect_error([] { load_fixture("no_such_file.json"); },
                 {"no_such_file.json", "file not found"});
    expect_error([] { load_device_file(fixture(""), Space::NB201, 15625); }, {"is a folder"});
}

// Folder-level defects in a mirror of the real data folder (symlinks, so this is cheap).
class BadDataFolder : public testing::RealData {
  protected:
    void SetUp() override {
        testing::RealData::SetUp();
        if (!data_.empty()) testing::mirror_data_folder(data_, dir_.path());
    }
    std::string read(const std::string& path) {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    TempDir dir_;
};

TEST_F(BadDataFolder, ManifestErrors) {
    dir_.write("manifest.json", "{\"format_version\": 1, \"spaces\": {}}");
    expect_error([&] { load_manifest(dir_.path()); },
                 {"manifest.json: format_version: is 1, expected 2"});
    expect_error([&] { list_devices(dir_.path(), Space::NB201); }, {"format_version"});
    std::string text = read(data_ + "/manifest.json");
    text.replace(text.find("\"count\": 15625"), 14, "\"count\": -3");
    dir_.write("manifest.json", text);
    expect_error([&] { load_manifest(dir_.path()); },
                 {"spaces.nb201.devices[0].count", "must be positive"});
    DataReport r = check_data_folder(dir_.path());
    ASSERT_EQ(r.files.size(), 1u);
    EXPECT_FALSE(r.files[0].ok);
}

TEST_F(BadDataFolder, DeviceListedButFileDiffers) {
    // The manifest's statistics no longer match the (valid) file.
    std::string text = read(data_ + "/manifest.json");
    size_t at = text.find("\"median\": 9.52532");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 17, "\"median\": 9.62532");
    dir_.write("manifest.json", text);
    DataReport r = check_data_folder(dir_.path(), {Space::NB201});
    ASSERT_EQ(r.num_bad(), 1);
    for (const FileReport& f : r.files) {
        if (!f.ok) {
            EXPECT_EQ(f.name, "1080ti_1");
            EXPECT_NE(f.error.find("median is 9.52532 but manifest.json says 9.62532"),
                      std::string::npos)
                << f.error;
        }
    }
}

TEST_F(BadDataFolder, MissingAndStrayFiles) {
    std::filesystem::remove(dir_.path() + "/fbnet/latency/pixel2.json");
    dir_.write("fbnet/latency/my_board.json", read(fixture("device_good.json")));
    DataReport r = check_data_folder(dir_.path(), {Space::FBNet});
    EXPECT_EQ(r.num_bad(), 2);
    std::string errors;
    for (const FileReport& f : r.files) errors += f.ok ? "" : f.error + "\n";
    EXPECT_NE(errors.find("pixel2.json: file not found"), std::string::npos) << errors;
    EXPECT_NE(errors.find("my_board.json: not listed in manifest.json"), std::string::npos)
        << errors;
    expect_error([&] { load_device(dir_.path(), Space::FBNet, "my_board"); },
                 {"my_board.json exists but", "has no fbnet latency entry"});
}

TEST_F(BadDataFolder, ArchsFileErrors) {
    std::string text = read(data_ + "/fbnet/archs.json");
    // Make archs[1] a copy of archs[0]: a duplicate architecture.
    size_t a1 = text.find("{\"index\":1,\"ops\":[");
    ASSERT_NE(a1, std::string::npos);
    size_t end = text.find(']', a1);
    text.replace(a1, end - a1 + 1,
                 "{\"index\":1,\"ops\":[7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5]");
    dir_.write("fbnet/archs.json", text);
    expect_error([&] { SearchSpace::load(dir_.path(), Space::FBNet); },
                 {"fbnet/archs.json: archs[1]: same ops as archs[0]"});
    dir_.write("nb201/archs.json", "{\"space\": \"nb201\", \"op_vocab\": [\"none\"]}");
    expect_error([&] { SearchSpace::load(dir_.path(), Space::NB201); },
                 {"nb201/archs.json: op_vocab: is [\"none\"]"});
}

TEST_F(BadDataFolder, ZcpFileErrors) {
    std::string text = read(data_ + "/fbnet/zcp.json");
    size_t at = text.find("\"snip\":[");
    ASSERT_NE(at, std::string::npos);
    text.insert(at + 8, "null,");
    dir_.write("fbnet/zcp.json", text);
    expect_error([&] { load_zcp(dir_.path(), Space::FBNet, 5000); },
                 {"fbnet/zcp.json: values.snip[0]: expected a proxy value (number), got null"});
}

}  // namespace
}  // namespace nasflat::nas
