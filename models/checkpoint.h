// checkpoint.h — saving and loading a trained predictor.
// File layout (little-endian):
//   "NASFLATC" magic (8 bytes) | format version (u32) | header length (u64) | header (JSON text)
//   | parameter values (float32, registration order) | FNV-1a 64-bit checksum of all before it
// The header holds the model configuration, the parameter table (name, shape) and a free
// `metadata` object for the layers above (space, device rows, encodings, calibration, ...).
// Writes are atomic: a temporary file next to the target, then rename. Loading checks the
// magic, version, checksum, sizes and every parameter shape, and refuses anything else with a
// one-line error naming the file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/nasflat_model.h"

namespace nasflat::models {

constexpr uint32_t kCheckpointVersion = 1;

struct Checkpoint {
    ModelConfig config;
    nlohmann::json metadata;     // whatever the caller stored
    std::vector<float> values;   // flat parameters, registration order
    // A model on `device` with these parameters (shapes are checked against the config).
    std::unique_ptr<NasflatModel> build(Device device) const;
};

void save_checkpoint(const std::string& path, const NasflatModel& model,
                     const nlohmann::json& metadata);
Checkpoint load_checkpoint(const std::string& path);

nlohmann::json config_to_json(const ModelConfig& c);
ModelConfig config_from_json(const nlohmann::json& j, const std::string& file);

}  // namespace nasflat::models
