// tensor.h — float32 tensors with a device tag, and the reverse-mode autograd engine.
// A Tensor is a shared handle to a TensorImpl: a contiguous row-major block (a Buffer plus an
// offset, so parameters can live inside one big buffer), its shape, an optional gradient of the
// same shape, and — for results of differentiable ops — the Node that computed it.
// backward() orders the graph topologically from the root and runs every Node's backward
// closure in reverse order; closures accumulate (+=) into their inputs' gradients, or assign the
// first gradient of an input that has none yet (grad_for_write: no zero fill before it).
// Double backward: a Node may also carry a graph_backward closure that computes its inputs'
// gradients with differentiable ops; grad() (autograd/grad.h) uses it with create_graph, so a
// gradient can itself be differentiated (Hessian-vector products, meta-learning).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "autograd/buffer.h"
#include "kernels/kernels.h"

namespace nasflat {

using Shape = std::vector<int64_t>;
std::string shape_str(const Shape& s);
int64_t shape_numel(const Shape& s);

struct TensorImpl;
class Tensor;

// One recorded op: the inputs it may send gradient to and how.
struct Node {
    const char* name = "";
    std::vector<std::shared_ptr<TensorImpl>> inputs;
    // Reads out.grad, accumulates into the inputs' grads (allocating them on first use, and then
    // assigning where the kernel writes every element).
    std::function<void(TensorImpl& out)> backward;
    // The differentiable form of the op's backward, for grad(..., create_graph=true) (grad.h);
    // null for ops without a second derivative. From the op's output `out` and the gradient
    // `dout` (out's shape): one gradient per input the op was recorded with (the attach_node
    // list, in order; undefined where an input gets none), built from differentiable ops.
    // `self` is this Node, which holds the closure (attach_node with a graph closure).
    using GraphBackward = std::vector<Tensor> (*)(const Node& self, const Tensor& out,
                                                  const Tensor& dout);
    GraphBackward graph_backward = nullptr;
    // slots[k] is the position of inputs[k] in graph_backward's result; empty when that is k.
    std::vector<int> slots;
    size_t slot(size_t k) const { return slots.empty() ? k : static_cast<size_t>(slots[k]); }
};

namespace detail {
// A Node that carries its graph closure in the same allocation.
template <typename GraphFn>
struct NodeWithGraph final : Node {
    explicit NodeWithGraph(GraphFn fn) : graph(std::move(fn)) {}
    GraphFn graph;
};
}  // namespace detail

struct TensorImpl {
    Shape shape;
    Device device = Device::CPU;
    BufferPtr data;
    size_t data_offset = 0;  // in floats
    BufferPtr grad;          // null until a gradient arrives
    size_t grad_offset = 0;
    bool requires_grad = false;
    std::shared_ptr<Node> grad_fn;  // null for leaves

    int64_t numel() const { return shape_numel(shape); }
    float* data_ptr() const { return static_cast<float*>(data->data()) + data_offset; }
    float* grad_ptr() const {
        return grad ? static_cast<float*>(grad->data()) + grad_offset : nullptr;
    }
    // Allocates a zero gradient if there is none yet; returns its pointer.
    float* ensure_grad();
    // For a kernel that writes every element of the gradient: when there is none yet, allocates
    // it uninitialised and sets *fresh (the kernel must assign, not add); returns its pointer.
    float* grad_for_write(bool* fresh);
};

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    // Uninitialised / zero / constant tensors and copies from host data.
    static Tensor empty(const Shape& shape, Device device = Device::CPU);
    static Tensor zeros(const Shape& shape, Device device = Device::CPU);
    static Tensor full(const Shape& shape, float value, Device device = Device::CPU);
    static Tensor from_vector(const std::vector<float>& values, const Shape& shape,
                              Device device = Device::CPU);

    bool defined() const { return impl_ != nullptr; }
    const Shape& shape() const { return impl_->shape; }
    int64_t dim(int i) const;  // negative i counts from the end
    int ndim() const { return static_cast<int>(impl_->shape.size()); }
    int64_t numel() const { return impl_->numel(); }
    Device device() const { return impl_->device; }
    float* data() const { return impl_->data_ptr(); }
    float* grad_data() const { return impl_->grad_ptr(); }
    bool has_grad() const { return impl_->grad != nullptr; }
    bool requires_grad() const { return impl_->requires_grad; }
    Tensor& set_requires_grad(bool value);
    TensorImpl* impl() const { return impl_.get(); }
    const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

