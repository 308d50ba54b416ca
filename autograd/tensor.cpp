// tensor.cpp — the autograd engine: tensor construction, grad mode, topological backward.
#include "autograd/tensor.h"

#include <atomic>
#include <sstream>
#include <unordered_set>

#include "kernels/base/check.h"

namespace nasflat {

std::string shape_str(const Shape& s) {
    std::ostringstream os;
    os << "(";
    for (size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
    os << ")";
    return os.str();
}

int64_t shape_numel(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

float* TensorImpl::ensure_grad() {
    if (!grad) {
        grad = Buffer::zeros(static_cast<size_t>(numel()) * sizeof(float), device);
        grad_offset = 0;
    }
    return grad_ptr();
}

float* TensorImpl::grad_for_write(bool* fresh) {
    *fresh = !grad;
    if (!grad) {
        grad = Buffer::make(static_cast<size_t>(numel()) * sizeof(float), device);
        grad_offset = 0;
    }
    return grad_ptr();
}

// ---------------------------------------------------------------------------------------------
Tensor Tensor::empty(const Shape& shape, Device device) {
    for (int64_t d : shape) {
        NASFLAT_CHECK(d >= 0, "Tensor::empty: negative dimension in shape ", shape_str(shape));
    }
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = shape;
    impl->device = device;
    impl->data = Buffer::make(static_cast<size_t>(shape_numel(shape)) * sizeof(float), device);
    return Tensor(impl);
}

Tensor Tensor::zeros(const Shape& shape, Device device) {
    Tensor t = empty(shape, device);
    kernels::raw_zero(device, t.data(), static_cast<size_t>(t.numel()) * sizeof(float));
    return t;
}

Tensor Tensor::full(const Shape& shape, float value, Device device) {
    Tensor t = empty(shape, device);
    kernels_for(device).fill(t.data(), t.numel(), value);
    return t;
}

Tensor Tensor::from_vector(const std::vector<float>& values, const Shape& shape, Device device) {
    NASFLAT_CHECK(static_cast<int64_t>(values.size()) == shape_numel(shape),
                  "Tensor::from_vector: ", values.size(), " values do not fill shape ",
                  shape_str(shape));
    Tensor t = empty(shape, device);
    t.copy_from(values);
    return t;
}

int64_t Tensor::dim(int i) const {
    int n = ndim();
    int k = i < 0 ? i + n : i;
    NASFLAT_CHECK(k >= 0 && k < n, "Tensor::dim: index ", i, " out of range for shape ",
                  shape_str(shape()));
    return impl_->shape[k];
}

Tensor& Tensor::set_requires_grad(bool value) {
    NASFLAT_CHECK(!impl_->grad_fn || value, "set_requires_grad(false) on a non-leaf tensor; "
                  "hint: use detach()");
    impl_->requires_grad = value;
    return *this;
}

std::vector<float> Tensor::to_vector() const {
    std::vector<float> out(static_cast<size_t>(numel()));
    kernels::raw_copy(out.data(), Device::CPU, data(), device(), out.size() * sizeof(float));
    return out;
}

std::vector<float> Tensor::grad_to_vector() const {
    std::vector<float> out(static_cast<size_t>(numel()), 0.0f);
    if (has_grad()) {
        kernels::raw_copy(out.data(), Device::CPU, grad_data(), device(),
                          out.size() * sizeof(float));
    }
    return out;
}

float Tensor::item() const {
    NASFLAT_CHECK(numel() == 1, "Tensor::item: needs exactly one element, shape is ",
                  shape_str(shape()));
    return to_vector()[0];
}

Tensor Tensor::to(Device target) const {
    Tensor t = empty(shape(), target);
    kernels::raw_copy(t.data(), target, data(), device(),
                      static_cast<size_t>(numel()) * sizeof(float));
    return t;
}

Tensor Tensor::detach() const {
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = impl_->shape;
    impl->device = impl_->device;
    impl->data = impl_->data;
    impl->data_offset = impl_->data_offset;
    return Tensor(impl);
}

void Tensor::copy_from(const std::vector<float>& values) {
    NASFLAT_CHECK(static_cast<int64_t>(values.size()) == numel(), "Tensor::copy_from: ",
                  values.size(), " values for shape ", shape_str(shape()));
    kernels::raw_copy(data(), device(), values.data(), Device::CPU,
                      values.size() * sizeof(float));
}

void Tensor::zero_grad() const {
    if (has_grad()) {
        kernels::raw_zero(device(), grad_data(), static_cast<size_t>(numel()) * sizeof(float));
    }
}

namespace {

// Iterative depth-first post-order from the root gives a topological order (inputs before the
// tensors computed from them); walking it backwards runs each Node after all its consumers.
// `seed` (root.numel() floats on `seed_device`) is the root's gradient.
void run_backward(TensorImpl& root, const float* seed, Device seed_device) {
    NASFLAT_CHECK(root.requires_grad, "backward: the root does not require grad; hint: some "
                  "input (a parameter) must have requires_grad set, and grad mode must be on");
    std::vector<TensorImpl*> order;
    std::unordered_set<TensorImpl*> seen;
    std::vector<std::pair<TensorImpl*, size_t>> stack{{&root, 0}};
    seen.insert(&root);
    while (!stack.empty()) {
        auto& [t, next] = stack.back();
        if (t->grad_fn && next < t->grad_fn->inputs.size()) {
            TensorImpl* child = t->grad_fn->inputs[next++].get();
            if (seen.insert(child).second) stack.push_back({child, 0});
        } else {
            order.push_back(t);
            stack.pop_back();
        }
    }
    float* g = root.ensure_grad();
    kernels::raw_copy(g, root.device, seed, seed_device,
                      static_cast<size_t>(root.numel()) * sizeof(float));
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        TensorImpl* t = *it;
        if (t->grad_fn && t->grad) {
            t->grad_fn->backward(*t);
            t->grad.reset();  // consumed: a second backward through this graph starts clean
        }
    }
}

}  // namespace

void Tensor::backward() const {
    NASFLAT_CHECK(numel() == 1, "backward: the root must be a scalar, shape is ",
                  shape_str(shape()), "; hint: reduce with sum() or mean() first");
    const float one = 1.0f;
    run_backward(*impl_, &one, Device::CPU);
}

void Tensor::backward(const Tensor& seed) const {
    NASFLAT_CHECK(seed.defined() && seed.shape() == shape(), "backward: the seed gradient's "
                  "shape ", seed.defined() ? shape_str(seed.shape()) : "(none)",
                  " is not the root's ", shape_str(shape()));
    run_backward(*impl_, seed.data(), seed.device());
}

// ---------------------------------------------------------------------------------------------
namespace {
thread_local bool g_grad_enabled = true;
kernels::Backend g_cpu_backend = kernels::Backend::CpuFast;
std::atomic<int64_t> g_flops{0};  // scoring threads add to it side by side
}  // namespace


bool grad_enabled() { return g_grad_enabled; }
int64_t flop_count() { return g_flops; }
void reset_flop_count() { g_flops = 0; }
void add_flops(int64_t n) { g_flops.fetch_add(n, std::memory_order_relaxed); }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }
EnableGradGuard::EnableGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = true; }
EnableGradGuard::~EnableGradGuard() { g_grad_enabled = previous_; }

