// test_device_data.cpp — the real data folder: manifest, every latency and energy file of both
// spaces, accuracy.json, zcp.json, and the whole-folder check behind `nasflat data`.
#include <gtest/gtest.h>

#include <cmath>

#include "nas/data/accuracy.h"
#include "nas/data/data_check.h"
#include "nas/data/device_data.h"
#include "nas/data/manifest.h"
#include "nas/data/zcp.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;
using DeviceDataTest = testing::RealData;

int count_nan(const std::vector<double>& v) {
    int n = 0;
    for (double x : v) n += std::isnan(x);
    return n;
}

TEST_F(DeviceDataTest, ListsInManifestOrder) {
    std::vector<std::string> nb = list_devices(data_, Space::NB201);
    std::vector<std::string> fb = list_devices(data_, Space::FBNet);
    ASSERT_EQ(nb.size(), 42u);
    ASSERT_EQ(fb.size(), 27u);
    EXPECT_EQ(nb.front(), "1080ti_1");
    EXPECT_EQ(nb.back(), "edgetpu");
    EXPECT_EQ(fb.back(), "titanxp_64");
    EXPECT_EQ(list_energy_devices(data_, Space::NB201),
              (std::vector<std::string>{"edgegpu", "eyeriss", "fpga"}));
    EXPECT_TRUE(list_energy_devices(data_, Space::FBNet).empty());
}

// Every latency file of both spaces loads and agrees with its manifest entry.
TEST_F(DeviceDataTest, EveryDeviceLoads) {
    Manifest m = load_manifest(data_);
    for (Space s : all_spaces()) {
        for (const ManifestDevice& e : m.space(s).devices) {
            DeviceData d = load_device(data_, s, e.device);
            EXPECT_EQ(d.name, e.device);
            EXPECT_EQ(d.count(), e.count) << e.device;
            EXPECT_EQ(d.unit, "ms");
            EXPECT_EQ(d.metric, "latency");
            EXPECT_EQ(count_nan(d.dense(m.space(s).num_archs)), m.space(s).num_archs - e.count);
        }
    }
    for (const std::string& name : list_energy_devices(data_, Space::NB201)) {
        DeviceData d = load_energy(data_, Space::NB201, name);
        EXPECT_EQ(d.unit, "mJ");
        EXPECT_EQ(d.count(), 15625);
    }
}

// Partial coverage: LatBench files and edgetpu list only the cells they measured.
TEST_F(DeviceDataTest, PartialCoverage) {
    DeviceData tpu = load_device(data_, Space::NB201, "edgetpu");
    EXPECT_EQ(tpu.count(), 10926);
    DeviceData a53 = load_device(data_, Space::NB201, "mobile_cpu_snapdragon_450_cortex_a53_int8");
    EXPECT_EQ(a53.count(), 15252);
    EXPECT_FALSE(a53.covers(1651));  // the all-none cell is cut off: LatBench did not measure it
    EXPECT_TRUE(a53.covers(0));
    EXPECT_EQ(a53.value(0), a53.values[0]);
    expect_error([&] { a53.value(1651); }, {"device 'mobile_cpu_snapdragon_450_cortex_a53_int8'",
                                            "no latency for architecture 1651",
                                            "mobile_cpu_snapdragon_450_cortex_a53_int8.json"});
    DeviceData pixel2 = load_device(data_, Space::NB201, "pixel2");
    EXPECT_EQ(pixel2.value_type, "integer");
    EXPECT_EQ(pixel2.count(), 15625);
    EXPECT_EQ(pixel2.value(7), pixel2.dense(15625)[7]);
}

TEST_F(DeviceDataTest, UnknownDeviceNamesFileAndSuggestion) {
    expect_error([&] { load_device(data_, Space::NB201, "pixle2"); },
                 {"unknown nb201 latency device 'pixle2'", "nb201/latency/pixle2.json",
                  "did you mean 'pixel2'", "manifest.json"});
    // A device that exists only in the other space.
    expect_error([&] { load_device(data_, Space::FBNet, "edgetpu"); },
                 {"unknown fbnet latency device 'edgetpu'", "fbnet/latency/edgetpu.json"});
    expect_error([&] { load_energy(data_, Space::NB201, "pixel2"); },
                 {"unknown nb201 energy device"});
}

TEST_F(DeviceDataTest, AccuracyTable) {
    AccuracyTable t = load_accuracy(data_);
    EXPECT_EQ(t.columns.size(), 9u);
    EXPECT_EQ(t.recommended, "cifar10_valid_200ep");
    EXPECT_EQ(count_nan(t.column("cifar10_valid_200ep")), 0);
    EXPECT_EQ(count_nan(t.column("cifar10_test_200ep")), 6180);
    EXPECT_DOUBLE_EQ(t.column("cifar10_valid_200ep")[1651], 10.0);  // cut off: chance
    expect_error([&] { t.column("cifar10_valid"); }, {"unknown accuracy column", "did you mean"});
}

TEST_F(DeviceDataTest, ZcpTables) {
    ZcpTable nb = load_zcp(data_, Space::NB201, 15625);
    EXPECT_EQ(nb.arch_index.size(), 9445u);
    EXPECT_EQ(nb.proxies.size(), 13u);
    EXPECT_EQ(nb.all_flops.size(), 15625u);
    int nulls = 0;
    for (const auto& col : nb.values) nulls += count_nan(col);
    EXPECT_EQ(nulls, 4);  // zen, epe_nas, jacov, nwot of cell 1651
    ZcpTable fb = load_zcp(data_, Space::FBNet, 5000);
    EXPECT_EQ(fb.arch_index.size(), 5000u);
    EXPECT_EQ(fb.proxies.front(), "synflow");
    EXPECT_TRUE(fb.all_flops.empty());
    expect_error([&] { fb.proxy("snipp"); }, {"unknown zero-cost proxy 'snipp'"});
}

// The check behind `nasflat data`: 1 manifest + nb201 (archs, 42 latency, 3 energy, accuracy,
// zcp) + fbnet (archs, 27 latency, zcp) = 78 files, all valid.
TEST_F(DeviceDataTest, WholeFolderIsValid) {
    DataReport r = check_data_folder(data_);
    EXPECT_EQ(r.files.size(), 78u);
    for (const FileReport& f : r.files) EXPECT_TRUE(f.ok) << f.file << ": " << f.error;
    EXPECT_EQ(r.num_bad(), 0);
    DataReport fb = check_data_folder(data_, {Space::FBNet});
    EXPECT_EQ(fb.files.size(), 30u);
}

TEST(MedianOf, EvenAndOdd) {
    EXPECT_EQ(median_of({3, 1, 2}), 2);
    EXPECT_EQ(median_of({4, 1, 3, 2}), 2.5);
    EXPECT_THROW(median_of({}), Error);
}

}  // namespace
}  // namespace nasflat::nas
