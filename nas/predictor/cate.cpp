// cate.cpp — see cate.h: pairs within a FLOPs window, masked op prediction, the encoding.
#include "nas/predictor/cate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/base/rng.h"
#include "models/cate_model.h"
#include "nas/space/arch_graph.h"

namespace nasflat::nas {
namespace {

// A selected node and the token shown in its place: [MASK], a random op, or its own op.
struct Selected {
    int node = 0;
    int32_t shown = 0;
};
// One sequence: graph a alone (b < 0) or the pair (a, b); the selected nodes of each.
struct Sequence {
    int a = 0, b = -1;
    std::vector<Selected> masked_a, masked_b;
};

// Graph-local attention pattern: self, predecessors and successors.
std::vector<std::vector<bool>> neighbourhood(const ArchGraph& g) {
    std::vector<std::vector<bool>> allow(g.num_nodes, std::vector<bool>(g.num_nodes, false));
    for (int i = 0; i < g.num_nodes; ++i) allow[i][i] = true;
    for (const auto& [from, to] : g.edges) allow[from][to] = allow[to][from] = true;
    return allow;
}

struct SpaceSequences {
    std::vector<ArchGraph> graphs;
    std::vector<std::vector<std::vector<bool>>> allow;
    int vocab = 0, max_nodes = 0;
    std::vector<int32_t> internal_ops;  // the ops found on internal nodes, ascending
};

// The batch of `seqs` (all lone or all pairs); masked rows (flat token index) and their ops
// are appended to rows/targets when given.
models::CateBatch make_batch(const SpaceSequences& sp, const std::vector<Sequence>& seqs,
                             std::vector<int32_t>* rows, std::vector<int32_t>* targets) {
    const bool pairs = seqs.front().b >= 0;
    const int64_t B = static_cast<int64_t>(seqs.size());
    const int64_t N = pairs ? 2 * sp.max_nodes : sp.max_nodes;
    std::vector<int32_t> ops(B * N, 0), pos(B * N, 0), seg(B * N, 0);
    std::vector<float> mask(B * N * N, 0.0f), pool(B * N, 0.0f);
    for (int64_t s = 0; s < B; ++s) {
        const Sequence& q = seqs[s];
        const ArchGraph& ga = sp.graphs[q.a];
        const int na = ga.num_nodes;
        const int nb = pairs ? sp.graphs[q.b].num_nodes : 0;
        float* m = mask.data() + s * N * N;
        for (int part = 0; part < (pairs ? 2 : 1); ++part) {
            const int g = part == 0 ? q.a : q.b;
            const ArchGraph& graph = sp.graphs[g];
            const int off = part == 0 ? 0 : na, other_off = part == 0 ? na : 0;
            const int other_n = part == 0 ? nb : na;
            for (int i = 0; i < graph.num_nodes; ++i) {
                const int64_t t = s * N + off + i;
                ops[t] = graph.ops[i];
                pos[t] = i;
                seg[t] = part;
                for (int j = 0; j < graph.num_nodes; ++j) {
                    m[(off + i) * N + off + j] = sp.allow[g][i][j] ? 1.0f : 0.0f;
                }
                for (int j = 0; j < other_n; ++j) m[(off + i) * N + other_off + j] = 1.0f;
                if (part == 0) pool[t] = 1.0f / static_cast<float>(graph.num_nodes);
            }
            for (const Selected& sel : part == 0 ? q.masked_a : q.masked_b) {
                const int64_t t = s * N + off + sel.node;
                if (rows) rows->push_back(static_cast<int32_t>(t));
                if (targets) targets->push_back(graph.ops[sel.node]);
                ops[t] = sel.shown;
            }
        }
    }
    models::CateBatch b;
    b.batch = B;
    b.tokens = N;
    b.ops = IndexMap::make(ops, sp.vocab + 1, Device::CPU, "cate ops");
    b.positions = IndexMap::make(pos, sp.max_nodes, Device::CPU, "cate positions");
    b.segments = IndexMap::make(seg, 2, Device::CPU, "cate segments");
    b.mask = Tensor::from_vector(mask, {B, N, N});
    b.pool = Tensor::from_vector(pool, {B, N});
    return b;
}

// round(rate x internal) (at least 1) of the internal nodes 1..n-2, seeded. Training shows
// BERT's mix (80 % [MASK], 10 % a random internal op, 10 % the op itself); evaluation all [MASK].
std::vector<Selected> pick_masked(const SpaceSequences& sp, int graph, float rate, bool mix,
                                  Rng& rng) {
    const ArchGraph& g = sp.graphs[graph];
    const int internal = g.num_nodes - 2;
    if (internal <= 0) return {};
    const int k = std::max(1, static_cast<int>(std::lround(rate * internal)));
    std::vector<int> picked = rng.sample_without_replacement(internal, std::min(k, internal));
    std::sort(picked.begin(), picked.end());
    std::vector<Selected> out;
    for (int i : picked) {
        Selected sel{i + 1, sp.vocab};
        if (mix) {
            const double u = rng.uniform();
            if (u >= 0.9) {
                sel.shown = g.ops[i + 1];
            } else if (u >= 0.8) {
                sel.shown = sp.internal_ops[rng.below(sp.internal_ops.size())];
            }
        }
        out.push_back(sel);
    }
    return out;
}

// Partners within a FLOPs window among the training architectures.
class FlopsPartners {
  public:
    FlopsPartners(const SearchSpace& ss, const std::vector<int>& train, double window)
        : ss_(ss), window_(window), sorted_(train) {
        std::stable_sort(sorted_.begin(), sorted_.end(),
                         [&](int x, int y) { return ss.flops(x) < ss.flops(y); });
        for (int i : sorted_) flops_.push_back(ss.flops(i));
    }
    int draw(int anchor, Rng& rng) const {
        const double f = ss_.flops(anchor);
        auto lo = std::lower_bound(flops_.begin(), flops_.end(), f * (1 - window_));
        auto hi = std::upper_bound(flops_.begin(), flops_.end(), f * (1 + window_));
        const int64_t first = lo - flops_.begin(), count = hi - lo;
        for (int attempt = 0; attempt < 8 && count > 1; ++attempt) {
            const int cand = sorted_[first + static_cast<int64_t>(rng.below(count))];
            if (cand != anchor) return cand;
        }
        // No other architecture in the window (or unlucky draws): the nearest in FLOPs.
        int64_t at = std::lower_bound(flops_.begin(), flops_.end(), f) - flops_.begin();
        at = std::min<int64_t>(at, static_cast<int64_t>(sorted_.size()) - 1);
        if (sorted_[at] != anchor) return sorted_[at];
        return sorted_[at + 1 < static_cast<int64_t>(sorted_.size()) ? at + 1 : at - 1];
    }

