// grad.cpp — the functional gradient engine (grad.h): the same topological order as
// Tensor::backward, restricted to the tensors between the output and the requested inputs, run
// either on the ops' buffer closures (grads parked and restored) or on their graph closures.
#include "autograd/grad.h"

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat {
namespace {

using ImplPtr = std::shared_ptr<TensorImpl>;

// The graph below the output in post-order (inputs before the tensors computed from them), and
// the tensors on a path from the output to a requested input ("needed").
struct Trace {
    std::vector<ImplPtr> order;
    std::unordered_set<TensorImpl*> wanted;
    std::unordered_set<TensorImpl*> needed;
};

Trace trace(const Tensor& output, const std::vector<Tensor>& inputs) {
    Trace tr;
    for (const Tensor& t : inputs) tr.wanted.insert(t.impl());
    std::unordered_set<TensorImpl*> seen{output.impl()};
    std::vector<std::pair<ImplPtr, size_t>> stack{{output.impl_ptr(), 0}};
    while (!stack.empty()) {
        auto& [t, next] = stack.back();
        if (t->grad_fn && next < t->grad_fn->inputs.size()) {
            ImplPtr child = t->grad_fn->inputs[next++];
            if (seen.insert(child.get()).second) stack.push_back({child, 0});
        } else {
            tr.order.push_back(t);
            stack.pop_back();
        }
    }
    for (const ImplPtr& t : tr.order) {
        bool need = tr.wanted.count(t.get()) > 0;
        for (size_t k = 0; !need && t->grad_fn && k < t->grad_fn->inputs.size(); ++k) {
            need = tr.needed.count(t->grad_fn->inputs[k].get()) > 0;
        }
        if (need) tr.needed.insert(t.get());
    }
    return tr;
}

// Parks every traced tensor's gradient buffer and puts it back on destruction (also when an
// op throws), so the buffer closures can run without touching the callers' gradients.
class ParkedGrads {
  public:
    explicit ParkedGrads(const std::vector<ImplPtr>& order) {
        for (const ImplPtr& t : order) {
            parked_.push_back({t.get(), std::move(t->grad), t->grad_offset});
            t->grad.reset();
            t->grad_offset = 0;
        }
    }
    ~ParkedGrads() {
        for (auto& p : parked_) {
            p.t->grad = std::move(p.grad);
            p.t->grad_offset = p.offset;
        }
    }
    ParkedGrads(const ParkedGrads&) = delete;
    ParkedGrads& operator=(const ParkedGrads&) = delete;

  private:
    struct Parked {
        TensorImpl* t;
        BufferPtr grad;
        size_t offset;
    };
    std::vector<Parked> parked_;
};

Tensor copy_of_grad(const TensorImpl& t) {
    Tensor g = Tensor::empty(t.shape, t.device);
    kernels::raw_copy(g.data(), t.device, t.grad_ptr(), t.device,
                      static_cast<size_t>(t.numel()) * sizeof(float));
    return g;
}

// create_graph = false: the buffer closures, each run after all consumers of its output.
std::unordered_map<TensorImpl*, Tensor> grads_by_buffers(const Tensor& output, const Trace& tr) {
    std::unordered_map<TensorImpl*, Tensor> found;
    ParkedGrads parked(tr.order);
    float one = 1.0f;
    kernels::raw_copy(output.impl()->ensure_grad(), output.device(), &one, Device::CPU,
                      sizeof(float));
    for (auto it = tr.order.rbegin(); it != tr.order.rend(); ++it) {
        TensorImpl* t = it->get();
        if (!t->grad || !tr.needed.count(t)) continue;
        if (tr.wanted.count(t)) found.emplace(t, copy_of_grad(*t));
        if (t->grad_fn) t->grad_fn->backward(*t);
        t->grad.reset();
    }
    return found;
}

// create_graph = true: the graph closures; gradients reaching a tensor twice are added by add().
std::unordered_map<TensorImpl*, Tensor> grads_by_graph(const Tensor& output, const Trace& tr) {
    EnableGradGuard recording;
    std::unordered_map<TensorImpl*, Tensor> found;
    std::unordered_map<TensorImpl*, Tensor> pending;
    pending.emplace(output.impl(), Tensor::full(output.shape(), 1.0f, output.device()));
    for (auto it = tr.order.rbegin(); it != tr.order.rend(); ++it) {
        const ImplPtr& t = *it;
        auto p = pending.find(t.get());
        if (p == pending.end()) continue;
        const Tensor dout = p->second;
        pending.erase(p);
        if (tr.wanted.count(t.get())) found.emplace(t.get(), dout);
        if (!t->grad_fn) continue;
        const Node& node = *t->grad_fn;
        NASFLAT_CHECK(node.graph_backward, "grad: no second derivative for op ", node.name,
                      "; hint: create_graph=true supports the ops listed in autograd/grad.h, "
                      "or use create_graph=false (first order)");
        const std::vector<Tensor> grads = node.graph_backward(node, Tensor(t), dout);
        for (size_t k = 0; k < node.inputs.size(); ++k) {
            TensorImpl* child = node.inputs[k].get();
            const size_t slot = node.slot(k);
            NASFLAT_CHECK(slot < grads.size(), "grad: op ", node.name, " returned ", grads.size(),
                          " gradients, input ", slot, " needs one");
            const Tensor& g = grads[slot];
            if (!g.defined() || !tr.needed.count(child)) continue;
            NASFLAT_CHECK(g.numel() == child->numel(), "grad: op ", node.name, " returned ",
                          shape_str(g.shape()), " for an input of shape ", shape_str(child->shape));
            Tensor shaped = g.shape() == child->shape ? g : reshape(g, child->shape);
            auto [q, fresh] = pending.emplace(child, shaped);
            if (!fresh) q->second = add(q->second, shaped);
        }
    }
    return found;
}

}  // namespace

std::vector<Tensor> grad(const Tensor& output, const std::vector<Tensor>& inputs,
                         bool create_graph) {
    const std::string shape = output.defined() ? shape_str(output.shape()) : "undefined";
    NASFLAT_CHECK(output.defined() && output.numel() == 1,
                  "grad: the output must be a scalar, shape is ", shape,
                  "; hint: reduce with sum_all() or mean_all() first");
    for (size_t i = 0; i < inputs.size(); ++i) {
        NASFLAT_CHECK(inputs[i].defined(), "grad: input ", i, " is an undefined tensor");
    }
    std::unordered_map<TensorImpl*, Tensor> found;
    if (output.requires_grad()) {
        Trace tr = trace(output, inputs);
        found = create_graph ? grads_by_graph(output, tr) : grads_by_buffers(output, tr);
    }
    std::vector<Tensor> result;
    for (const Tensor& x : inputs) {
        auto f = found.find(x.impl());
        result.push_back(f != found.end() ? f->second : Tensor::zeros(x.shape(), x.device()));
    }
    return result;
}

}  // namespace nasflat
