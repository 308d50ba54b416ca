// data.cpp — nasflat::Data and the task list of the public API (include/nasflat/nasflat.h).
#include "api/errors.h"
#include "nas/data/device_data.h"
#include "nas/data/tasks.h"
#include "nas/space/space.h"
#include "nasflat/nasflat.h"

namespace nasflat {

Data::Data(const std::string& path)
    : path_(api::translated([&] { return nas::resolve_data_dir(path); })) {}

std::vector<std::string> Data::spaces() {
    std::vector<std::string> names;
    for (nas::Space s : nas::all_spaces()) names.emplace_back(nas::space_name(s));
    return names;
}

std::vector<std::string> Data::devices(const std::string& space) const {
    return api::translated([&] { return nas::list_devices(path_, nas::parse_space(space)); });
}

std::vector<TaskInfo> Data::tasks() {
    std::vector<TaskInfo> out;
    for (const nas::Task& t : nas::all_tasks()) {
        out.push_back({t.name, t.paper_label, nas::space_name(t.space), t.index, t.sources,
                       t.targets});
    }
    return out;
}

}  // namespace nasflat
