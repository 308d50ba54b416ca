// space_context.h — one search space ready for training and scoring: its architectures, their
// predictor graphs (models::ArchGraph, one per arch), the device-embedding row of every device,
// device measurements loaded on demand, and encodings cached by name. Threads may share one
// context: the loads on demand take a lock, and what they return stays where it is.
// Device rows follow the manifest's device order, so a row means the same device in every run
// and checkpoint of the space.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "models/collate.h"
#include "models/config.h"
#include "nas/data/device_data.h"
#include "nas/data/encoding.h"
#include "nas/space/search_space.h"

namespace nasflat::nas {

class SpaceContext {
public:
    static std::unique_ptr<SpaceContext> load(const std::string& data_dir, Space space,
                                              GraphMode mode);

    const std::string& data_dir() const { return data_dir_; }
    const SearchSpace& space() const { return space_; }
    GraphMode graph_mode() const { return mode_; }
    const std::vector<models::ArchGraph>& graphs() const { return graphs_; }
    const std::vector<std::string>& device_names() const { return device_names_; }
    // Embedding row of a device of this space; unknown name -> error listing the devices.
    int device_row(const std::string& name) const;
    const DeviceData& device(const std::string& name);
    const Encoding& encoding(const std::string& name);

private:
    std::string data_dir_;
    SearchSpace space_;
    GraphMode mode_ = GraphMode::Reference;
    std::vector<models::ArchGraph> graphs_;
    std::vector<std::string> device_names_;
    std::map<std::string, DeviceData> devices_;
    std::map<std::string, Encoding> encodings_;
    std::unique_ptr<std::mutex> load_mutex_ = std::make_unique<std::mutex>();
};

// The model configuration of a space: op vocabulary, the 'none' op of NB201, and the flavor.
models::ModelConfig model_config_for(Space space, models::Flavor flavor);

}  // namespace nasflat::nas
