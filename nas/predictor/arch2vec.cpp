// arch2vec.cpp — see arch2vec.h for the model, the loss and its weighting.
#include "nas/predictor/arch2vec.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "autograd/ops.h"
#include "autograd/optim.h"
#include "kernels/base/check.h"
#include "kernels/base/rng.h"
#include "nas/data/encoding_cache.h"
#include "nas/predictor/learned_encodings.h"

namespace nasflat::nas {

std::string Arch2VecOptions::settings() const {
    std::ostringstream s;
    s << "arch2vec v1 seed=" << seed << " epochs=" << epochs << " layers=" << layers
      << " hidden=" << hidden << " latent=" << latent << " batch=" << batch << " lr=" << lr
      << " holdout=" << holdout;
    return s.str();
}

namespace {

struct Vgae {
    ParameterStore params;
    std::vector<Tensor> w1, b1, w2, b2;  // per GIN layer: (in, H), (H), (H, H), (H)
    Tensor w_mu, b_mu, w_lv, b_lv;       // (H, L), (L)
    Tensor w_op, b_op;                   // (L, K), (K)
};

// PyTorch's default Linear initialisation: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
void add_linear(Vgae& m, Rng& rng, const std::string& name, int in, int out, Tensor& w,
                Tensor& b) {
    w = m.params.add(name + ".w", {in, out});
    b = m.params.add(name + ".b", {out});
    const float bound = 1.0f / std::sqrt(static_cast<float>(in));
    for (Tensor* t : {&w, &b}) {
        std::vector<float> v(static_cast<size_t>(t->numel()));
        for (float& x : v) x = static_cast<float>(rng.uniform(-bound, bound));
        t->copy_from(v);
    }
}

void make_vgae(Vgae& m, int num_ops, int n, const Arch2VecOptions& o, Rng& rng) {
    const size_t layers = static_cast<size_t>(o.layers);
    m.w1.resize(layers), m.b1.resize(layers), m.w2.resize(layers), m.b2.resize(layers);
    for (size_t l = 0; l < layers; ++l) {
        const std::string name = "gin" + std::to_string(l);
        add_linear(m, rng, name + ".1", l == 0 ? num_ops + n : o.hidden, o.hidden, m.w1[l], m.b1[l]);
        add_linear(m, rng, name + ".2", o.hidden, o.hidden, m.w2[l], m.b2[l]);
    }
    add_linear(m, rng, "mu", o.hidden, o.latent, m.w_mu, m.b_mu);
    add_linear(m, rng, "logvar", o.hidden, o.latent, m.w_lv, m.b_lv);
    add_linear(m, rng, "ops", o.latent, num_ops, m.w_op, m.b_op);
    m.params.pack(Device::CPU);
}

// A batch of graphs of n nodes each, nodes of graph g at rows [g n, (g+1) n).
struct Batch {
    int num_graphs = 0, n = 0;
    Tensor x;              // (N, K + n) one-hot op, then one-hot position in the graph
    Tensor ops_onehot;     // (N, K)
    Csr adj;               // (N, N) symmetric adjacency + self-loops (eps = 0)
    Csr pairs;             // (N, N) pattern of the pairs i < j of each graph, P entries
    Tensor target;         // (P) 1 where the DAG has the edge
    IntArray seg_ptr;      // (G + 1)
    std::vector<int> ops;  // (N) true op of every node
};

Batch make_batch(const std::vector<models::ArchGraph>& graphs, const std::vector<int>& ids,
                 int num_ops) {
    Batch b;
    b.num_graphs = static_cast<int>(ids.size());
    b.n = graphs[ids[0]].num_nodes;
    const int n = b.n, num_nodes = b.num_graphs * n;
    const int width = num_ops + n;
    std::vector<float> x(static_cast<size_t>(num_nodes) * width, 0.0f), target;
    std::vector<float> onehot(static_cast<size_t>(num_nodes) * num_ops, 0.0f);
    std::vector<int32_t> ar, ac, pr, pc, seg;
    std::vector<char> edge(static_cast<size_t>(n) * n);
    for (int g = 0; g < b.num_graphs; ++g) {
        const models::ArchGraph& a = graphs[ids[g]];
        const int base = g * n;
        seg.push_back(base);
        std::fill(edge.begin(), edge.end(), 0);
        for (auto [u, v] : a.edges) {
            if (u == v) continue;
            edge[u * n + v] = edge[v * n + u] = 1;
        }
        for (int i = 0; i < n; ++i) {
            b.ops.push_back(a.ops[i]);
            x[static_cast<size_t>(base + i) * width + a.ops[i]] = 1.0f;
            x[static_cast<size_t>(base + i) * width + num_ops + i] = 1.0f;
            onehot[static_cast<size_t>(base + i) * num_ops + a.ops[i]] = 1.0f;
            for (int j = 0; j < n; ++j) {
                if (i == j || edge[i * n + j]) ar.push_back(base + i), ac.push_back(base + j);
                if (j > i) {
                    pr.push_back(base + i), pc.push_back(base + j);
                    target.push_back(edge[i * n + j]);
                }
            }
        }
    }
    seg.push_back(num_nodes);
    b.x = Tensor::from_vector(x, {num_nodes, width});
    b.ops_onehot = Tensor::from_vector(onehot, {num_nodes, num_ops});
    b.adj = Csr::from_pairs(num_nodes, num_nodes, ar, ac, Device::CPU, "arch2vec adjacency");
    b.pairs = Csr::from_pairs(num_nodes, num_nodes, pr, pc, Device::CPU, "arch2vec pairs");
    b.target = Tensor::from_vector(target, {static_cast<int64_t>(target.size())});
    b.seg_ptr = IntArray::from_host(seg, Device::CPU);
    return b;
}

// GIN encoder: the latent means and log-variances (N, L) of every node.
std::pair<Tensor, Tensor> encode(const Vgae& m, const Batch& b) {
    Tensor h = b.x;
    for (size_t l = 0; l < m.w1.size(); ++l) {
        h = spmm(b.adj, Tensor(), h);  // (1 + 0) h + sum of neighbours
        h = relu(linear(relu(linear(h, m.w1[l], m.b1[l])), m.w2[l], m.b2[l]));
    }
    return {linear(h, m.w_mu, m.b_mu), linear(h, m.w_lv, m.b_lv)};
}

// The loss of arch2vec.h on one batch, with reparameterisation noise `noise` (N, L).
Tensor vgae_loss(const Vgae& m, const Batch& b, const Tensor& noise, int latent) {
    auto [mu, lv] = encode(m, b);
    const Tensor z = add(mu, mul(exp(scale(lv, 0.5f)), noise));
    const Tensor s = sddmm(b.pairs, z, z);  // (P) logits of the edges
    const Tensor bce = mean_all(sub(softplus(s), mul(b.target, s)));
    const Tensor p = softmax(linear(z, m.w_op, m.b_op), 1);        // (N, K)
    const Tensor p_true = sum(mul(p, b.ops_onehot), 1);                        // (N)
    const Tensor tiny = Tensor::full({1}, 1e-10f);                   // keeps log finite
    const Tensor ce = scale(mean_all(log(add(p_true, tiny))), -1.0f);
    const Tensor one = Tensor::full({1}, 1.0f);
    const Tensor kl_terms = sub(add(exp(lv), mul(mu, mu)), add(lv, one));  // (N, L)
    const Tensor kl = scale(mean_all(kl_terms), 0.5f * static_cast<float>(latent) / b.n);
    return add(add(bce, ce), kl);
}

std::vector<std::vector<int>> chunks(const std::vector<int>& ids, int size) {
    std::vector<std::vector<int>> out;
    for (size_t i = 0; i < ids.size(); i += static_cast<size_t>(size)) {
        out.emplace_back(ids.begin() + i, ids.begin() + std::min(ids.size(), i + size));
    }
    return out;
}

// Reconstruction of the held-out archs from mu: ops of the inner nodes (the input and output
// nodes' ops never vary) and every pair i < j.
void score_heldout(const Vgae& m, const std::vector<models::ArchGraph>& graphs,
                   const std::vector<int>& heldout, int num_ops, const Arch2VecOptions& o,
                   Arch2VecReport& r) {
    NoGradGuard no_grad;
    int64_t ops_right = 0, ops_total = 0, adj_right = 0, adj_total = 0, edges = 0;
    std::vector<int64_t> op_count(static_cast<size_t>(num_ops), 0);
    for (const std::vector<int>& ids : chunks(heldout, o.batch)) {
        const Batch b = make_batch(graphs, ids, num_ops);
        const Tensor mu = encode(m, b).first;
        const std::vector<float> logits = linear(mu, m.w_op, m.b_op).to_vector();
        const std::vector<float> s = sddmm(b.pairs, mu, mu).to_vector();
        const std::vector<float> y = b.target.to_vector();
        for (size_t v = 0; v < b.ops.size(); ++v) {
            const int i = static_cast<int>(v) % b.n;
            if (i == 0 || i == b.n - 1) continue;
            const float* row = logits.data() + v * num_ops;
            const int best = static_cast<int>(std::max_element(row, row + num_ops) - row);
            ops_right += best == b.ops[v];
            ++ops_total;
            ++op_count[static_cast<size_t>(b.ops[v])];
        }
        for (size_t e = 0; e < s.size(); ++e) {
            adj_right += (s[e] > 0.0f) == (y[e] > 0.5f);
            edges += y[e] > 0.5f;
        }
        adj_total += static_cast<int64_t>(s.size());
    }
    r.num_heldout = static_cast<int>(heldout.size());
    if (ops_total == 0 || adj_total == 0) return;
    r.ops_accuracy = static_cast<double>(ops_right) / ops_total;
    r.adj_accuracy = static_cast<double>(adj_right) / adj_total;
    r.ops_chance = static_cast<double>(*std::max_element(op_count.begin(), op_count.end())) /
                   ops_total;
    r.adj_chance = static_cast<double>(std::max(edges, adj_total - edges)) / adj_total;
}

// Mean of mu over each graph's nodes, every arch: (G, L) row-major.
std::vector<float> encode_all(const Vgae& m, const std::vector<models::ArchGraph>& graphs,
                              int num_ops, const Arch2VecOptions& o) {
    NoGradGuard no_grad;
    std::vector<int> all(graphs.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    std::vector<float> out;
    out.reserve(graphs.size() * static_cast<size_t>(o.latent));
    for (const std::vector<int>& ids : chunks(all, o.batch)) {
        const Batch b = make_batch(graphs, ids, num_ops);
        const std::vector<float> v = segment_mean(encode(m, b).first, b.seg_ptr).to_vector();
        out.insert(out.end(), v.begin(), v.end());
    }
    return out;
}

void check_input(const std::vector<models::ArchGraph>& graphs, int num_ops,
                 const Arch2VecOptions& o) {
    NASFLAT_CHECK(!graphs.empty(), "arch2vec: no architectures to train on");
    NASFLAT_CHECK(o.epochs >= 0 && o.layers >= 1 && o.hidden >= 1 && o.latent >= 1 &&
                      o.batch >= 1 && o.lr > 0 && o.holdout >= 0 && o.holdout < 1,
                  "arch2vec: bad settings (", o.settings(), ")");
    for (const models::ArchGraph& g : graphs) {
        NASFLAT_CHECK(g.num_nodes == graphs[0].num_nodes && g.num_nodes >= 2,
                      "arch2vec: every graph needs the same number (>= 2) of nodes");
        for (int32_t op : g.ops) {
            NASFLAT_CHECK(op >= 0 && op < num_ops, "arch2vec: op ", op, " outside 0..",
                          num_ops - 1);
        }
    }
}

}  // namespace

Encoding train_arch2vec(const std::vector<models::ArchGraph>& graphs, int num_ops,
                        const Arch2VecOptions& o, Arch2VecReport* report,
                        const Arch2VecProgress& progress) {
    check_input(graphs, num_ops, o);
    const auto start = std::chrono::steady_clock::now();
    Rng rng(o.seed);
    Vgae m;
    make_vgae(m, num_ops, graphs[0].num_nodes, o, rng);
    AdamWOptions ao;
    ao.lr = o.lr;
    ao.weight_decay = 0.0f;
    AdamW opt(m.params, ao);

    std::vector<int> order(graphs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    rng.shuffle(order);
    const size_t num_held = static_cast<size_t>(o.holdout * static_cast<double>(order.size()));
    std::vector<int> heldout(order.begin(), order.begin() + num_held);
    std::vector<int> train(order.begin() + num_held, order.end());
    std::sort(heldout.begin(), heldout.end());
    NASFLAT_CHECK(!train.empty(), "arch2vec: --holdout leaves no architecture to train on");

    Arch2VecReport r;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        rng.shuffle(train);
        double total = 0;
        int steps = 0;
        for (const std::vector<int>& ids : chunks(train, o.batch)) {
            const Batch b = make_batch(graphs, ids, num_ops);
            std::vector<float> noise(static_cast<size_t>(b.x.dim(0)) * o.latent);
            for (float& e : noise) e = static_cast<float>(rng.normal());
            m.params.zero_grad();
            const Tensor loss = vgae_loss(m, b, Tensor::from_vector(noise, {b.x.dim(0), o.latent}),
                                          o.latent);
            loss.backward();
            opt.step();
            total += loss.item();
            ++steps;
        }
        r.epoch_loss.push_back(total / steps);
        if (progress) progress(epoch, r.epoch_loss.back());
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!heldout.empty()) score_heldout(m, graphs, heldout, num_ops, o, r);

    Encoding e;
    e.name = "arch2vec";
    e.dim = o.latent;
    e.values = encode_all(m, graphs, num_ops, o);
    for (int c = 0; c < o.latent; ++c) e.columns.push_back("z" + std::to_string(c));
    e.norms.assign(static_cast<size_t>(o.latent), ColumnNorm{"none", 0, 1});
    e.note = "arch2vec VGAE (" + o.settings() + "), mean of node latent means";
    if (report) *report = r;
    return e;
}

std::vector<models::ArchGraph> arch2vec_graphs(const SearchSpace& ss, int* num_ops) {
    std::vector<models::ArchGraph> graphs;
    graphs.reserve(static_cast<size_t>(ss.size()));
    int k = 0;
    for (int a = 0; a < ss.size(); ++a) {
        graphs.push_back(ss.graph(a, GraphMode::Fixed));
        for (int32_t op : graphs.back().ops) k = std::max(k, op + 1);
    }
    if (num_ops) *num_ops = k;
    return graphs;
}

Encoding load_or_build_arch2vec(const SearchSpace& ss, const Arch2VecOptions& options) {
    return cached_or_built(ss, "arch2vec", options.settings(), [&] {
        int num_ops = 0;
        const std::vector<models::ArchGraph> graphs = arch2vec_graphs(ss, &num_ops);
        return train_arch2vec(graphs, num_ops, options);
    });
}

}  // namespace nasflat::nas
