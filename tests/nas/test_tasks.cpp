// test_tasks.cpp — the 12 tasks of the authors' device_task_list.py: names, paper labels, list
// sizes, spot checks of exact lists, disjointness, errors, and every device resolving to a data
// file.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "nas/data/manifest.h"
#include "nas/data/tasks.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;

TEST(Tasks, NamesLabelsAndSizes) {
    std::vector<Task> tasks = all_tasks();
    ASSERT_EQ(tasks.size(), 12u);
    const char* names[] = {"N0", "N1", "N2", "N3", "N4", "N5", "F0", "F1", "F2", "F3", "F4", "F5"};
    const char* labels[] = {"ND", "N1", "N2", "N3", "N4", "NA", "FD", "F1", "F2", "F3", "F4", "FA"};
    // (sources, targets) per task, counted from the authors' lists.
    const size_t sizes[12][2] = {{9, 6}, {5, 5}, {5, 5}, {5, 5}, {10, 3}, {17, 3},
                                 {9, 3}, {5, 5}, {5, 5}, {5, 5}, {10, 3}, {15, 4}};
    for (size_t i = 0; i < tasks.size(); ++i) {
        EXPECT_EQ(tasks[i].name, names[i]);
        EXPECT_EQ(tasks[i].paper_label, labels[i]);
        EXPECT_EQ(tasks[i].index, static_cast<int>(i % 6));
        EXPECT_EQ(tasks[i].space, i < 6 ? Space::NB201 : Space::FBNet);
        EXPECT_EQ(tasks[i].sources.size(), sizes[i][0]) << names[i];
        EXPECT_EQ(tasks[i].targets.size(), sizes[i][1]) << names[i];
        std::set<std::string> src(tasks[i].sources.begin(), tasks[i].sources.end());
        std::set<std::string> tgt(tasks[i].targets.begin(), tasks[i].targets.end());
        EXPECT_EQ(src.size(), tasks[i].sources.size()) << names[i] << ": a source listed twice";
        EXPECT_EQ(tgt.size(), tasks[i].targets.size()) << names[i] << ": a target listed twice";
        for (const auto& t : tgt)
            EXPECT_EQ(src.count(t), 0u) << names[i] << ": " << t << " on both sides";
    }
}

TEST(Tasks, ExactListsSpotChecks) {
    EXPECT_EQ(get_task(Space::NB201, 0).targets,
              (std::vector<std::string>{"titan_rtx_256", "gold_6226", "fpga", "pixel2", "raspi4",
                                        "eyeriss"}));
    EXPECT_EQ(get_task(Space::NB201, 5).targets,
              (std::vector<std::string>{"eyeriss", "desktop_gpu_gtx_1080ti_fp32",
                                        "embedded_tpu_edge_tpu_int8"}));
    EXPECT_EQ(get_task(Space::NB201, 4).sources.front(), "desktop_cpu_core_i7_7820x_fp32");
    EXPECT_EQ(get_task(Space::NB201, 4).sources.back(), "pixel2");
    // FBNet task 0 after 2023-10-23 (the authors' current lists).
    EXPECT_EQ(get_task(Space::FBNet, 0).targets,
              (std::vector<std::string>{"fpga", "raspi4", "eyeriss"}));
    EXPECT_EQ(get_task(Space::FBNet, 5).targets,
              (std::vector<std::string>{"gold_6226", "essential_ph_1", "samsung_s7", "pixel2"}));
    EXPECT_EQ(
        get_task(Space::FBNet, 2).sources,
        (std::vector<std::string>{"essential_ph_1", "gold_6226", "gold_6240", "pixel3", "raspi4"}));
}

TEST(Tasks, ParseAndErrors) {
    EXPECT_EQ(parse_task("N0").name, "N0");
    EXPECT_EQ(parse_task("nd").name, "N0");
    EXPECT_EQ(parse_task("NA").name, "N5");
    EXPECT_EQ(parse_task("fa").name, "F5");
    EXPECT_EQ(parse_task("F3").paper_label, "F3");
    expect_error([] { get_task(Space::NB201, 6); }, {"no nb201 task 6", "tasks are 0..5"});
    expect_error([] { get_task(Space::FBNet, -1); }, {"no fbnet task -1", "F0..F5"});
    expect_error([] { parse_task("N9"); }, {"unknown task 'N9'", "N0/ND", "F5/FA"});
}

using TasksRealData = testing::RealData;

TEST_F(TasksRealData, EveryDeviceResolvesToItsFile) {
    Manifest m = load_manifest(data_);
    for (const Task& t : all_tasks()) {
        std::vector<ManifestDevice> devices = resolve_task_devices(m, t);
        ASSERT_EQ(devices.size(), t.sources.size() + t.targets.size());
        for (size_t i = 0; i < devices.size(); ++i) {
            const std::string& name =
                i < t.sources.size() ? t.sources[i] : t.targets[i - t.sources.size()];
            EXPECT_EQ(devices[i].device, name);
            EXPECT_EQ(devices[i].file,
                      std::string(space_name(t.space)) + "/latency/" + name + ".json");
        }
    }
}

TEST_F(TasksRealData, MissingDeviceIsAnError) {
    Manifest m = load_manifest(data_);
    Task t = get_task(Space::NB201, 0);
    t.targets.push_back("titan_rtx_512");
    expect_error([&] { resolve_task_devices(m, t); },
                 {"unknown nb201 latency device 'titan_rtx_512'", "did you mean 'titan_rtx_"});
    m.nb201.devices[0].file = "nb201/latency/gone.json";  // 1080ti_1, a source of N0
    expect_error([&] { resolve_task_devices(m, get_task(Space::NB201, 0)); },
                 {"task N0: device '1080ti_1' has no file", "gone.json"});
}

}  // namespace
}  // namespace nasflat::nas
