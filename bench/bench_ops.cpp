// bench_ops.cpp — see bench_ops.h. Napkin math per op (bytes: every input read once, every
// output written once; an accumulated output is read and written):
//   unary fwd   N F: read x, write y                       -> 8 N F bytes
//   unary bwd   read x (or y), dout, dx; write dx           -> 16 N F bytes
//   binary fwd  broadcast b (F): read a, write out          -> 8 N F bytes
//   binary bwd  db (F) = column sums of dout * a            -> 8 N F bytes, 2 N F flops
//   layer norm  fwd: read x, write y (+ 2N stats)           -> 8 N F bytes, ~8 N F flops
//               bwd: read x, dout, dx; write dx (+ dgamma)  -> 16 N F bytes, ~12 N F flops
//   segment sum fwd: read x, write G F                      -> 4 (N F + G F) bytes
//   copy block  concat of two (N, F) halves into (N, 2F)    -> 16 N F bytes
//   dropout     read x, write y                             -> 8 N F bytes
//   gated residual fwd: read p, m, s; write out              -> 16 N F bytes, ~8 N F flops
//                  bwd: read dout, p, m, dm; write dpre, dm -> 24 N F bytes (dp, ds null)
//   average     fwd (+ReLU): read a, b; write out           -> 12 N F bytes
//   pair hinge  P pairs: read 2 scores + sign               -> ~16 P bytes (fwd)
//   adamw       p, g, m, v read; p, m, v written            -> 28 numel bytes, ~12 numel flops
#include "bench/bench_ops.h"

#include <memory>
#include <string>
#include <vector>

#include "autograd/index.h"

