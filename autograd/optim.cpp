// optim.cpp — ParameterStore packing, AdamW, cosine schedule.
#include "autograd/optim.h"

#include <cmath>

#include "kernels/base/check.h"

namespace nasflat {

Tensor ParameterStore::add(const std::string& name, const Shape& shape) {
    NASFLAT_CHECK(!packed_, "ParameterStore::add('", name, "') after pack()");
    for (const auto& n : names_) NASFLAT_CHECK(n != name, "ParameterStore: duplicate name '", name, "'");
    int64_t numel = 1;
    for (int64_t d : shape) {
        NASFLAT_CHECK(d >= 0 && (d == 0 || numel <= (int64_t{1} << 40) / d),
                      "ParameterStore: parameter '", name, "' has an impossible shape ",
                      shape_str(shape));
        numel *= d;
    }
    names_.push_back(name);
    shapes_.push_back(shape);
    total_ += numel;
    if (mode_ == Mode::ShapesOnly) return Tensor();
    Tensor t = Tensor::zeros(shape, Device::CPU);
    t.set_requires_grad(true);
    tensors_.push_back(t);
    return t;
}

const Tensor& ParameterStore::get(const std::string& name) const {
    for (size_t i = 0; i < names_.size(); ++i) {
        if (names_[i] == name) return tensors_[i];
    }
    fail("ParameterStore: no parameter named '", name, "'");
}

void ParameterStore::pack(Device device) {
    NASFLAT_CHECK(mode_ == Mode::Values, "ParameterStore: a shapes-only store cannot be packed");
    auto values = Buffer::make(static_cast<size_t>(total_) * sizeof(float), device);
    auto grads = Buffer::zeros(static_cast<size_t>(total_) * sizeof(float), device);
    size_t offset = 0;
    for (Tensor& t : tensors_) {
        TensorImpl* impl = t.impl();
        size_t bytes = static_cast<size_t>(t.numel()) * sizeof(float);
        kernels::raw_copy(static_cast<float*>(values->data()) + offset, device, impl->data_ptr(),
                          impl->device, bytes);
        impl->data = values;
        impl->data_offset = offset;
        impl->grad = grads;
        impl->grad_offset = offset;
        impl->device = device;
        offset += static_cast<size_t>(t.numel());
    }
    values_ = values;
    grads_ = grads;
    device_ = device;
    packed_ = true;
}

float* ParameterStore::values() const {
    NASFLAT_CHECK(packed_, "ParameterStore: call pack() first");
    return static_cast<float*>(values_->data());
}

float* ParameterStore::gradients() const {
    NASFLAT_CHECK(packed_, "ParameterStore: call pack() first");
    return static_cast<float*>(grads_->data());
}

void ParameterStore::zero_grad() {
    kernels::raw_zero(device_, gradients(), static_cast<size_t>(total_) * sizeof(float));
}

std::vector<float> ParameterStore::values_to_host() const {
    std::vector<float> flat(static_cast<size_t>(total_));
    kernels::raw_copy(flat.data(), Device::CPU, values(), device_, flat.size() * sizeof(float));
    return flat;
}

void ParameterStore::values_from_host(const std::vector<float>& flat) {
    NASFLAT_CHECK(static_cast<int64_t>(flat.size()) == total_, "ParameterStore: ", flat.size(),
                  " values for ", total_, " parameters; hint: the model configuration differs");
    kernels::raw_copy(values(), device_, flat.data(), Device::CPU, flat.size() * sizeof(float));
}

void ParameterStore::copy_values_from(const ParameterStore& other) {
    NASFLAT_CHECK(other.total_ == total_ && other.names_ == names_,
                  "ParameterStore::copy_values_from: layouts differ (", other.total_, " vs ",
                  total_, " parameters)");
    kernels::raw_copy(values(), device_, other.values(), other.device_,
                      static_cast<size_t>(total_) * sizeof(float));
}

// ---------------------------------------------------------------------------------------------
AdamW::AdamW(ParameterStore& params, const AdamWOptions& options)
    : params_(params), options_(options) {
    NASFLAT_CHECK(params.packed(), "AdamW: pack the ParameterStore before building the optimiser");
    size_t bytes = static_cast<size_t>(params.numel()) * sizeof(float);
    m_ = Buffer::zeros(bytes, params.device());
    v_ = Buffer::zeros(bytes, params.device());
}

void AdamW::step() {
    ++t_;
    float c1 = 1.0f - static_cast<float>(std::pow(options_.beta1, static_cast<double>(t_)));
    float c2 = 1.0f - static_cast<float>(std::pow(options_.beta2, static_cast<double>(t_)));
    kernels_for(params_.device())
        .adamw_step(params_.values(), params_.gradients(), static_cast<float*>(m_->data()),
                    static_cast<float*>(v_->data()), params_.numel(), options_.lr, options_.beta1,
                    options_.beta2, options_.eps, options_.weight_decay, c1, c2);
}

float cosine_lr(float lr0, float eta_min, int epoch, int total_epochs) {
    if (total_epochs <= 0) return lr0;
    double t = static_cast<double>(epoch) / static_cast<double>(total_epochs);
    return static_cast<float>(eta_min + (lr0 - eta_min) * (1.0 + std::cos(M_PI * t)) / 2.0);
}

}  // namespace nasflat
