// test_gradients.cpp — a finite-difference gradient check for every differentiable op.
// Inputs are kept away from the kinks of ReLU/LeakyReLU and the hinge; the reference CPU
// backend is used so that float32 rounding in fast kernels does not blur the comparison.
#include "autograd/ops.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using Inputs = std::vector<Tensor>;

class Gradients : public ::testing::Test {
  protected:
    CpuBackendGuard reference_{kernels::Backend::CpuReference};
    Rng rng_{42};
    Tensor rand(const Shape& s) { return random_tensor(rng_, s, true); }
    Tensor away_from_zero(const Shape& s) {
        Tensor t = Tensor::from_vector(random_away_from_zero(rng_, shape_numel(s)), s);
        return t.set_requires_grad(true);
    }
};

TEST_F(Gradients, Matmul) {
    check_gradients("matmul 2d", {rand({5, 7}), rand({7, 3})},
                    [](const Inputs& x) { return matmul(x[0], x[1]); });
    check_gradients("matmul leading dims", {rand({2, 3, 4}), rand({4, 5})},
                    [](const Inputs& x) { return matmul(x[0], x[1]); });
    check_gradients("matmul batched", {rand({3, 2, 4}), rand({3, 4, 5})},
                    [](const Inputs& x) { return matmul(x[0], x[1]); });
    check_gradients("linear", {rand({6, 4}), rand({4, 3}), rand({3})},
                    [](const Inputs& x) { return linear(x[0], x[1], x[2]); });
    // The first gradient of a tensor is assigned (beta 0), later ones added.
    check_gradients("matmul a = b", {rand({5, 5})},
                    [](const Inputs& x) { return matmul(x[0], x[0]); });
    check_gradients("matmul, a in two products", {rand({5, 4}), rand({4, 3}), rand({4, 3})},
                    [](const Inputs& x) { return add(matmul(x[0], x[1]), matmul(x[0], x[2])); });
}

TEST_F(Gradients, BroadcastingArithmetic) {
    check_gradients("add", {rand({4, 5}), rand({5})},
                    [](const Inputs& x) { return add(x[0], x[1]); });
    check_gradients("sub", {rand({2, 3, 5}), rand({3, 5})},
                    [](const Inputs& x) { return sub(x[0], x[1]); });
    check_gradients("mul", {rand({4, 5}), rand({4, 5})},
                    [](const Inputs& x) { return mul(x[0], x[1]); });
    check_gradients("mul scalar-shaped", {rand({4, 5}), rand({1})},
                    [](const Inputs& x) { return mul(x[0], x[1]); });
    check_gradients("scale", {rand({3, 3})}, [](const Inputs& x) { return scale(x[0], -1.5f); });
}

TEST_F(Gradients, Activations) {
    check_gradients("relu", {away_from_zero({4, 6})}, [](const Inputs& x) { return relu(x[0]); });
    check_gradients("leaky_relu", {away_from_zero({4, 6})},
                    [](const Inputs& x) { return leaky_relu(x[0], 0.01f); });
    check_gradients("sigmoid", {rand({4, 6})}, [](const Inputs& x) { return sigmoid(x[0]); });
    check_gradients("exp", {rand({4, 6})}, [](const Inputs& x) { return exp(x[0]); });
    // log of |x| + 0.5 (abs away from its kink), inputs of log in [0.55, 1.5).
    check_gradients("log", {away_from_zero({4, 6})}, [](const Inputs& x) {
        return log(add(abs(x[0]), Tensor::full({1}, 0.5f)));
    });
    check_gradients("softplus", {rand({4, 6})}, [](const Inputs& x) {
        return softplus(scale(x[0], 4.0f));  // inputs in [-4, 4): both tails
    });
    check_gradients("abs", {away_from_zero({4, 6})}, [](const Inputs& x) { return abs(x[0]); });
}