namespace nasflat::bench {
namespace {

constexpr int64_t kF = 128;
using kernels::BinaryOp;
using kernels::UnaryOp;

Device device_of(const KernelTable& t) {
    return t.backend == kernels::Backend::Cuda ? Device::CUDA : Device::CPU;
}

// Per-device scratch made on first use: the first call of a variant is its untimed warm-up,
// so nothing below is allocated or uploaded inside a timed region.
template <typename T>
struct PerDevice {
    std::unique_ptr<T> cpu, cuda;
    template <typename Make>
    T& get(Device d, Make make) {
        std::unique_ptr<T>& slot = d == Device::CUDA ? cuda : cpu;
        if (!slot) slot = std::make_unique<T>(make(d));
        return *slot;
    }
};

std::string shape_of(int64_t G, int64_t n) {
    return std::to_string(G) + "x" + std::to_string(n) + "x" + std::to_string(kF);
}

// One op that maps device inputs to one output array: validates and/or times it on every
// device. `make` builds the run closure from device arrays; the reference fills op.want.
void simple(Runner& r, Op op, const std::vector<std::vector<float>>& inputs,
            const std::vector<float>& out0,
            const std::function<void(const KernelTable&, std::vector<float*>&, float*)>& call) {
    if (r.validating()) {
        std::vector<std::vector<float>> host = inputs;
        std::vector<float*> ptrs;
        for (auto& v : host) ptrs.push_back(v.data());
        op.want = out0;
        call(r.ref(), ptrs, op.want.data());
    }
    for (Device d : r.devices()) {
        std::vector<DF> dev;
        for (const auto& v : inputs) dev.emplace_back(v, d);
        std::vector<float*> ptrs;
        for (auto& v : dev) ptrs.push_back(v.get());
        DF out(out0, d);
        const KernelTable& t = r.table(d);
        r.variant(
            op, d == Device::CPU ? "cpu-fast" : "cuda", d, [&] { out.set(out0); },
            [&] { call(t, ptrs, out.get()); }, [&] { return out.host(); });
    }
}

struct LossState {
    PairList pairs;
    DF value, one, work;
};

}  // namespace

void bench_other_ops(Runner& r, int64_t G, int64_t n) {
    const int64_t N = G * n, NF = N * kF;
    const std::string shape = shape_of(G, n);
    auto x = random_floats(21, NF, -2, 2), g = random_floats(22, NF), b = random_floats(23, kF);
    auto zeros = std::vector<float>(NF, 0.0f);
    auto op = [&](const char* name, double flops, double bytes, double tol = 1e-4) {
        Op o;
        o.name = name;
        o.shape = shape;
        o.flops = flops;
        o.bytes = bytes;
        o.tol = tol;
        return o;
    };
    simple(r, op("relu fwd", NF, 8.0 * NF), {x}, zeros,
           [&](const KernelTable& t, auto& in, float* out) {
               t.unary_forward(UnaryOp::Relu, out, in[0], NF, 0.0f);
           });
    simple(r, op("sigmoid fwd", 4.0 * NF, 8.0 * NF), {x}, zeros,
           [&](const KernelTable& t, auto& in, float* out) {
               t.unary_forward(UnaryOp::Sigmoid, out, in[0], NF, 0.0f);
           });
    simple(r, op("sigmoid bwd", 3.0 * NF, 16.0 * NF), {x, g}, zeros,
           [&](const KernelTable& t, auto& in, float* out) {
               t.unary_backward(UnaryOp::Sigmoid, out, in[1], in[0], in[0], NF, 0.0f);
           });
    simple(r, op("mul fwd (broadcast F)", NF, 8.0 * NF), {x, b}, zeros,
           [&](const KernelTable& t, auto& in, float* out) {
               t.binary_forward(BinaryOp::Mul, out, in[0], in[1], NF, kF);
           });
    simple(r, op("mul bwd db (column sums)", 2.0 * NF, 8.0 * NF, 1e-3), {x, g, b},
           std::vector<float>(kF, 0.0f), [&](const KernelTable& t, auto& in, float* out) {
               t.binary_backward(BinaryOp::Mul, nullptr, out, in[1], in[0], in[2], NF, kF);
           });
    // The layer tails (one kernel each) that replace 4-5 of the ops above.
    auto m = random_floats(26, NF), s = random_floats(27, NF);
    simple(r, op("gated_residual fwd", 8.0 * NF, 16.0 * NF), {x, b, m, s, b}, zeros,
           [&](const KernelTable& t, auto& in, float* out) {
               t.gated_residual_forward(out, nullptr, in[0], in[1], in[2], in[3], in[4], N, kF);
           });
    simple(r, op("gated_residual fwd, gate kept", 8.0 * NF, 20.0 * NF), {x, b, m, s, b}, zeros,
           [&, y = std::make_shared<PerDevice<DF>>()](const KernelTable& t, auto& in, float* out) {
               DF& gate = y->get(device_of(t), [&](Device dev) { return DF(zeros, dev); });
               t.gated_residual_forward(out, gate.get(), in[0], in[1], in[2], in[3], in[4], N, kF);
           });
    simple(r, op("gated_residual bwd (dp, dm)", 6.0 * NF, 24.0 * NF), {x, m, g}, zeros,
           [&, dm = std::make_shared<PerDevice<DF>>()](const KernelTable& t, auto& in, float* out) {
               DF& d = dm->get(device_of(t), [&](Device dev) { return DF(zeros, dev); });
               kernels::GatedResidualGrads grads;
               grads.dp = {out, false};
               grads.dm = {d.get(), true};
               t.gated_residual_backward(grads, in[2], in[0], in[1], N, kF);
           });
    simple(r, op("average+relu fwd", 2.0 * NF, 12.0 * NF), {x, m}, zeros,
           [&](const KernelTable& t, auto& in, float* out) {
               t.average_forward(out, in[0], in[1], NF, true);
           });
    auto gamma = random_floats(24, kF), beta = random_floats(25, kF);
    simple(
        r, op("layer_norm fwd", 8.0 * NF, 8.0 * NF), {x, gamma, beta}, zeros,
        [&, stats = std::make_shared<PerDevice<DF>>()](const KernelTable& t, auto& in, float* out) {
            DF& st = stats->get(device_of(t),
                                [&](Device d) { return DF(std::vector<float>(2 * N), d); });
            t.layer_norm_forward(out, st.get(), st.get() + N, in[0], in[1], in[2], N, kF, 1e-5f);
        });
    std::vector<int32_t> seg(G + 1);
    for (int64_t k = 0; k <= G; ++k) seg[k] = static_cast<int32_t>(k * n);
    simple(r, op("segment_sum fwd (readout)", NF, 4.0 * (NF + G * kF)), {x},
           std::vector<float>(G * kF, 0.0f),
           [&, segs = std::make_shared<PerDevice<IntArray>>()](const KernelTable& t, auto& in,
                                                               float* out) {
               IntArray& s =
                   segs->get(device_of(t), [&](Device d) { return IntArray::from_host(seg, d); });
               t.segment_sum_forward(out, in[0], s.data(), nullptr, G, kF);
           });
    simple(r, op("concat (copy_block)", 0.0, 16.0 * NF), {x, g}, std::vector<float>(2 * NF, 0.0f),
           [&](const KernelTable& t, auto& in, float* out) {
               t.copy_block(out, 2 * kF, 0, in[0], kF, 0, kF, N, 1, false);
               t.copy_block(out, 2 * kF, kF, in[1], kF, 0, kF, N, 1, false);
           });
    simple(r, op("dropout fwd", NF, 8.0 * NF), {x}, zeros,
           [&](const KernelTable& t, auto& in, float* out) {
               t.dropout_forward(out, in[0], NF, 0.1f, 1234);
           });
    const int64_t P = 4 * G;
    std::vector<int32_t> pi(P), pj(P);
    std::vector<float> sign(P);
    Rng rng(26);
    for (int64_t k = 0; k < P; ++k) {
        pi[k] = static_cast<int32_t>(rng.below(G));
        pj[k] = static_cast<int32_t>(rng.below(G));
        sign[k] = rng.uniform() < 0.5 ? -1.0f : 1.0f;
    }
    auto scores = random_floats(27, G, -0.3f, 0.3f);
    Op loss = op("pair_hinge fwd+bwd", 6.0 * P, 16.0 * P + 8.0 * G, 1e-4);
    loss.shape = std::to_string(G) + " scores, P=" + std::to_string(P);
    simple(r, loss, {scores}, std::vector<float>(G, 0.0f),
           [&, state = std::make_shared<PerDevice<LossState>>()](const KernelTable& t, auto& in,
                                                                 float* out) {
               LossState& st = state->get(device_of(t), [&](Device d) {
                   return LossState{PairList::make(pi, pj, sign, static_cast<int32_t>(G), d),
                                    DF(std::vector<float>(1), d), DF(std::vector<float>{1.0f}, d),
                                    DF(std::vector<float>(P), d)};
               });
               const PairList& pl = st.pairs;
               t.pair_hinge_forward(st.value.get(), in[0], pl.pi(), pl.pj(), pl.sign(), P, 0.1f);
               t.pair_hinge_backward(out, st.one.get(), in[0], pl.pi(), pl.pj(), pl.sign(), P, 0.1f,
                                     pl.by_score(), st.work.get());
           });
    const int64_t params = 408513;
    auto p = random_floats(28, params), grad = random_floats(29, params);
    Op adam = op("adamw step", 12.0 * params, 28.0 * params, 1e-5);
    adam.shape = std::to_string(params) + " params";
    simple(r, adam, {grad, random_floats(30, params, 0, 0.1f), random_floats(31, params, 0, 0.01f)},
           p, [&](const KernelTable& t, auto& in, float* out) {
               t.adamw_step(out, in[0], in[1], in[2], params, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-5f,
                            0.1f, 0.001f);
           });
}

}  // namespace nasflat::bench
