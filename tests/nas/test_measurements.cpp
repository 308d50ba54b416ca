// test_measurements.cpp — user measurement files (docs/data.md): the good layouts (indices,
// arch strings, op lists, mixed), a data-folder device file read as measurements, save/load
// round trips, and bad files (fixtures tests/data/nas/meas_bad_*.json).
#include <gtest/gtest.h>

#include "nas/data/measurements.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;
using testing::fbnet_space;
using testing::fixture;
using testing::nb201_space;
using testing::TempDir;
using MeasurementsTest = testing::RealData;

TEST_F(MeasurementsTest, GoodFiles) {
    Measurements m = load_measurements(fixture("meas_nb201_good.json"), nb201_space());
    EXPECT_EQ(m.space, Space::NB201);
    EXPECT_EQ(m.unit, "ms");
    EXPECT_EQ(m.arch_index, (std::vector<int32_t>{1, 873, 0}));  // string, index, op list
    EXPECT_EQ(m.values, (std::vector<double>{10.71, 12.9, 8.05}));
    EXPECT_EQ(m.file, fixture("meas_nb201_good.json"));

    Measurements us = load_measurements(fixture("meas_nb201_index.json"), nb201_space());
    EXPECT_EQ(us.unit, "us");
    EXPECT_EQ(us.arch_index, (std::vector<int32_t>{12, 3, 7000}));  // file order is kept

    Measurements fb = load_measurements(fixture("meas_fbnet_good.json"), fbnet_space());
    EXPECT_EQ(fb.arch_index, (std::vector<int32_t>{0, 42}));
}

// A device file of the data folder is a valid measurement file (same layout).
TEST_F(MeasurementsTest, DeviceFileIsAMeasurementFile) {
    Measurements m = load_measurements(data_ + "/nb201/latency/edgetpu.json", nb201_space());
    EXPECT_EQ(m.arch_index.size(), 10926u);
    Measurements f = load_measurements(data_ + "/fbnet/latency/pixel3.json", fbnet_space());
    EXPECT_EQ(f.arch_index.size(), 5000u);
}

TEST_F(MeasurementsTest, SaveLoadRoundTrip) {
    TempDir dir;
    for (const SearchSpace* ss : {&nb201_space(), &fbnet_space()}) {
        Measurements m;
        m.space = ss->space();
        m.unit = "ms";
        m.arch_index = {17, 3, 999};
        m.values = {1.25, 0.1 + 0.2, 1e-3};  // 0.1 + 0.2 checks full double precision
        for (const SearchSpace* with : {ss, static_cast<const SearchSpace*>(nullptr)}) {
            std::string path =
                dir.path() + "/m_" + space_name(ss->space()) + (with ? "_archs" : "") + ".json";
            save_measurements(path, m, with);
            Measurements back = load_measurements(path, *ss);
            EXPECT_EQ(back.arch_index, m.arch_index);
            EXPECT_EQ(back.values, m.values);
            EXPECT_EQ(back.unit, "ms");
        }
    }
    Measurements bad;
    bad.unit = "ms";
    bad.arch_index = {1, 1};
    bad.values = {1, 2};
    expect_error([&] { save_measurements(dir.path() + "/bad.json", bad); }, {"appears twice"});
    bad.arch_index = {1};
    expect_error([&] { save_measurements(dir.path() + "/bad.json", bad); },
                 {"2 values for 1 architectures"});
    bad.values = {-1};
    expect_error([&] { save_measurements(dir.path() + "/bad.json", bad); },
                 {"latency -1 ms is outside 1e-06 .. 1e+09 ms"});
    bad.values = {1};
    bad.unit = "hours";
    expect_error([&] { save_measurements(dir.path() + "/bad.json", bad); }, {"not a unit of latency"});
    expect_error(
        [&] {
            save_measurements("/no/such/folder/m.json",
                              Measurements{Space::NB201, "latency", "ms", "", {1}, {1.0}});
        },
        {"/no/such/folder", "does not exist"});
}

struct BadMeasurement {
    const char* file;
    bool fbnet;
    std::vector<std::string> parts;
};

class BadMeasurementFile : public ::testing::TestWithParam<BadMeasurement> {};

TEST_P(BadMeasurementFile, RejectedWithOneLine) {
    if (testing::real_data().empty()) GTEST_SKIP() << "data folder not found";
    const BadMeasurement& c = GetParam();
    std::vector<std::string> parts = c.parts;
    parts.push_back(c.file);
    expect_error(
        [&] { load_measurements(fixture(c.file), c.fbnet ? fbnet_space() : nb201_space()); },
        parts);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BadMeasurementFile,
    ::testing::Values(
        BadMeasurement{"meas_bad_arch_string.json",
                       false,
                       {"archs[1]", "unknown op 'conv1x1'", "did you mean"}},
        BadMeasurement{
            "meas_bad_space.json", false, {"space: is \"fbnet\", but nb201 architectures are expected"}},
        BadMeasurement{"meas_bad_duplicate_arch.json",
                       false,
                       {"archs[2]", "architecture 1 appears twice (also entry 0)", "average"}},
        BadMeasurement{
            "meas_bad_zero_latency.json", false, {"latency[1]", "latency 0 ms is outside"}},
        BadMeasurement{
            "meas_bad_unknown_key.json", false, {"key \"latencies\"", "did you mean \"latency\""}},
        BadMeasurement{"meas_bad_disagree.json",
                       false,
                       {"archs[1]", "is architecture 1 but arch_index says 2"}},
        BadMeasurement{"meas_bad_fbnet_short.json", true, {"archs[0]", "21 ops, expected 22"}},
        BadMeasurement{
            "meas_bad_unit.json", false, {"unit: 'minutes' is not a unit of latency", "ms, us, s"}},
        BadMeasurement{"meas_bad_no_archs.json", false, {"missing \"arch_index\" or \"archs\""}},
        BadMeasurement{"meas_bad_arch_type.json", false, {"archs[0]", "got boolean"}},
        BadMeasurement{"meas_bad_lengths.json", false, {"2 values for 3 architectures"}},
        BadMeasurement{"meas_bad_fbnet_unknown.json", true, {"archs[0]", "not one of the 5000"}},
        BadMeasurement{"bad_truncated.json", false, {"not valid JSON"}},
        BadMeasurement{"bad_latency_negative.json", false, {"latency[1]", "negative"}}),
    [](const ::testing::TestParamInfo<BadMeasurement>& info) {
        std::string name = info.param.file;
        name = name.substr(0, name.size() - 5);  // drop ".json"
        return name.substr(name.rfind("bad_") + 4) + (name.rfind("meas_", 0) == 0 ? "" : "_device");
    });

}  // namespace
}  // namespace nasflat::nas
