// optim.h — parameters in one contiguous buffer, AdamW with decoupled weight decay, and the
// cosine learning-rate schedule.
// A ParameterStore collects the trainable tensors of a model; pack() moves their values and
// gradients into one buffer each, so zero_grad is one memset and an AdamW step one kernel.
#pragma once

#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace nasflat {

class ParameterStore {
public:
    // A shapes-only store records names and shapes but allocates nothing, and add() returns
    // undefined tensors: it tells what a model would hold before anything is allocated (a
    // checkpoint's claims are checked against it).
    enum class Mode { Values, ShapesOnly };
    explicit ParameterStore(Mode mode = Mode::Values) : mode_(mode) {}

    // Registers a new trainable tensor of `shape` (zero-filled) and returns its handle.
    // Must be called before pack().
    Tensor add(const std::string& name, const Shape& shape);
    // Moves every parameter into one value buffer and one gradient buffer on `device`.
    void pack(Device device);
    bool packed() const { return packed_; }
    Device device() const { return device_; }
    int64_t numel() const { return total_; }
    const std::vector<std::string>& names() const { return names_; }
    const std::vector<Shape>& shapes() const { return shapes_; }
    const std::vector<Tensor>& tensors() const { return tensors_; }  // empty when ShapesOnly
    const Tensor& get(const std::string& name) const;

    float* values() const;     // numel() floats on device()
    float* gradients() const;  // numel() floats on device()
    void zero_grad();
    // Flat copies (host order = registration order), e.g. for checkpoints and fresh copies.
    std::vector<float> values_to_host() const;
    void values_from_host(const std::vector<float>& flat);
    // Copies every value from a store with the same layout (any device).
    void copy_values_from(const ParameterStore& other);

private:
    Mode mode_;
    std::vector<std::string> names_;
    std::vector<Shape> shapes_;
    std::vector<Tensor> tensors_;
    BufferPtr values_, grads_;
    int64_t total_ = 0;
    bool packed_ = false;
    Device device_ = Device::CPU;
};

struct AdamWOptions {
    float lr = 1e-3f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float eps = 1e-8f;
    float weight_decay = 1e-2f;
};

class AdamW {
public:
    AdamW(ParameterStore& params, const AdamWOptions& options);
    // One update of every parameter from its accumulated gradient.
    void step();
    void set_lr(float lr) { options_.lr = lr; }
    float lr() const { return options_.lr; }
    int64_t steps() const { return t_; }

private:
    ParameterStore& params_;
    AdamWOptions options_;
    BufferPtr m_, v_;
    int64_t t_ = 0;
};

// lr(epoch) = eta_min + (lr0 - eta_min) (1 + cos(pi epoch / T)) / 2, as PyTorch's
// CosineAnnealingLR stepped once per epoch.
float cosine_lr(float lr0, float eta_min, int epoch, int total_epochs);

}  // namespace nasflat