    // Host copies of the values / gradient (synchronises with the device).
    std::vector<float> to_vector() const;
    std::vector<float> grad_to_vector() const;
    float item() const;  // the single value of a 1-element tensor
    // A copy on another device, cut from the graph.
    Tensor to(Device device) const;
    // Same values, no graph, no gradient (shares memory).
    Tensor detach() const;
    // Overwrites the values from host data of the same size.
    void copy_from(const std::vector<float>& values);

    // Runs reverse-mode differentiation from this scalar (seed gradient 1).
    void backward() const;
    // The same from a tensor of any shape whose gradient `seed` (same shape) is already known:
    // the part of a larger graph whose rest was differentiated elsewhere (models/shards.h).
    void backward(const Tensor& seed) const;
    // Clears this tensor's gradient to zero (keeps the memory).
    void zero_grad() const;

private:
    std::shared_ptr<TensorImpl> impl_;
};

// --- grad mode ---------------------------------------------------------------------------------
bool grad_enabled();
// While alive, ops record no graph (inference). Nests.
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool previous_;
};
// While alive, ops record a graph even inside a NoGradGuard (grad() with create_graph). Nests.
class EnableGradGuard {
public:
    EnableGradGuard();
    ~EnableGradGuard();
    EnableGradGuard(const EnableGradGuard&) = delete;
    EnableGradGuard& operator=(const EnableGradGuard&) = delete;

private:
    bool previous_;
};

// --- kernel dispatch ---------------------------------------------------------------------------
// CPU tensors run on the CPU backend chosen here (CpuFast by default; tests compare with
// CpuReference); CUDA tensors always run on the CUDA table.
void set_cpu_backend(kernels::Backend b);
kernels::Backend cpu_backend();
const kernels::KernelTable& kernels_for(Device d);
inline const kernels::KernelTable& kernels_for(const Tensor& t) { return kernels_for(t.device()); }

class CpuBackendGuard {
public:
    explicit CpuBackendGuard(kernels::Backend b) : previous_(cpu_backend()) { set_cpu_backend(b); }
    ~CpuBackendGuard() { set_cpu_backend(previous_); }

private:
    kernels::Backend previous_;
};

// --- op plumbing (used by the op files) --------------------------------------------------------
// True when an op on these inputs must record a Node.
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);
// Records `backward` as the grad_fn of `out`; inputs not requiring grad are dropped from the
// Node. Such an op has no second derivative.
void attach_node(Tensor& out, const char* name, std::initializer_list<const Tensor*> inputs,
                 std::function<void(TensorImpl& out)> backward);
// The same with the op's differentiable backward `graph`, a callable
// (const Tensor& out, const Tensor& dout) -> std::vector<Tensor> whose result follows the
// order of `inputs` (Node::graph_backward). It lives inside the Node: no extra allocation.
void attach_node(Tensor& out, std::shared_ptr<Node> node, const char* name,
                 const Tensor* const* inputs, size_t count,
                 std::function<void(TensorImpl& out)> backward);
template <typename GraphFn>
void attach_node(Tensor& out, const char* name, const Tensor* const* inputs, size_t count,
                 std::function<void(TensorImpl& out)> backward, GraphFn graph) {
    auto node = std::make_shared<detail::NodeWithGraph<GraphFn>>(std::move(graph));
    node->graph_backward = [](const Node& self, const Tensor& o, const Tensor& dout) {
        return static_cast<const detail::NodeWithGraph<GraphFn>&>(self).graph(o, dout);
    };
    attach_node(out, std::move(node), name, inputs, count, std::move(backward));
}
template <typename GraphFn>
void attach_node(Tensor& out, const char* name, std::initializer_list<const Tensor*> inputs,
                 std::function<void(TensorImpl& out)> backward, GraphFn graph) {
    attach_node(out, name, inputs.begin(), inputs.size(), std::move(backward), std::move(graph));
}
template <typename GraphFn>
void attach_node(Tensor& out, const char* name, const std::vector<const Tensor*>& inputs,
                 std::function<void(TensorImpl& out)> backward, GraphFn graph) {
    attach_node(out, name, inputs.data(), inputs.size(), std::move(backward), std::move(graph));
}

}  // namespace nasflat

namespace nasflat {
// Floating-point operations issued by matmul, spmm and sddmm (forward and backward) since the
// last reset: 2 per multiply-add. Benchmarks use it to report FLOPs per architecture.
int64_t flop_count();
void reset_flop_count();
void add_flops(int64_t n);
}  // namespace nasflat
