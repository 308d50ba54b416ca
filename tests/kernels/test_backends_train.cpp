// test_backends_train.cpp — dropout, losses and AdamW of the fast backends against the CPU
// reference, plus hand-computed values for the reference itself.
#include <cmath>

#include "tests/kernels/backend_fixture.h"

namespace nasflat::testing {
namespace {

class TrainKernels : public BackendTest {};

TEST_P(TrainKernels, DropoutMaskIsIdenticalEverywhere) {
    Rng rng(21);
    for (int64_t n : {0, 1, 4097}) {
        auto x = random_values(rng, n), g = random_values(rng, n), dx0 = random_values(rng, n);
        std::vector<float> y(n), dx = dx0;
        ref().dropout_forward(y.data(), x.data(), n, 0.1f, 1234);
        ref().dropout_backward(dx.data(), g.data(), n, 0.1f, 1234);
        DFloat dX(x, device()), dY(std::vector<float>(n, NAN), device()), dG(g, device()),
            dDX(dx0, device());
        fast().dropout_forward(dY.data(), dX.data(), n, 0.1f, 1234);
        fast().dropout_backward(dDX.data(), dG.data(), n, 0.1f, 1234);
        expect_close(dY.host(), y, 1e-6f, 1e-6f, "dropout forward");
        expect_close(dDX.host(), dx, 1e-6f, 1e-6f, "dropout backward");
    }
}

TEST_P(TrainKernels, PairHingeAndMse) {
    Rng rng(22);
    for (int32_t n : {2, 16, 128, 1000}) {
        int32_t P = 4 * n;
        std::vector<int32_t> pi(P), pj(P);
        std::vector<float> sign(P);
        for (int32_t k = 0; k < P; ++k) {
            pi[k] = static_cast<int32_t>(rng.below(n));
            pj[k] = static_cast<int32_t>(rng.below(n));
            sign[k] = rng.uniform() < 0.5 ? -1.0f : 1.0f;
        }
        auto s = random_values(rng, n, -0.2f, 0.2f), ds0 = random_values(rng, n);
        PairList host_pairs = PairList::make(pi, pj, sign, n, Device::CPU);
        PairList pairs = PairList::make(pi, pj, sign, n, device());
        std::vector<float> loss(1), dloss = {0.7f}, ds = ds0, work(P);
        ref().pair_hinge_forward(loss.data(), s.data(), pi.data(), pj.data(), sign.data(), P, 0.1f);
        ref().pair_hinge_backward(ds.data(), dloss.data(), s.data(), pi.data(), pj.data(),
                                  sign.data(), P, 0.1f, host_pairs.by_score(), work.data());
        DFloat dS(s, device()), dL(std::vector<float>{NAN}, device()), dDL(dloss, device()),
            dDS(ds0, device()), dWork(work, device());
        fast().pair_hinge_forward(dL.data(), dS.data(), pairs.pi(), pairs.pj(), pairs.sign(), P, 0.1f);
        fast().pair_hinge_backward(dDS.data(), dDL.data(), dS.data(), pairs.pi(), pairs.pj(),
                                   pairs.sign(), P, 0.1f, pairs.by_score(), dWork.data());
        expect_close(dL.host(), loss, 1e-6f, 1e-5f, "pair hinge loss");
        expect_close(dDS.host(), ds, 1e-6f, 1e-5f, "pair hinge grad");

        auto t = random_values(rng, n);
        std::vector<float> mse(1), dm = ds0;
        ref().mse_forward(mse.data(), s.data(), t.data(), n);
        ref().mse_backward(dm.data(), dloss.data(), s.data(), t.data(), n);
        DFloat dT(t, device()), dM(std::vector<float>{NAN}, device()), dDM(ds0, device());
        fast().mse_forward(dM.data(), dS.data(), dT.data(), n);
        fast().mse_backward(dDM.data(), dDL.data(), dS.data(), dT.data(), n);
        expect_close(dM.host(), mse, 1e-6f, 1e-5f, "mse");
        expect_close(dDM.host(), dm, 1e-6f, 1e-5f, "mse grad");

        std::vector<float> l1(1), dl = ds0;
        ref().l1_forward(l1.data(), s.data(), t.data(), n);
        ref().l1_backward(dl.data(), dloss.data(), s.data(), t.data(), n);
        DFloat dL1(std::vector<float>{NAN}, device()), dDL1(ds0, device());
        fast().l1_forward(dL1.data(), dS.data(), dT.data(), n);
        fast().l1_backward(dDL1.data(), dDL.data(), dS.data(), dT.data(), n);
        expect_close(dL1.host(), l1, 1e-6f, 1e-5f, "l1");
        expect_close(dDL1.host(), dl, 1e-6f, 1e-5f, "l1 grad");
    }
}

TEST_P(TrainKernels, AdamW) {
    Rng rng(23);
    for (int64_t n : {1, 1000, 433000}) {
        auto p = random_values(rng, n), g = random_values(rng, n), m = random_values(rng, n, 0, 0.1f);
        auto v = random_values(rng, n, 0, 0.01f);
        auto p1 = p, m1 = m, v1 = v;
        ref().adamw_step(p1.data(), g.data(), m1.data(), v1.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f,
                         1e-5f, 0.1f, 0.001f);
        DFloat dP(p, device()), dG(g, device()), dM(m, device()), dV(v, device());
        fast().adamw_step(dP.data(), dG.data(), dM.data(), dV.data(), n, 1e-3f, 0.9f, 0.999f,
                          1e-8f, 1e-5f, 0.1f, 0.001f);
        expect_close(dP.host(), p1, 1e-6f, 1e-5f, "adamw param");
        expect_close(dM.host(), m1, 1e-7f, 1e-5f, "adamw m");
        expect_close(dV.host(), v1, 1e-8f, 1e-5f, "adamw v");
    }
}

NASFLAT_INSTANTIATE_BACKENDS(TrainKernels);

// Hand-computed values for the reference itself (the oracle must be right too).
TEST(ReferenceKernels, HandComputedValues) {
    const auto& k = kernels::kernel_table(kernels::Backend::CpuReference);
    // Pair hinge: s = (0.3, 0.0); pair (0,1) sign +1: max(0, 0.1 - 0.3) = 0;
    // pair (1,0) sign +1: max(0, 0.1 + 0.3) = 0.4  -> mean 0.2
    std::vector<float> s = {0.3f, 0.0f}, sign = {1.0f, 1.0f}, loss(1);
    std::vector<int32_t> pi = {0, 1}, pj = {1, 0};
    k.pair_hinge_forward(loss.data(), s.data(), pi.data(), pj.data(), sign.data(), 2, 0.1f);
    EXPECT_FLOAT_EQ(loss[0], 0.2f);
    // AdamW first step, g = 0.5, p = 1, lr 0.1, wd 0.1: p <- 1 - 0.01 = 0.99; m = 0.05,
    // v = 0.00025; mhat = 0.5, vhat = 0.25 -> p = 0.99 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.89
    float p = 1.0f, g = 0.5f, m = 0.0f, v = 0.0f;
    k.adamw_step(&p, &g, &m, &v, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 1.0f - 0.9f, 1.0f - 0.999f);
    EXPECT_NEAR(p, 0.89f, 1e-6f);
    // Softmax of (0, ln 3) = (0.25, 0.75).
    std::vector<float> x = {0.0f, std::log(3.0f)}, y(2);
    k.softmax_forward(y.data(), x.data(), 1, 2, 1);
    EXPECT_NEAR(y[0], 0.25f, 1e-6f);
    EXPECT_NEAR(y[1], 0.75f, 1e-6f);
}

}  // namespace
}  // namespace nasflat::testing