  private:
    const SearchSpace& ss_;
    double window_;
    std::vector<int> sorted_;
    std::vector<double> flops_;
};

// Loss on one batch of sequences: cross-entropy of the op head on the masked tokens.
Tensor masked_op_loss(const models::CateModel& model, const SpaceSequences& sp,
                      const std::vector<Sequence>& seqs, std::vector<int32_t>* predicted,
                      std::vector<int32_t>* targets_out) {
    std::vector<int32_t> rows, targets;
    models::CateBatch b = make_batch(sp, seqs, &rows, &targets);
    const int64_t H = model.config().hidden;
    Tensor h = reshape(model.hidden(b), {b.batch * b.tokens, H});
    Tensor logits = model.op_logits(model.project(
        index_select(h, IndexMap::make(rows, static_cast<int32_t>(b.batch * b.tokens),
                                       Device::CPU, "cate masked rows"))));
    if (predicted) {
        const std::vector<float> l = logits.to_vector();
        const int64_t K = logits.dim(1);
        for (size_t r = 0; r < rows.size(); ++r) {
            const float* x = l.data() + r * K;
            predicted->push_back(static_cast<int32_t>(std::max_element(x, x + K) - x));
        }
    }
    if (targets_out) targets_out->insert(targets_out->end(), targets.begin(), targets.end());
    return models::cross_entropy(logits, targets);
}

float lr_at(const CateOptions& o, int step) {
    const int warm = std::max(1, o.steps / 20);
    if (step < warm) return o.lr * static_cast<float>(step + 1) / static_cast<float>(warm);
    return cosine_lr(o.lr, 0.0f, step - warm, std::max(1, o.steps - warm));
}

void check_options(const SearchSpace& ss, const CateOptions& o) {
    NASFLAT_CHECK(o.steps >= 0 && o.batch_pairs >= 1 && o.lr > 0 && o.mask_rate > 0 &&
                      o.mask_rate < 1 && o.flops_window >= 0 && o.heldout_fraction >= 0 &&
                      o.heldout_fraction < 1 && o.max_heldout >= 0,
                  "cate: steps ", o.steps, ", batch_pairs ", o.batch_pairs, ", lr ", o.lr,
                  ", mask_rate ", o.mask_rate, ", flops_window ", o.flops_window,
                  ", heldout_fraction ", o.heldout_fraction,
                  "; hint: steps >= 0, batch_pairs >= 1, lr > 0, 0 < mask_rate < 1, window >= 0, "
                  "0 <= heldout_fraction < 1");
    NASFLAT_CHECK(ss.size() >= 3, "cate: the space has ", ss.size(),
                  " architectures; hint: pairs need at least 3");
}

}  // namespace

Encoding train_cate(const SearchSpace& ss, const CateOptions& o, uint64_t seed,
                    std::ostream& progress, CateStats* stats) {
    check_options(ss, o);
    const auto start = std::chrono::steady_clock::now();
    const int S = ss.size();
    SpaceSequences sp;
    for (int i = 0; i < S; ++i) {
        sp.graphs.push_back(ss.graph(i, GraphMode::Fixed));
        sp.allow.push_back(neighbourhood(sp.graphs.back()));
        sp.max_nodes = std::max(sp.max_nodes, sp.graphs.back().num_nodes);
        const ArchGraph& g = sp.graphs.back();
        for (int op : g.ops) sp.vocab = std::max(sp.vocab, op + 1);
        for (int k = 1; k + 1 < g.num_nodes; ++k) sp.internal_ops.push_back(g.ops[k]);
        std::sort(sp.internal_ops.begin(), sp.internal_ops.end());
        sp.internal_ops.erase(std::unique(sp.internal_ops.begin(), sp.internal_ops.end()),
                              sp.internal_ops.end());
    }
    Rng rng(mix64(seed ^ 0xCA7EULL));
    // 1. held-out split
    const int heldout = std::min(o.max_heldout, static_cast<int>(o.heldout_fraction * S));
    std::vector<int> perm = rng.sample_without_replacement(S, S);
    std::vector<int> held(perm.begin(), perm.begin() + heldout);
    std::vector<int> train(perm.begin() + heldout, perm.end());
    std::sort(held.begin(), held.end());
    std::sort(train.begin(), train.end());
    const FlopsPartners partners(ss, train, o.flops_window);

    // 2. the model and the optimiser
    models::CateConfig config;
    config.vocab = sp.vocab;
    config.positions = sp.max_nodes;
    config.hidden = o.hidden;
    config.heads = o.heads;
    config.layers = o.layers;
    config.ffn = o.ffn;
    models::CateModel model(config, mix64(seed ^ 0x30DE1ULL));
    AdamWOptions adam;
    adam.lr = o.lr;
    adam.weight_decay = o.weight_decay;
    AdamW opt(model.store(), adam);
    progress << "cate: " << space_name(ss.space()) << ", " << train.size() << " training and "
             << heldout << " held-out architectures, vocab " << sp.vocab << ", " << o.layers
             << " layers x " << o.hidden << " hidden x " << o.heads << " heads, " << o.steps
             << " steps of " << o.batch_pairs << " pairs\n";

    // 3. masked op prediction on pairs
    double recent = 0;
    int recent_n = 0;
    for (int step = 0; step < o.steps; ++step) {
        std::vector<Sequence> seqs(o.batch_pairs);
        for (Sequence& q : seqs) {
            q.a = train[rng.below(train.size())];
            q.b = partners.draw(q.a, rng);
            q.masked_a = pick_masked(sp, q.a, o.mask_rate, true, rng);
            q.masked_b = pick_masked(sp, q.b, o.mask_rate, true, rng);
        }
        model.store().zero_grad();
        Tensor loss = masked_op_loss(model, sp, seqs, nullptr, nullptr);
        loss.backward();
        opt.set_lr(lr_at(o, step));
        opt.step();
        const double value = loss.to_vector()[0];
        if (step >= o.steps - 100) {
            recent += value;
            ++recent_n;
        }
        if (o.log_every > 0 && ((step + 1) % o.log_every == 0 || step + 1 == o.steps)) {
            const double secs = std::chrono::duration<double>(
                                    std::chrono::steady_clock::now() - start).count();
            progress << "cate: step " << step + 1 << "/" << o.steps << " loss " << value
                     << " lr " << opt.lr() << " (" << secs << " s)\n";
        }
    }

    NoGradGuard no_grad;
    // 4. held-out masked-op accuracy, pairs and masks from their own stream
    CateStats st;
    st.heldout = heldout;
    st.final_loss = recent_n > 0 ? recent / recent_n : 0;
    Rng eval_rng(mix64(seed ^ 0xE7A1ULL));
    std::vector<int32_t> predicted, targets;
    for (size_t at = 0; at < held.size(); at += 256) {
        std::vector<Sequence> seqs;
        for (size_t i = at; i < std::min(held.size(), at + 256); ++i) {
            Sequence q;
            q.a = held[i];
            q.b = partners.draw(q.a, eval_rng);
            q.masked_a = pick_masked(sp, q.a, o.mask_rate, false, eval_rng);
            seqs.push_back(q);
        }
        masked_op_loss(model, sp, seqs, &predicted, &targets);
    }
    if (!targets.empty()) {
        std::vector<int> count(sp.vocab, 0);
        int correct = 0;
        for (size_t i = 0; i < targets.size(); ++i) {
            correct += predicted[i] == targets[i];
            ++count[targets[i]];
        }
        st.heldout_accuracy = static_cast<double>(correct) / targets.size();
        st.chance = static_cast<double>(*std::max_element(count.begin(), count.end())) /
                    targets.size();
    }

    // 5. the encoding: every architecture alone
    Encoding enc;
    enc.name = "cate";
    enc.dim = config.encoding;
    enc.values.reserve(static_cast<size_t>(S) * enc.dim);
    for (int at = 0; at < S; at += 512) {
        std::vector<Sequence> seqs;
        for (int i = at; i < std::min(S, at + 512); ++i) seqs.push_back(Sequence{i, -1, {}, {}});
        const std::vector<float> v = model.encode(make_batch(sp, seqs, nullptr, nullptr))
                                         .to_vector();
        enc.values.insert(enc.values.end(), v.begin(), v.end());
    }
    for (int c = 0; c < enc.dim; ++c) {
        enc.columns.push_back("cate_" + std::to_string(c));
        enc.norms.push_back(ColumnNorm{"none", 0, 1});
        double mean = 0, sq = 0;
        for (int i = 0; i < S; ++i) mean += enc.row(i)[c];
        mean /= S;
        for (int i = 0; i < S; ++i) sq += (enc.row(i)[c] - mean) * (enc.row(i)[c] - mean);
        st.column_variance.push_back(sq / S);
    }
    std::sort(st.column_variance.rbegin(), st.column_variance.rend());
    st.train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    enc.note = "CATE encoder (" + std::to_string(o.layers) + " layers, hidden " +
               std::to_string(o.hidden) + ", " + std::to_string(o.heads) + " heads), " +
               std::to_string(o.steps) + " steps, seed " + std::to_string(seed) +
               "; held-out masked-op accuracy " + std::to_string(st.heldout_accuracy) +
               " (chance " + std::to_string(st.chance) + ")";
    progress << "cate: held-out masked-op accuracy " << st.heldout_accuracy << " (chance "
             << st.chance << ", " << targets.size() << " masked ops), " << st.train_seconds
             << " s\n";
    if (stats) *stats = st;
    return enc;
}

}  // namespace nasflat::nas
