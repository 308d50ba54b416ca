// checkpoint.h — saving and loading a trained predictor.
// File layout (little-endian):
//   "NASFLATC" magic (8 bytes) | format version (u32) | header length (u64) | header (JSON text)
//   | parameter values (float32, registration order) | FNV-1a 64-bit checksum of all before it
// The header holds the model configuration, the parameter table (name, shape) and a free
// `metadata` object for the layers above (space, device rows, encodings, calibration, ...).
// Writes are atomic and durable (kernels/base/file_io.h: a unique temporary beside the target, fsync,
// rename). Loading reads the magic before the rest, reads at most max_input_bytes(), and checks
// the version, checksum, the configuration's ranges, the parameter table against what the
// configuration builds (before allocating anything), the sizes, and that every weight is
// finite; anything else is refused with a one-line error naming the file.
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

// The file's bytes (what save_checkpoint writes), for callers that stage several outputs.
std::string checkpoint_bytes(const NasflatModel& model, const nlohmann::json& metadata);
void save_checkpoint(const std::string& path, const NasflatModel& model,
                     const nlohmann::json& metadata);
Checkpoint load_checkpoint(const std::string& path);
// The checks and parsing of load_checkpoint on bytes in memory (`name` for messages).
Checkpoint parse_checkpoint(const std::string& bytes, const std::string& name);

nlohmann::json config_to_json(const ModelConfig& c);
ModelConfig config_from_json(const nlohmann::json& j, const std::string& file);

}  // namespace nasflat::models
