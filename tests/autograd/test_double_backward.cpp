// test_double_backward.cpp — grad() (autograd/grad.h): for every op with a second derivative,
// the create_graph path gives backward()'s gradients, and its Hessian-vector products match
// central differences of the gradient; grad() leaves .grad buffers alone; an op without a
// second derivative is named in the error. Meta-learning through grad(): test_meta_sgd.cpp.
#include <cmath>

#include "autograd/grad.h"
#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using Inputs = std::vector<Tensor>;
using OpFn = std::function<Tensor(const Inputs&)>;

struct OpCase {
    std::string label;
    Inputs inputs;
    OpFn f;
};

std::vector<float> flat(const std::vector<std::vector<float>>& parts) {
    std::vector<float> all;
    for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
}

// Every op with a second derivative, on inputs where it is smooth (ReLU and |x| inputs away from
// 0, log's inputs positive).
std::vector<OpCase> op_cases() {
    Rng rng(11);
    auto rand = [&](const Shape& s) { return random_tensor(rng, s, true); };
    auto away = [&](const Shape& s) {
        return Tensor::from_vector(random_away_from_zero(rng, shape_numel(s), 0.1f), s)
            .set_requires_grad(true);
    };
    auto positive = [&](const Shape& s) {
        return Tensor::from_vector(random_values(rng, shape_numel(s), 0.5f, 2.0f), s)
            .set_requires_grad(true);
    };
    // A constant batched adjacency (B, N, N) of 0/1 entries, as a graph layer multiplies.
    std::vector<float> adj_values(2 * 4 * 4);
    for (size_t i = 0; i < adj_values.size(); ++i) adj_values[i] = (i * 7 % 5) < 2 ? 1.0f : 0.0f;
    Tensor adj = Tensor::from_vector(adj_values, {2, 4, 4});
    IndexMap ids = IndexMap::make({2, 0, 2, 3, 2}, 5, Device::CPU);
    Tensor target = Tensor::from_vector(random_values(rng, 6), {6});
    // Scores 0.5 apart: no pair sits within the step of the hinge's kink (margin 0.1).
    Tensor spaced = Tensor::from_vector({0.0f, 0.5f, -0.5f, 1.0f}, {4}).set_requires_grad(true);
    PairList pairs =
        PairList::make({0, 1, 2, 3, 0}, {1, 2, 3, 0, 2}, {1, -1, 1, 1, -1}, 4, Device::CPU);
    std::vector<OpCase> cases = {
        {"matmul 2d",
         {rand({5, 4}), rand({4, 3})},
         [](const Inputs& x) { return matmul(x[0], x[1]); }},
        {"matmul leading dims",
         {rand({2, 3, 4}), rand({4, 2})},
         [](const Inputs& x) { return matmul(x[0], x[1]); }},
        {"matmul batched",
         {rand({2, 3, 4}), rand({2, 4, 2})},
         [](const Inputs& x) { return matmul(x[0], x[1]); }},
        {"matmul constant adjacency",
         {rand({2, 4, 3})},
         [adj](const Inputs& x) { return matmul(adj, x[0]); }},
        {"matmul_transposed TT",
         {rand({4, 3}), rand({2, 4})},
         [](const Inputs& x) { return matmul_transposed(x[0], true, x[1], true); }},
        {"matmul_transposed NT batched",
         {rand({2, 3, 4}), rand({2, 5, 4})},
         [](const Inputs& x) { return matmul_transposed(x[0], false, x[1], true); }},
        {"matmul_transposed TN",
         {rand({4, 3}), rand({4, 2})},
         [](const Inputs& x) { return matmul_transposed(x[0], true, x[1], false); }},
        {"linear",
         {rand({6, 4}), rand({4, 3}), rand({3})},
         [](const Inputs& x) { return linear(x[0], x[1], x[2]); }},
        {"add broadcast",
         {rand({4, 5}), rand({5})},
         [](const Inputs& x) { return add(x[0], x[1]); }},
        {"sub broadcast",
         {rand({2, 3, 5}), rand({3, 5})},
         [](const Inputs& x) { return sub(x[0], x[1]); }},
        {"mul", {rand({4, 5}), rand({4, 5})}, [](const Inputs& x) { return mul(x[0], x[1]); }},
        {"mul broadcast",
         {rand({3, 4, 5}), rand({5})},
         [](const Inputs& x) { return mul(x[0], x[1]); }},
        {"mul scalar-shaped",
         {rand({4, 5}), rand({1})},
         [](const Inputs& x) { return mul(x[0], x[1]); }},
        {"scale", {rand({3, 4})}, [](const Inputs& x) { return scale(x[0], -1.5f); }},
        {"relu", {away({4, 6})}, [](const Inputs& x) { return relu(x[0]); }},
        {"leaky_relu", {away({4, 6})}, [](const Inputs& x) { return leaky_relu(x[0], 0.1f); }},
        {"sigmoid", {rand({4, 6})}, [](const Inputs& x) { return sigmoid(scale(x[0], 2.0f)); }},
        {"exp", {rand({4, 6})}, [](const Inputs& x) { return exp(x[0]); }},
        {"log", {positive({4, 6})}, [](const Inputs& x) { return log(x[0]); }},
        {"softplus", {rand({4, 6})}, [](const Inputs& x) { return softplus(scale(x[0], 3.0f)); }},
        {"abs", {away({4, 6})}, [](const Inputs& x) { return abs(x[0]); }},
        {"gelu", {rand({4, 6})}, [](const Inputs& x) { return gelu(scale(x[0], 3.0f)); }},
        {"masked_softmax",
         {rand({2, 4, 4})},
         [adj](const Inputs& x) { return masked_softmax(scale(x[0], 2.0f), adj); }},
        {"attention 2 heads",
         {rand({2, 4, 4}), rand({2, 4, 4}), rand({2, 4, 4})},
         [adj](const Inputs& x) { return attention(x[0], x[1], x[2], adj, 2); }},
        {"reshape",
         {rand({3, 4})},
         [](const Inputs& x) {
             return reshape(x[0], {2, 6});
         }},
        {"concat",
         {rand({3, 2}), rand({3, 3})},
         [](const Inputs& x) {
             return concat({x[0], x[1], x[0]}, 1);
         }},
        {"slice", {rand({3, 7, 2})}, [](const Inputs& x) { return slice(x[0], 1, 2, 4); }},
        {"slice from 0", {rand({5, 3})}, [](const Inputs& x) { return slice(x[0], 0, 0, 2); }},
        {"index_select",
         {rand({5, 2, 2})},
         [ids](const Inputs& x) { return index_select(x[0], ids); }},
        {"scatter_rows",
         {rand({5, 3})},
         [ids](const Inputs& x) { return scatter_rows(x[0], ids); }},
        {"sum dim 1", {rand({3, 4, 2})}, [](const Inputs& x) { return sum(x[0], 1); }},
        {"mean dim -1", {rand({3, 4})}, [](const Inputs& x) { return mean(x[0], -1); }},
        {"sum_all", {rand({3, 4})}, [](const Inputs& x) { return sum_all(x[0]); }},
        {"mean_all", {rand({3, 4})}, [](const Inputs& x) { return mean_all(x[0]); }},
        {"expand_dim",
         {rand({3, 2})},
         [](const Inputs& x) {
             return expand_dim(x[0], {3, 4, 2}, 1, 0.5f);
         }},
        {"mse_loss", {rand({2, 3})}, [target](const Inputs& x) { return mse_loss(x[0], target); }},
        {"dropout", {rand({6, 6})}, [](const Inputs& x) { return dropout(x[0], 0.25f, 5, true); }},
        {"average relu",
         {away({4, 5})},
         [](const Inputs& x) { return average(x[0], scale(x[0], 3.0f), true); }},
        {"softmax dim 1", {rand({3, 4, 2})}, [](const Inputs& x) { return softmax(x[0], 1); }},
        {"softmax dim -1", {rand({2, 5})}, [](const Inputs& x) { return softmax(x[0], -1); }},
        {"pair_hinge_loss",
         {spaced},
         [pairs](const Inputs& x) { return pair_hinge_loss(x[0], pairs, 0.1f); }},
        {"gated_residual",
         {rand({3, 4}), rand({4}), rand({3, 4}), rand({3, 4}), rand({4})},
         [](const Inputs& x) { return gated_residual(x[0], x[1], x[2], x[3], x[4]); }},
        {"gated_residual without s, b",
         {rand({2, 3, 4}), rand({4}), rand({2, 3, 4})},
         [](const Inputs& x) { return gated_residual(x[0], x[1], x[2]); }},
        {"average",
         {rand({4, 5}), rand({4, 5})},
         [](const Inputs& x) { return average(x[0], x[1], false); }},
    };
    return cases;
}