// The adjoint ops that make gradients differentiable (grad.h).
TEST_F(Gradients, Adjoints) {
    for (bool ta : {false, true}) {
        for (bool tb : {false, true}) {
            const std::string label = std::string("matmul_transposed ") + (ta ? "T" : "N") +
                                      (tb ? "T" : "N");
            check_gradients(label, {rand(ta ? Shape{4, 3} : Shape{3, 4}),
                                    rand(tb ? Shape{5, 4} : Shape{4, 5})},
                            [=](const Inputs& x) { return matmul_transposed(x[0], ta, x[1], tb); });
            check_gradients(label + " batched", {rand(ta ? Shape{2, 4, 3} : Shape{2, 3, 4}),
                                                 rand(tb ? Shape{2, 5, 4} : Shape{2, 4, 5})},
                            [=](const Inputs& x) { return matmul_transposed(x[0], ta, x[1], tb); });
        }
    }
    check_gradients("expand_dim 1", {rand({3, 2})},
                    [](const Inputs& x) { return expand_dim(x[0], {3, 4, 2}, 1, 0.25f); });
    check_gradients("expand_dim 0", {rand({5})},
                    [](const Inputs& x) { return expand_dim(x[0], {2, 5}, 0, 1.0f); });
    IndexMap ids = IndexMap::make({2, 0, 2, 3, 2}, 5, Device::CPU);
    check_gradients("scatter_rows", {rand({5, 3})},
                    [&](const Inputs& x) { return scatter_rows(x[0], ids); });
}

TEST_F(Gradients, LayerTails) {
    check_gradients("gated_residual",
                    {rand({5, 4}), rand({4}), rand({5, 4}), rand({5, 4}), rand({4})},
                    [](const Inputs& x) { return gated_residual(x[0], x[1], x[2], x[3], x[4]); });
    check_gradients("gated_residual without s, b", {rand({2, 3, 4}), rand({4}), rand({2, 3, 4})},
                    [](const Inputs& x) { return gated_residual(x[0], x[1], x[2]); });
    check_gradients(
        "gated_residual without gb", {rand({3, 4}), rand({3, 4}), rand({4})},
        [](const Inputs& x) { return gated_residual(x[0], Tensor(), x[1], Tensor(), x[2]); });
    check_gradients("average", {rand({4, 6}), rand({4, 6})},
                    [](const Inputs& x) { return average(x[0], x[1], false); });
    // Away from the ReLU kink: (a + 3a) / 2 = 2a with a away from 0.
    check_gradients("average relu", {away_from_zero({4, 6})},
                    [](const Inputs& x) { return average(x[0], scale(x[0], 3.0f), true); });
    // The kernels assign a gradient that does not exist yet: one tensor in several roles (the
    // ops then run as chains), and a tensor whose gradient another op adds to before or after.
    check_gradients("gated_residual p = m = s", {rand({5, 4}), rand({4}), rand({4})},
                    [](const Inputs& x) { return gated_residual(x[0], x[1], x[0], x[0], x[2]); });
    check_gradients("gated_residual, p also feeds s", {rand({5, 4}), rand({4}), rand({5, 4})},
                    [](const Inputs& x) {
                        return gated_residual(x[0], x[1], x[2], scale(x[0], 2.0f), Tensor());
                    });
    check_gradients("gated_residual, then m again", {rand({5, 4}), rand({5, 4})},
                    [](const Inputs& x) {
                        return add(gated_residual(x[0], Tensor(), x[1]), scale(x[1], 3.0f));
                    });
    check_gradients("average a = b", {away_from_zero({4, 6})},
                    [](const Inputs& x) { return average(x[0], x[0], true); });
    check_gradients("average, then a again", {rand({4, 6}), rand({4, 6})},
                    [](const Inputs& x) { return add(average(x[0], x[1], false), x[0]); });
}

