// space_context.cpp — see space_context.h.
#include "nas/predictor/space_context.h"

#include "kernels/base/check.h"
#include "nas/predictor/learned_encodings.h"

namespace nasflat::nas {

std::unique_ptr<SpaceContext> SpaceContext::load(const std::string& data_dir, Space space,
                                                 GraphMode mode) {
    auto ctx = std::make_unique<SpaceContext>();
    ctx->data_dir_ = data_dir;
    ctx->space_ = SearchSpace::load(data_dir, space);
    ctx->mode_ = mode;
    ctx->graphs_.reserve(static_cast<size_t>(ctx->space_.size()));
    for (int a = 0; a < ctx->space_.size(); ++a) {
        ctx->graphs_.push_back(ctx->space_.graph(a, mode));
    }
    ctx->device_names_ = list_devices(data_dir, space);
    return ctx;
}

int SpaceContext::device_row(const std::string& name) const {
    for (size_t i = 0; i < device_names_.size(); ++i) {
        if (device_names_[i] == name) return static_cast<int>(i);
    }
    std::string known;
    for (const auto& n : device_names_) known += (known.empty() ? "" : ", ") + n;
    fail("unknown ", space_name(space_.space()), " device '", name, "'; known devices: ", known);
}

const DeviceData& SpaceContext::device(const std::string& name) {
    std::lock_guard<std::mutex> lock(*load_mutex_);
    auto it = devices_.find(name);
    if (it == devices_.end()) {
        it = devices_.emplace(name, load_device(data_dir_, space_.space(), name)).first;
    }
    return it->second;
}

const Encoding& SpaceContext::encoding(const std::string& name) {
    std::lock_guard<std::mutex> lock(*load_mutex_);
    auto it = encodings_.find(name);
    if (it == encodings_.end()) {
        it = encodings_.emplace(name, load_any_encoding(data_dir_, space_, name)).first;
    }
    return it->second;
}

models::ModelConfig model_config_for(Space space, models::Flavor flavor) {
    models::ModelConfig c;
    c.flavor = flavor;
    // NB201's model vocabulary puts 'none' at 5 (space/arch_graph.h); FBNet has no such op.
    c.none_op = space == Space::NB201 ? 5 : -1;
    return c;
}

}  // namespace nasflat::nas
