// help_meta.cpp — see help_meta.h for the procedure and where it departs from the authors'.
#include "nas/predictor/help_meta.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "autograd/grad.h"
#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "nas/base/metrics.h"
#include "nas/data/help_encoding.h"

namespace nasflat::nas {

const std::vector<int32_t>& help_reference_archs(Space space) {
    // HELP's hardware_embedding_index.pt.
    static const std::vector<int32_t> nb201 = {11982, 431,  55,    9,    14451,
                                               8636,  9881, 13479, 6196, 1462};
    static const std::vector<int32_t> fbnet = {3328, 3790, 3313, 890, 3052,
                                               2538, 1640, 2514, 457, 2100};
    return space == Space::NB201 ? nb201 : fbnet;
}

int HelpOptions::resolved_meta_train_archs(Space space) const {
    if (meta_train_archs > 0) return meta_train_archs;
    return space == Space::NB201 ? 900 : 4000;
}

void HelpOptions::check() const {
    NASFLAT_CHECK(episodes >= 0 && inner_steps >= 0 && support >= 1 && query >= 1 &&
                      mc_sampling >= 1 && width >= 1 && eval_batch >= 1 && log_every >= 0,
                  "help: episodes, inner_steps and log_every must be >= 0; support, query, "
                  "mc_sampling, width and eval_batch >= 1");
    NASFLAT_CHECK(meta_lr > 0 && alpha_init >= 0 && kl_weight >= 0,
                  "help: meta_lr must be > 0, alpha_init and kl_weight >= 0");
}

// --- encodings ---------------------------------------------------------------------------------

HelpArchs::HelpArchs(Space space, const std::vector<std::vector<int>>& ops)
    : space_(space == Space::NB201 ? models::HelpSpace::Nb201 : models::HelpSpace::Fbnet),
      size_(static_cast<int>(ops.size())) {
    for (const std::vector<int>& arch : ops) {
        if (space_ == models::HelpSpace::Nb201) {
            const HelpNb201Graph g = help_nb201_graph(arch);
            x_.insert(x_.end(), g.features.begin(), g.features.end());
            adj_.insert(adj_.end(), g.adjacency.begin(), g.adjacency.end());
        } else {
            const std::vector<float> v = help_fbnet_vector(arch);
            x_.insert(x_.end(), v.begin(), v.end());
        }
    }
}

namespace {
std::vector<std::vector<int>> all_ops(const SearchSpace& space) {
    std::vector<std::vector<int>> out;
    for (int i = 0; i < space.size(); ++i) out.push_back(space.ops(i));
    return out;
}
}  // namespace

HelpArchs::HelpArchs(const SearchSpace& space) : HelpArchs(space.space(), all_ops(space)) {}

models::HelpBatch HelpArchs::batch(const std::vector<int32_t>& archs) const {
    const int64_t n = static_cast<int64_t>(archs.size());
    const bool nb = space_ == models::HelpSpace::Nb201;
    const size_t fx = nb ? kHelpNb201Nodes * kHelpNb201Features : kHelpFbnetDim;
    const size_t fa = kHelpNb201Nodes * kHelpNb201Nodes;
    std::vector<float> x, adj;
    x.reserve(n * fx);
    for (int32_t a : archs) {
        NASFLAT_CHECK(a >= 0 && a < size_, "HelpArchs: architecture ", a, " outside [0, ", size_,
                      ")");
        x.insert(x.end(), x_.begin() + a * fx, x_.begin() + (a + 1) * fx);
        if (nb) adj.insert(adj.end(), adj_.begin() + a * fa, adj_.begin() + (a + 1) * fa);
    }
    models::HelpBatch b;
    if (nb) {
        b.x = Tensor::from_vector(x, {n, kHelpNb201Nodes, kHelpNb201Features});
        b.adj = Tensor::from_vector(adj, {n, kHelpNb201Nodes, kHelpNb201Nodes});
    } else {
        b.x = Tensor::from_vector(x, {n, kHelpFbnetDim});
    }
    return b;
}

// --- devices -----------------------------------------------------------------------------------

float HelpDevice::target(int32_t arch) const {
    const double span = hi > lo ? hi - lo : 1.0;
    return static_cast<float>(0.05 + 0.9 * (data->value(arch) - lo) / span);
}

HelpDevice help_device(Space space, const DeviceData& data,
                       const std::vector<int32_t>& normalise_archs) {
    HelpDevice d;
    d.name = data.name;
    d.data = &data;
    std::vector<double> ref;
    for (int32_t a : help_reference_archs(space)) {
        NASFLAT_CHECK(data.covers(a), "help: device ", data.name,
                      " has no measurement of "
                      "reference architecture ",
                      a, " (", data.file,
                      "); HELP's hardware "
                      "embedding needs all 10");
        ref.push_back(data.value(a));
    }
    const auto [rmin, rmax] = std::minmax_element(ref.begin(), ref.end());
    for (double v : ref)
        d.hw.push_back(static_cast<float>(*rmax > *rmin ? (v - *rmin) / (*rmax - *rmin) : 0.0));
    bool any = false;
    for (int32_t a : normalise_archs) {
        if (!data.covers(a)) continue;
        const double v = data.value(a);
        d.lo = any ? std::min(d.lo, v) : v;
        d.hi = any ? std::max(d.hi, v) : v;
        any = true;
    }
    NASFLAT_CHECK(any, "help: no measured architectures to normalise ", data.name);
    return d;
}

std::vector<HelpEpisodeTask> help_episode(const std::vector<HelpDevice>& sources,
                                          const HelpOptions& o, int meta_train_archs, Rng& rng) {
    NASFLAT_CHECK(o.support + o.query <= meta_train_archs, "help: ", o.support, " support + ",
                  o.query, " query archs do not fit in ", meta_train_archs, " meta-train archs");
    std::vector<HelpEpisodeTask> tasks;
    for (const HelpDevice& d : sources) {
        const int n = d.pool.empty() ? meta_train_archs : static_cast<int>(d.pool.size());
        NASFLAT_CHECK(o.support + o.query <= n, "help: ", d.name, " measured ", n,
                      " meta-train archs, fewer than ", o.support + o.query, " per episode");
        const std::vector<int> pick = rng.sample_without_replacement(n, o.support + o.query);
        HelpEpisodeTask t{&d, {}, {}};
        for (int k = 0; k < o.support + o.query; ++k) {
            const int32_t a = d.pool.empty() ? pick[k] : d.pool[static_cast<size_t>(pick[k])];
            (k < o.support ? t.support : t.query).push_back(a);
        }
        tasks.push_back(std::move(t));
    }
    return tasks;
}

// --- the meta-learner --------------------------------------------------------------------------

namespace {

models::HelpConfig config_of(const HelpArchs& archs, const HelpOptions& o) {
    models::HelpConfig c;
    c.space = archs.space();
    c.width = o.width;
    return c;
}

AdamWOptions adam_of(const HelpOptions& o) {
    AdamWOptions a;
    a.lr = o.meta_lr;
    a.weight_decay = 0.0f;  // Adam: the decoupled decay is the only difference
    return a;
}

Tensor targets(const HelpDevice& d, const std::vector<int32_t>& archs) {
    std::vector<float> y;
    for (int32_t a : archs) y.push_back(d.target(a));
    return Tensor::from_vector(y, {static_cast<int64_t>(y.size())});
}

Tensor hw_tensor(const HelpDevice& d) {
    return Tensor::from_vector(d.hw, {static_cast<int64_t>(d.hw.size())});
}

}  // namespace

HelpMetaLearner::HelpMetaLearner(const HelpArchs& archs, const HelpOptions& options, uint64_t seed)
    : archs_(archs),
      options_(options),
      params_(config_of(archs, options), seed, options.alpha_init),
      adam_(params_.store(), adam_of(options)) {
    options_.check();
}

std::vector<float> HelpMetaLearner::draw_eps(Rng& rng) const {
    std::vector<float> eps(static_cast<size_t>(config().z_dim()));
    for (float& e : eps) e = static_cast<float>(rng.normal());
    return eps;
}

std::vector<Tensor> HelpMetaLearner::adapt(const HelpDevice& d, const std::vector<int32_t>& support,
                                           const std::vector<float>& eps, int steps,
                                           bool create_graph, Tensor* kl) const {
    const models::HelpConfig& c = config();
    const Tensor hw = hw_tensor(d);
    const models::HelpZ z = models::help_z(c, params_.znet(), hw, eps);
    if (kl) *kl = z.kl;
    std::vector<Tensor> th = models::help_modulate(c, params_.theta(), z.z);
    if (support.empty()) return th;
    const models::HelpBatch xs = archs_.batch(support);
    const Tensor ys = targets(d, support);
    const std::vector<Tensor>& alpha = params_.alpha();
    for (int step = 0; step < steps; ++step) {
        const Tensor inner = mse_loss(models::help_forward(c, th, xs, hw), ys);
        // create_graph = false: the gradients are constants (first-order Meta-SGD, or a test
        // adaptation); alpha still receives d theta'' / d alpha = -g.
        const std::vector<Tensor> g = grad(inner, th, create_graph);
        for (size_t i = 0; i < th.size(); ++i) th[i] = sub(th[i], mul(alpha[i], g[i]));
    }
    return th;
}

Tensor HelpMetaLearner::meta_loss(const std::vector<HelpEpisodeTask>& tasks,
                                  const std::vector<std::vector<float>>& eps,
                                  double* query_mse) const {
    NASFLAT_CHECK(!tasks.empty() && eps.size() == tasks.size(), "help: one noise vector per task (",
                  tasks.size(), " tasks, ", eps.size(), " vectors)");
    Tensor total;
    const float share = 1.0f / static_cast<float>(tasks.size());
    for (size_t t = 0; t < tasks.size(); ++t) {
        const HelpEpisodeTask& task = tasks[t];
        Tensor kl;
        const std::vector<Tensor> th = adapt(*task.device, task.support, eps[t],
                                             options_.inner_steps, !options_.first_order, &kl);
        const Tensor q = mse_loss(
            models::help_forward(config(), th, archs_.batch(task.query), hw_tensor(*task.device)),
            targets(*task.device, task.query));
        // The authors' sum of (query loss / n + kl_weight KL) over the devices, with this
        // device's own KL: their loop added the last device's KL to every term.
        const Tensor term = add(scale(q, share), scale(kl, options_.kl_weight));
        if (t == 0 && query_mse) *query_mse = 0;
        if (query_mse) *query_mse += q.item() * share;
        total = total.defined() ? add(total, term) : term;
    }
    return total;
}

double HelpMetaLearner::train_episode(const std::vector<HelpEpisodeTask>& tasks, Rng& rng,
                                      double* query_mse) {
    std::vector<std::vector<float>> eps;
    for (size_t t = 0; t < tasks.size(); ++t) eps.push_back(draw_eps(rng));
    const Tensor loss = meta_loss(tasks, eps, query_mse);
    params_.store().zero_grad();
    loss.backward();
    adam_.step();
    return loss.item();
}

std::vector<double> HelpMetaLearner::predict(const HelpDevice& d,
                                             const std::vector<int32_t>& support,
                                             const std::vector<int32_t>& archs, Rng& rng) const {
    std::vector<double> sum(archs.size(), 0.0);
    const Tensor hw = hw_tensor(d);
    for (int m = 0; m < options_.mc_sampling; ++m) {
        std::vector<Tensor> th =
            adapt(d, support, draw_eps(rng), options_.inner_steps, false, nullptr);
        for (Tensor& t : th) t = t.detach();
        NoGradGuard no_grad;
        for (size_t start = 0; start < archs.size(); start += options_.eval_batch) {
            const size_t end = std::min(archs.size(), start + options_.eval_batch);
            const std::vector<int32_t> chunk(archs.begin() + start, archs.begin() + end);
            const std::vector<float> p =
                models::help_forward(config(), th, archs_.batch(chunk), hw).to_vector();
            for (size_t k = 0; k < p.size(); ++k) sum[start + k] += p[k];
        }
    }
    for (double& s : sum) s /= options_.mc_sampling;
    return sum;
}

// --- one task ----------------------------------------------------------------------------------

namespace {

// Protocol full: every measured arch of the target except the measured (reference + support).
std::vector<int32_t> all_but_measured(const DeviceData& target,
                                      const std::vector<int32_t>& measured) {
    std::vector<int32_t> out;
    for (int32_t a : target.arch_index)
        if (std::find(measured.begin(), measured.end(), a) == measured.end()) out.push_back(a);
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

HelpTrained::HelpTrained(const HelpOptions& options, SpaceContext& ctx,
                         const std::vector<std::string>& sources, Rng& rng, std::ostream& progress,
                         const std::string& label)
    : archs(ctx.space()) {
    options.check();
    const Space space = ctx.space().space();
    const int m = std::min(options.resolved_meta_train_archs(space), ctx.space().size());
    meta_archs.resize(m);
    for (int i = 0; i < m; ++i) meta_archs[i] = i;
    std::vector<HelpDevice> devices;
    for (const std::string& name : sources) {
        const DeviceData& data = ctx.device(name);
        devices.push_back(help_device(space, data, meta_archs));
        std::vector<int32_t> measured;
        for (int32_t a : meta_archs)
            if (data.covers(a)) measured.push_back(a);
        if (measured.size() < meta_archs.size()) devices.back().pool = std::move(measured);
    }
    learner = std::make_unique<HelpMetaLearner>(archs, options, rng.fork());
    const auto t0 = std::chrono::steady_clock::now();
    Rng episode_rng(rng.fork());
    for (int e = 0; e < options.episodes; ++e) {
        const auto tasks = help_episode(devices, options, m, episode_rng);
        double mse = 0;
        episode_loss.push_back(learner->train_episode(tasks, episode_rng, &mse));
        episode_mse.push_back(mse);
        if (options.log_every > 0 && ((e + 1) % options.log_every == 0 || e == 0)) {
            progress << "help " << label << ": episode " << e + 1 << "/" << options.episodes
                     << " meta-loss " << episode_loss.back() << " query MSE " << mse << " ("
                     << seconds_since(t0) << " s)\n";
        }
    }
    seconds = seconds_since(t0);
}

HelpTargetScore help_meta_test(const HelpTrained& trained, const DeviceData& data,
                               const std::vector<int32_t>& support,
                               const std::vector<int32_t>& eval, Rng& rng) {
    const Space space =
        trained.archs.space() == models::HelpSpace::Nb201 ? Space::NB201 : Space::FBNet;
    std::vector<int32_t> measured = help_reference_archs(space);
    measured.insert(measured.end(), support.begin(), support.end());
    // Normalised by the T measurements: all a new device has (help_meta.h).
    const HelpDevice d = help_device(space, data, measured);
    const std::vector<double> pred = trained.learner->predict(d, support, eval, rng);
    std::vector<double> truth;
    for (int32_t a : eval) truth.push_back(data.value(a));
    HelpTargetScore s;
    s.device = data.name;
    s.spearman = spearman(pred, truth);
    s.kendall = kendall_tau_b(pred, truth);
    s.measured = measured;
    s.evaluated = static_cast<int>(eval.size());
    return s;
}

HelpResult run_help_task(const HelpOptions& options, SpaceContext& ctx, const Task& task,
                         uint64_t seed, int T, std::ostream& progress) {
    options.check();
    const Space space = ctx.space().space();
    NASFLAT_CHECK(task.space == space, "help: task ", task.name, " is not of this space");
    const int refs = static_cast<int>(help_reference_archs(space).size());
    NASFLAT_CHECK(T >= refs, "help: T = ", T,
                  " target measurements, but HELP's hardware "
                  "embedding alone takes ",
                  refs, "; fix: T >= ", refs);
    Rng rng(seed);
    const HelpTrained trained(options, ctx, task.sources, rng, progress, task.name);
    HelpResult result;
    result.episodes = options.episodes;
    result.train_seconds = trained.seconds;
    result.episode_loss = trained.episode_loss;
    result.episode_mse = trained.episode_mse;

    const auto t0 = std::chrono::steady_clock::now();
    for (const std::string& name : task.targets) {
        const DeviceData& data = ctx.device(name);
        Rng target_rng(rng.fork());
        const std::vector<int32_t> refs_archs = help_reference_archs(space);
        std::vector<int32_t> pool;
        for (int32_t a : trained.meta_archs)
            if (data.covers(a) &&
                std::find(refs_archs.begin(), refs_archs.end(), a) == refs_archs.end())
                pool.push_back(a);
        NASFLAT_CHECK(static_cast<int>(pool.size()) >= T - refs, "help: ", name, " has only ",
                      pool.size(), " measured archs to draw ", T - refs, " support archs from");
        std::vector<int32_t> support;
        for (int k : target_rng.sample_without_replacement(static_cast<int>(pool.size()), T - refs))
            support.push_back(pool[k]);
        std::vector<int32_t> measured = refs_archs;
        measured.insert(measured.end(), support.begin(), support.end());
        const std::vector<int32_t> eval = options.eval_archs ? options.eval_archs(data, measured)
                                                             : all_but_measured(data, measured);
        HelpTargetScore s = help_meta_test(trained, data, support, eval, target_rng);
        s.device = name;
        progress << "help " << task.name << ": " << name << " T=" << T << " spearman " << s.spearman
                 << " kendall " << s.kendall << " (" << s.evaluated << " archs)\n";
        result.mean_spearman += s.spearman / task.targets.size();
        result.mean_kendall += s.kendall / task.targets.size();
        result.per_target.push_back(std::move(s));
    }
    result.test_seconds = seconds_since(t0);
    return result;
}

}  // namespace nasflat::nas
