// gemm_fast_eigen.h — the body of the fast CPU GEMM: Eigen's blocked, vectorised product on
// row-major maps, as one function `eigen_gemm` in whatever namespace the including file opens.
// Two files include it: gemm_fast.cpp (the build's vector width) and gemm_fast_256.cpp (at most
// 256-bit vectors, built for the AVX2 level). Same contract as gemm_cpu (gemm.cpp), which stays
// the oracle. Single-threaded by design: throughput comes from batching many graphs, and the
// CPU numbers we report are per core.
// (No include guard on purpose: each including file gets its own copy.)

template <typename Map, typename OpA, typename OpB>
void eigen_product(Map& c, const OpA& a, const OpB& b, float alpha, float beta) {
    if (beta == 0.0f) {
        c.noalias() = alpha * (a * b);
    } else {
        if (beta != 1.0f) c *= beta;
        c.noalias() += alpha * (a * b);
    }
}

inline void eigen_gemm(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                       float alpha, const float* A, int64_t stride_a, const float* B,
                       int64_t stride_b, float beta, float* C, int64_t stride_c) {
    using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Map = Eigen::Map<RowMat>;
    using ConstMap = Eigen::Map<const RowMat>;
    for (int64_t bi = 0; bi < batch; ++bi) {
        Map c(C + bi * stride_c, M, N);
        if (M == 0 || N == 0) continue;
        if (K == 0) {
            if (beta == 0.0f) c.setZero(); else c *= beta;
            continue;
        }
        ConstMap a(A + bi * stride_a, trans_a ? K : M, trans_a ? M : K);
        ConstMap b(B + bi * stride_b, trans_b ? N : K, trans_b ? K : N);
        if (!trans_a && !trans_b) eigen_product(c, a, b, alpha, beta);
        if (!trans_a && trans_b) eigen_product(c, a, b.transpose(), alpha, beta);
        if (trans_a && !trans_b) eigen_product(c, a.transpose(), b, alpha, beta);
        if (trans_a && trans_b) eigen_product(c, a.transpose(), b.transpose(), alpha, beta);
    }
}