// Two scalars per op: L1 = sum(w * y) (the plain gradient; its Hessian is zero for linear ops)
// and L2 = sum(w * y * y) (a Hessian 2 J^T diag(w) J + ..., nonzero for every op, so the
// second pass runs through each op's graph backward and its adjoint).
Tensor scalar_of(const OpCase& c, const Inputs& x, const Tensor& w, bool squared) {
    Tensor y = c.f(x);
    return sum_all(mul(squared ? mul(y, y) : y, reshape(w, y.shape())));
}

Tensor weights_for(const OpCase& c, Rng& rng) {
    Tensor y = c.f(c.inputs);
    return Tensor::from_vector(random_values(rng, static_cast<size_t>(y.numel())), {y.numel()});
}

std::vector<std::vector<float>> host(const std::vector<Tensor>& ts) {
    std::vector<std::vector<float>> out;
    for (const Tensor& t : ts) out.push_back(t.to_vector());
    return out;
}

void expect_grad_equals_backward(const OpCase& c, const std::string& where, Rng& rng) {
    const Tensor w = weights_for(c, rng);
    for (bool squared : {false, true}) {
        const std::string label = c.label + (squared ? " (squared)" : "") + where;
        for (const Tensor& x : c.inputs) x.zero_grad();
        scalar_of(c, c.inputs, w, squared).backward();
        std::vector<std::vector<float>> want;
        for (const Tensor& x : c.inputs) want.push_back(x.grad_to_vector());
        const auto plain = host(grad(scalar_of(c, c.inputs, w, squared), c.inputs, false));
        const auto graph = host(grad(scalar_of(c, c.inputs, w, squared), c.inputs, true));
        for (size_t i = 0; i < c.inputs.size(); ++i) {
            EXPECT_EQ(plain[i], want[i]) << label << " input " << i;
            expect_close(graph[i], want[i], 1e-6f, 1e-5f, label + " create_graph");
            // grad() left the accumulated .grad buffers as backward() wrote them.
            EXPECT_EQ(c.inputs[i].grad_to_vector(), want[i]) << label << " input " << i;
        }
    }
}