void set_cpu_backend(kernels::Backend b) {
    NASFLAT_CHECK(b != kernels::Backend::Cuda, "set_cpu_backend: Cuda is not a CPU backend");
    g_cpu_backend = b;
}
kernels::Backend cpu_backend() { return g_cpu_backend; }

const kernels::KernelTable& kernels_for(Device d) {
    return kernels::kernel_table(d == Device::CUDA ? kernels::Backend::Cuda : g_cpu_backend);
}

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
    if (!g_grad_enabled) return false;
    for (const Tensor* t : inputs) {
        if (t && t->defined() && t->requires_grad()) return true;
    }
    return false;
}

void attach_node(Tensor& out, std::shared_ptr<Node> node, const char* name,
                 const Tensor* const* inputs, size_t count,
                 std::function<void(TensorImpl& out)> backward) {
    node->name = name;
    auto kept = [&](size_t k) {
        return inputs[k] && inputs[k]->defined() && inputs[k]->requires_grad();
    };
    for (size_t k = 0; k < count; ++k) {
        if (kept(k)) node->inputs.push_back(inputs[k]->impl_ptr());
    }
    // Slots only where an input was dropped (empty: inputs[k] is at position k).
    if (node->graph_backward && node->inputs.size() < count) {
        for (size_t k = 0; k < count; ++k) {
            if (kept(k)) node->slots.push_back(static_cast<int>(k));
        }
    }
    node->backward = std::move(backward);
    out.impl()->grad_fn = std::move(node);
    out.impl()->requires_grad = true;
}

void attach_node(Tensor& out, const char* name, std::initializer_list<const Tensor*> inputs,
                 std::function<void(TensorImpl& out)> backward) {
    attach_node(out, std::make_shared<Node>(), name, inputs.begin(), inputs.size(),
                std::move(backward));
}

}  // namespace nasflat