// Each layer-tail op equals the chain of ops it replaces, values and gradients (fast CPU backend).
TEST(LayerTailOps, EqualTheChainsTheyReplace) {
    Rng rng(5);
    auto make = [&](const Shape& s) { return random_tensor(rng, s, true); };
    Tensor p = make({6, 5}), gb = make({5}), m = make({6, 5}), s = make({6, 5}), b = make({5});
    Tensor a = make({6, 5}), c = make({6, 5}), up = make({6, 5});
    // Gradients of sum(out * up) with respect to the given tensors.
    auto grads = [&](const Tensor& out, std::vector<Tensor*> wrt) {
        for (Tensor* t : wrt) t->zero_grad();
        sum_all(mul(out, up)).backward();
        std::vector<std::vector<float>> g;
        for (Tensor* t : wrt) g.push_back(t->grad_to_vector());
        return g;
    };
    const std::vector<Tensor*> gated_in = {&p, &gb, &m, &s, &b}, avg_in = {&a, &c};
    const Tensor tail = gated_residual(p, gb, m, s, b);
    const auto tail_grads = grads(tail, gated_in);
    const Tensor chain = add(add(mul(sigmoid(add(p, gb)), m), s), b);
    expect_close(tail.to_vector(), chain.to_vector(), 1e-6f, 1e-6f, "gated_residual values");
    const auto chain_grads = grads(chain, gated_in);
    for (size_t i = 0; i < 5; ++i) {
        expect_close(tail_grads[i], chain_grads[i], 1e-6f, 1e-5f, "gated_residual grads");
    }
    for (bool relu_on : {false, true}) {
        const Tensor f = average(a, c, relu_on);
        const auto fg = grads(f, avg_in);
        Tensor ch = scale(add(a, c), 0.5f);
        if (relu_on) ch = relu(ch);
        EXPECT_EQ(f.to_vector(), ch.to_vector());
        EXPECT_EQ(fg, grads(ch, avg_in));
    }
}

TEST_F(Gradients, ReductionsAndLayout) {
    check_gradients("sum dim 1", {rand({3, 4, 2})}, [](const Inputs& x) { return sum(x[0], 1); });
    check_gradients("mean dim -1", {rand({3, 4})}, [](const Inputs& x) { return mean(x[0], -1); });
    check_gradients("sum_all", {rand({3, 4})}, [](const Inputs& x) { return sum_all(x[0]); });
    check_gradients("mean_all", {rand({3, 4})}, [](const Inputs& x) { return mean_all(x[0]); });
    check_gradients("reshape", {rand({3, 4})}, [](const Inputs& x) {
        return reshape(x[0], {2, 6});
    });
    check_gradients("concat dim 1", {rand({3, 2}), rand({3, 5})}, [](const Inputs& x) {
        return concat({x[0], x[1], x[0]}, 1);
    });
    check_gradients("concat dim 0", {rand({1, 4}), rand({2, 4})}, [](const Inputs& x) {
        return concat({x[0], x[1]}, 0);
    });
    check_gradients("slice", {rand({3, 7, 2})},
                    [](const Inputs& x) { return slice(x[0], 1, 2, 4); });
}

TEST_F(Gradients, IndexSelectAndEmbedding) {
    IndexMap ids = IndexMap::make({2, 0, 2, 3, 2}, 5, Device::CPU);  // row 1 and 4 unused
    check_gradients("embedding", {rand({5, 3})},
                    [&](const Inputs& x) { return embedding(x[0], ids); });
    check_gradients("index_select 3d", {rand({5, 2, 2})},
                    [&](const Inputs& x) { return index_select(x[0], ids); });
}

TEST_F(Gradients, SoftmaxLayerNormDropout) {
    check_gradients("softmax dim 0", {rand({4, 3})},
                    [](const Inputs& x) { return softmax(x[0], 0); });
    check_gradients("softmax dim -1", {rand({2, 3, 5})},
                    [](const Inputs& x) { return softmax(x[0], -1); });
    check_gradients("layer_norm", {rand({4, 6}), rand({6}), rand({6})},
                    [](const Inputs& x) { return layer_norm(x[0], x[1], x[2]); });
    check_gradients("dropout", {rand({8, 8})},
                    [](const Inputs& x) { return dropout(x[0], 0.3f, 99, true); });
}