class DoubleBackward : public ::testing::Test {
  protected:
    // The reference backend: its GEMM sums in double, so the differences below see the math.
    CpuBackendGuard reference_{kernels::Backend::CpuReference};
};

// grad() without and with create_graph equals backward(): bit for bit without (the same buffer
// closures in the same order), to float rounding with (the same math as other ops). On both
// CPU backends.
TEST_F(DoubleBackward, GradEqualsBackwardForEveryOp) {
    Rng rng(3);
    for (kernels::Backend backend : {kernels::Backend::CpuReference, kernels::Backend::CpuFast}) {
        CpuBackendGuard on(backend);
        const std::string where = backend == kernels::Backend::CpuFast ? " fast" : "";
        for (const OpCase& c : op_cases()) expect_grad_equals_backward(c, where, rng);
    }
}

// H v from grad(sum_k <grad(L, x, true)_k, v_k>, x): the engine's Hessian-vector product.
std::vector<float> hessian_vector(const OpCase& c, const Tensor& w, const Inputs& v, bool squared) {
    const std::vector<Tensor> g = grad(scalar_of(c, c.inputs, w, squared), c.inputs, true);
    Tensor gv = Tensor::zeros({1});
    for (size_t i = 0; i < g.size(); ++i) gv = add(gv, sum_all(mul(g[i], v[i])));
    return flat(host(grad(gv, c.inputs, false)));
}

// (grad L(x + eps v) - grad L(x - eps v)) / (2 eps), from first-order gradients only.
std::vector<float> hessian_vector_fd(const OpCase& c, const Tensor& w, const Inputs& v,
                                     bool squared, float eps) {
    std::vector<float> side[2];
    for (int s = 0; s < 2; ++s) {
        Inputs moved;
        for (size_t i = 0; i < v.size(); ++i) {
            Tensor x = add(c.inputs[i].detach(), scale(v[i], s ? -eps : eps)).detach();
            moved.push_back(x.set_requires_grad(true));
        }
        side[s] = flat(host(grad(scalar_of(c, moved, w, squared), moved, false)));
    }
    for (size_t k = 0; k < side[0].size(); ++k) side[0][k] = (side[0][k] - side[1][k]) / (2 * eps);
    return side[0];
}

