// tasks.cpp — see tasks.h. The lists are copied verbatim from the authors'
// device_task_list.py (order kept).
#include "nas/data/tasks.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

namespace {

using Names = std::vector<std::string>;
struct TaskLists {
    Names sources, targets;
};

// The authors' NASFLAT Spearman per task index (Task::authors_spearman).
constexpr double kAuthorsNb201[kNumTasksPerSpace] = {0.959, 0.967, 0.857, 0.962, 0.959, 0.893};
constexpr double kAuthorsFbnet[kNumTasksPerSpace] = {0.961, 0.809, 0.871, 0.814, 0.734, 0.577};
// Their HELP and MultiPredict re-runs, same table and order.
constexpr double kHelpNb201[kNumTasksPerSpace] = {0.948, 0.604, 0.509, 0.729, 0.746, 0.410};
constexpr double kHelpFbnet[kNumTasksPerSpace] = {0.910, 0.793, 0.543, 0.413, 0.799, 0.370};
constexpr double kMultiPredictNb201[kNumTasksPerSpace] = {0.930, 0.970, 0.757, 0.947, 0.952, 0.820};
constexpr double kMultiPredictFbnet[kNumTasksPerSpace] = {0.960, 0.756, 0.567, 0.434, 0.763, 0.450};

const TaskLists kNb201[kNumTasksPerSpace] = {
    {{"1080ti_1", "1080ti_32", "1080ti_256", "silver_4114", "silver_4210r", "samsung_a50", "pixel3",
      "essential_ph_1", "samsung_s7"},
     {"titan_rtx_256", "gold_6226", "fpga", "pixel2", "raspi4", "eyeriss"}},
    {{"embedded_tpu_edge_tpu_int8", "eyeriss", "mobile_gpu_snapdragon_675_adreno_612_int8",
      "mobile_gpu_snapdragon_855_adreno_640_int8", "pixel3"},
     {"1080ti_1", "titan_rtx_32", "titanxp_1", "2080ti_32", "titan_rtx_1"}},
    {{"1080ti_1", "1080ti_32", "titanx_32", "titanxp_1", "titanxp_32"},
     {"embedded_gpu_jetson_nano_fp16", "embedded_tpu_edge_tpu_int8",
      "mobile_dsp_snapdragon_675_hexagon_685_int8", "mobile_dsp_snapdragon_855_hexagon_690_int8",
      "pixel3"}},
    {{"desktop_gpu_gtx_1080ti_fp32", "embedded_gpu_jetson_nano_fp16", "eyeriss",
      "mobile_dsp_snapdragon_675_hexagon_685_int8", "mobile_gpu_snapdragon_855_adreno_640_int8"},
     {"1080ti_1", "2080ti_1", "titanxp_1", "2080ti_32", "titanxp_32"}},
    {{"desktop_cpu_core_i7_7820x_fp32", "embedded_gpu_jetson_nano_fp32",
      "embedded_tpu_edge_tpu_int8", "eyeriss", "mobile_cpu_snapdragon_855_kryo_485_int8",
      "mobile_dsp_snapdragon_675_hexagon_685_int8", "mobile_dsp_snapdragon_855_hexagon_690_int8",
      "mobile_gpu_snapdragon_675_adreno_612_int8", "mobile_gpu_snapdragon_855_adreno_640_int8",
      "pixel2"},
     {"1080ti_1", "2080ti_1", "titan_rtx_1"}},
    {{"titan_rtx_1", "titan_rtx_32", "titanxp_1", "2080ti_1", "titanx_1", "1080ti_1", "titanx_32",
      "titanxp_32", "2080ti_32", "1080ti_32", "gold_6226", "samsung_s7", "silver_4114", "gold_6240",
      "silver_4210r", "samsung_a50", "pixel2"},
     {"eyeriss", "desktop_gpu_gtx_1080ti_fp32", "embedded_tpu_edge_tpu_int8"}},
};

const TaskLists kFbnet[kNumTasksPerSpace] = {
    {{"1080ti_1", "1080ti_32", "1080ti_64", "silver_4114", "silver_4210r", "samsung_a50", "pixel3",
      "essential_ph_1", "samsung_s7"},
     {"fpga", "raspi4", "eyeriss"}},
    {{"2080ti_1", "essential_ph_1", "silver_4114", "titan_rtx_1", "titan_rtx_32"},
     {"eyeriss", "fpga", "raspi4", "samsung_a50", "samsung_s7"}},
    {{"essential_ph_1", "gold_6226", "gold_6240", "pixel3", "raspi4"},
     {"1080ti_1", "1080ti_32", "2080ti_32", "titan_rtx_1", "titanxp_1"}},
    {{"essential_ph_1", "pixel2", "pixel3", "raspi4", "samsung_s7"},
     {"1080ti_1", "1080ti_32", "2080ti_1", "titan_rtx_1", "titan_rtx_32"}},
    {{"1080ti_64", "2080ti_1", "eyeriss", "gold_6226", "gold_6240", "raspi4", "samsung_s7",
      "silver_4210r", "titan_rtx_1", "titan_rtx_32"},
     {"1080ti_1", "pixel2", "essential_ph_1"}},
    {{"1080ti_1", "1080ti_32", "1080ti_64", "2080ti_1", "2080ti_32", "2080ti_64", "titan_rtx_1",
      "titan_rtx_32", "titan_rtx_64", "titanx_1", "titanx_32", "titanx_64", "titanxp_1",
      "titanxp_32", "titanxp_64"},
     {"gold_6226", "essential_ph_1", "samsung_s7", "pixel2"}},
};

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

Task get_task(Space space, int index) {
    if (index < 0 || index >= kNumTasksPerSpace) {
        fail("no ", space_name(space), " task ", index, "; fix: tasks are 0..5 (",
             space == Space::NB201 ? "N0..N5" : "F0..F5", ")");
    }
    const char letter = space == Space::NB201 ? 'N' : 'F';
    Task t;
    t.space = space;
    t.index = index;
    t.name = std::string(1, letter) + std::to_string(index);
    t.paper_label = index == 0   ? std::string(1, letter) + "D"
                    : index == 5 ? std::string(1, letter) + "A"
                                 : t.name;
    const TaskLists& lists = space == Space::NB201 ? kNb201[index] : kFbnet[index];
    t.sources = lists.sources;
    t.targets = lists.targets;
    t.authors_spearman = (space == Space::NB201 ? kAuthorsNb201 : kAuthorsFbnet)[index];
    t.authors_help_spearman = (space == Space::NB201 ? kHelpNb201 : kHelpFbnet)[index];
    t.authors_multipredict_spearman =
        (space == Space::NB201 ? kMultiPredictNb201 : kMultiPredictFbnet)[index];
    return t;
}

std::vector<Task> all_tasks() {
    std::vector<Task> out;
    for (Space s : all_spaces()) {
        for (int i = 0; i < kNumTasksPerSpace; ++i) out.push_back(get_task(s, i));
    }
    return out;
}

Task parse_task(const std::string& text) {
    std::vector<std::string> names;
    for (const Task& t : all_tasks()) {
        if (upper(text) == t.name || upper(text) == t.paper_label) return t;
        names.push_back(t.name + "/" + t.paper_label);
    }
    fail("unknown task '", text, "'; fix: use one of ", join_names(names));
}

std::vector<ManifestDevice> resolve_task_devices(const Manifest& manifest, const Task& task) {
    std::vector<ManifestDevice> out;
    for (const auto* list : {&task.sources, &task.targets}) {
        for (const std::string& device : *list) {
            const ManifestDevice& d = manifest.device(task.space, device);
            std::error_code ec;
            if (!std::filesystem::is_regular_file(manifest.path(d.file), ec)) {
                fail("task ", task.name, ": device '", device, "' has no file ",
                     manifest.path(d.file), "; fix: restore the data folder (see its README)");
            }
            out.push_back(d);
        }
    }
    return out;
}

}  // namespace nasflat::nas