// A two-graph batch: graph 0 has nodes 0..2, graph 1 nodes 3..6 (node 6 isolated).
Csr small_batch_csr() {
    // (reader, source): 1<-0, 2<-0, 2<-1, 4<-3, 5<-3, 5<-4, 3<-3 (a self loop)
    return Csr::from_pairs(7, 7, {1, 2, 2, 4, 5, 5, 3}, {0, 0, 1, 3, 3, 4, 3}, Device::CPU);
}

TEST_F(Gradients, GraphOps) {
    IntArray seg = IntArray::from_host({0, 3, 7}, Device::CPU);
    Tensor w = Tensor::from_vector({0.5f, 1, 2, 0, 1, 1, 3}, {7});
    check_gradients("segment_sum", {rand({7, 3})},
                    [&](const Inputs& x) { return segment_sum(x[0], seg, w); });
    check_gradients("segment_mean", {rand({7, 3})},
                    [&](const Inputs& x) { return segment_mean(x[0], seg); });
    Csr a = small_batch_csr();
    check_gradients("spmm unweighted", {rand({7, 4})},
                    [&](const Inputs& x) { return spmm(a, Tensor(), x[0]); });
    check_gradients("spmm weighted", {rand({7}), rand({7, 4})},
                    [&](const Inputs& x) { return spmm(a, x[0], x[1]); });
    check_gradients("sddmm", {rand({7, 4}), rand({7, 4})},
                    [&](const Inputs& x) { return sddmm(a, x[0], x[1]); });
    // First gradients are assigned (rows without edges written as zeros), later ones added.
    check_gradients("sddmm a = b", {rand({7, 4})},
                    [&](const Inputs& x) { return sddmm(a, x[0], x[0]); });
    check_gradients("spmm twice on the same values and x", {rand({7}), rand({7, 4})},
                    [&](const Inputs& x) {
                        return add(spmm(a, x[0], x[1]), scale(spmm(a, x[0], x[1]), 2.0f));
                    });
    check_gradients("edge_softmax", {rand({7})},
                    [&](const Inputs& x) { return edge_softmax(a, x[0]); });
}

TEST_F(Gradients, Losses) {
    // Scores spaced 0.5 apart so no pair sits on the hinge's kink (margin 0.1).
    Tensor s = Tensor::from_vector({0.0f, 0.5f, -0.5f, 1.0f}, {4});
    s.set_requires_grad(true);
    PairList pairs =
        PairList::make({0, 1, 2, 3, 0}, {1, 2, 3, 0, 2}, {1, -1, 1, 1, -1}, 4, Device::CPU);
    check_gradients("pair_hinge_loss", {s},
                    [&](const Inputs& x) { return pair_hinge_loss(x[0], pairs, 0.1f); });
    Tensor target = Tensor::from_vector({0.1f, -0.2f, 0.3f, 0.0f}, {4});
    check_gradients("mse_loss", {rand({4})},
                    [&](const Inputs& x) { return mse_loss(x[0], target); });
    // L1: predictions at least 0.25 from their targets, away from |.|'s kink.
    Tensor pred = Tensor::from_vector({0.5f, -0.6f, 0.05f, -0.3f, 0.9f}, {5});
    pred.set_requires_grad(true);
    Tensor l1_target = Tensor::from_vector({0.1f, -0.2f, 0.3f, 0.0f, 0.9f + 0.5f}, {5});
    check_gradients("l1_loss", {pred},
                    [&](const Inputs& x) { return l1_loss(x[0], l1_target); });
}

TEST_F(Gradients, L1LossValueAndSubgradientAtZero) {
    Tensor pred = Tensor::from_vector({1.0f, -2.0f, 3.0f}, {3});
    pred.set_requires_grad(true);
    Tensor target = Tensor::from_vector({0.5f, 0.0f, 3.0f}, {3});
    Tensor loss = l1_loss(pred, target);
    EXPECT_FLOAT_EQ(loss.to_vector()[0], 2.5f);  // a sum, not a mean
    loss.backward();
    EXPECT_EQ(pred.grad_to_vector(), (std::vector<float>{1.0f, -1.0f, 0.0f}));
}

}  // namespace
}  // namespace nasflat::testing