// The two agree for a direction along each input alone (a column block of the Hessian, mixed
// second derivatives such as d/dW of d/dx included) and along all inputs at once.
TEST_F(DoubleBackward, HessianVectorProductsMatchFiniteDifferences) {
    Rng rng(5);
    for (const OpCase& c : op_cases()) {
        const Tensor w = weights_for(c, rng);
        const size_t m = c.inputs.size();
        for (size_t along = 0; along <= m; ++along) {  // along == m: every input moves
            Inputs v;
            for (size_t i = 0; i < m; ++i) {
                std::vector<float> d = random_values(rng, c.inputs[i].numel());
                if (along < m && i != along) d.assign(d.size(), 0.0f);
                v.push_back(Tensor::from_vector(d, c.inputs[i].shape()));
            }
            for (bool squared : {false, true}) {
                const std::string label = c.label + (squared ? " (squared)" : "") + " along " +
                                          (along < m ? std::to_string(along) : "all");
                // float32 gradients differenced over 2 eps = 0.02: ~1e-5 rounding per unit of
                // gradient, plus eps^2 truncation (measured: 1e-3 at most, on |Hv| ~ 25).
                expect_close(hessian_vector(c, w, v, squared),
                             hessian_vector_fd(c, w, v, squared, 1e-2f), 2e-3f, 1e-2f, label);
            }
        }
    }
}

TEST_F(DoubleBackward, UnreachableInputsGetZerosAndIntermediatesTheirGradient) {
    Rng rng(1);
    Tensor x = random_tensor(rng, {3}, true), y = random_tensor(rng, {3}, true);
    Tensor h = mul(x, x);
    Tensor loss = sum_all(mul(h, x));  // x^3: d/dh = x, d/dx = 3 x^2
    for (bool create_graph : {false, true}) {
        const auto g = grad(loss, {y, h, x}, create_graph);
        EXPECT_EQ(g[0].to_vector(), std::vector<float>(3, 0.0f));
        expect_close(g[1].to_vector(), x.to_vector(), 0, 0, "d/dh");
        std::vector<float> want = x.to_vector();
        for (float& f : want) f = 3 * f * f;
        expect_close(g[2].to_vector(), want, 1e-6f, 1e-6f, "d/dx");
        EXPECT_EQ(g[2].requires_grad(), create_graph);
    }
    // A root that needs no gradient at all: zeros, as for any unreachable input.
    const auto none = grad(sum_all(x.detach()), {x}, true);
    EXPECT_EQ(none[0].to_vector(), std::vector<float>(3, 0.0f));
    EXPECT_FALSE(x.has_grad());
}

// create_graph records the gradient's graph even under NoGradGuard, and the third derivative
// of x^3 comes out of three nested grad() calls.
TEST_F(DoubleBackward, NestsToThirdOrder) {
    Tensor x = Tensor::from_vector({0.5f, -2.0f}, {2}).set_requires_grad(true);
    Tensor y = sum_all(mul(mul(x, x), x));
    Tensor g1;
    {
        NoGradGuard no_grad;
        g1 = grad(y, {x}, true)[0];  // 3 x^2
    }
    EXPECT_TRUE(g1.requires_grad());
    Tensor g2 = grad(sum_all(g1), {x}, true)[0];   // 6 x
    Tensor g3 = grad(sum_all(g2), {x}, false)[0];  // 6
    expect_close(g1.to_vector(), {0.75f, 12.0f}, 1e-6f, 1e-6f, "first");
    expect_close(g2.to_vector(), {3.0f, -12.0f}, 1e-6f, 1e-6f, "second");
    expect_close(g3.to_vector(), {6.0f, 6.0f}, 1e-6f, 1e-6f, "third");
}

TEST_F(DoubleBackward, OpWithoutSecondDerivativeIsNamed) {
    Rng rng(2);
    Tensor x = random_tensor(rng, {3, 4}, true), gamma = random_tensor(rng, {4}, true),
           beta = random_tensor(rng, {4}, true);
    Tensor loss = sum_all(mul(layer_norm(x, gamma, beta), x));
    try {
        grad(loss, {x}, true);
        ADD_FAILURE() << "create_graph through layer_norm did not throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no second derivative for op layer_norm"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(x.has_grad());  // the failed call left the buffers alone
    // First order runs through any op; a branch that does not lead to the inputs is not asked.
    EXPECT_EQ(grad(loss, {x}, false)[0].numel(), 12);
    Tensor side = add(sum_all(softmax(gamma, 0)), sum_all(mul(x, x)));
    EXPECT_EQ(grad(side, {x}, true)[0].requires_grad(), true);
}

TEST_F(DoubleBackward, RejectsNonScalarOutputsAndUndefinedInputs) {
    Tensor x = Tensor::from_vector({1.0f, 2.0f}, {2}).set_requires_grad(true);
    for (bool create_graph : {false, true}) {
        EXPECT_THROW(grad(mul(x, x), {x}, create_graph), Error);
        EXPECT_THROW(grad(sum_all(x), {x, Tensor()}, create_graph), Error);
    }
}

}  // namespace
}  // namespace nasflat::testing
