// help_meta.h — the HELP baseline (Lee et al., NeurIPS 2021; reference/NASFLAT_SPEC.md 10.1):
// a Meta-SGD meta-learner over the task's source devices, adapted to each target device from
// its latencies on 10 fixed reference architectures (the hardware embedding) plus T - 10
// measured support architectures. Model: models/help_model.h.
//
// Meta-training (one episode): for every source device (the meta-batch is all of them), draw
// 10 support + 200 query archs (distinct, seeded) from the first 900 (NB201) / 4000 (FBNet)
// archs; z from the Z-modulator with fresh noise; theta0 = theta modulated by z; 2 inner steps
// theta <- theta - alpha * grad(MSE_support(theta), theta, create_graph = !first_order);
// meta-loss = sum over the n devices of (MSE_query(theta'') / n + 0.1 KL_device); one Adam step
// (lr 1e-4) on theta, alpha and the Z-modulator, through the second-order graph.
// Differences from the authors' code, on purpose:
//   - each device's own KL enters the meta-loss (theirs added the last device's KL, once per
//     device, as the variable was overwritten inside the loop);
//   - no checkpoint selection: the model after the last episode is tested (theirs picked the
//     best of every 50 episodes by the Spearman on validation devices that could be test
//     devices, 11.3);
//   - a target's support latencies are normalised by the min and max of its T measurements
//     (theirs used its 900 or 4000 meta-train archs' latencies, which a new device does not
//     have); sources use their meta-train archs, as theirs did. Both map to [0.05, 0.95].
//   - no outlier removal (the NASFLAT authors' setting too).
// Meta-test per target: hardware embedding from the 10 reference archs (min-max within them),
// T - 10 support archs drawn by the seed from the meta-train range (reference archs excluded);
// the adaptation runs on the support archs only (the reference archs feed the embedding, as in
// the authors' code); mc_sampling adaptations with fresh z; their predictions averaged; Spearman
// and Kendall (base/metrics.h) over the evaluation archs (protocol full: every measured arch of the
// target except the T measured ones).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "kernels/base/rng.h"
#include "models/help_model.h"
#include "nas/data/device_data.h"
#include "nas/data/tasks.h"
#include "nas/predictor/space_context.h"

namespace nasflat::nas {

// The 10 reference architectures of HELP's hardware embedding.
const std::vector<int32_t>& help_reference_archs(Space space);

struct HelpOptions {
    int episodes = 2000;
    int inner_steps = 2;  // in meta-training and meta-test
    float meta_lr = 1e-4f;
    float alpha_init = 1e-3f;
    float kl_weight = 0.1f;
    int support = 10;           // per source device and episode
    int query = 200;            // per source device and episode
    int meta_train_archs = -1;  // -1: NB201 900, FBNet 4000 (the first archs of the space)
    int mc_sampling = 10;
    bool first_order = false;  // detach the inner gradients (first-order Meta-SGD)
    int width = 100;
    int eval_batch = 2048;  // archs per prediction batch
    int log_every = 50;     // episodes between progress lines (0: none)
    // The archs a target is scored on, given the T measured ones; empty: protocol full (every
    // measured arch of the target except the measured ones). The experiment runner passes its
    // own protocol's choice here.
    std::function<std::vector<int32_t>(const DeviceData&, const std::vector<int32_t>&)> eval_archs;

    int resolved_meta_train_archs(Space space) const;
    void check() const;  // bad values -> one-line error
};

// HELP's encodings of a whole space, and batches of them.
class HelpArchs {
  public:
    explicit HelpArchs(const SearchSpace& space);
    // Architectures given by their ops (6 edge ops or 22 layer ops each), e.g. in tests.
    HelpArchs(Space space, const std::vector<std::vector<int>>& ops);
    models::HelpSpace space() const { return space_; }
    int size() const { return size_; }
    models::HelpBatch batch(const std::vector<int32_t>& archs) const;

  private:
    models::HelpSpace space_;
    int size_ = 0;
    std::vector<float> x_, adj_;  // (archs, 9, 8) and (archs, 9, 9), or (archs, 132)
};

// One device as HELP sees it: its hardware embedding (D) and targets in [0.05, 0.95].
struct HelpDevice {
    std::string name;
    std::vector<float> hw;
    double lo = 0, hi = 1;  // the latency range mapped to [0.05, 0.95]
    const DeviceData* data = nullptr;
    // A source's meta-train archs it measured (episodes draw from these; empty: all of
    // [0, meta_train_archs), every one measured). Some NB201 devices lack a few cells (21 of
    // the first 900 for the HW-NAS-Bench devices): they are left out, not invented.
    std::vector<int32_t> pool;
    float target(int32_t arch) const;
};
// `normalise_archs`: the archs whose min and max define the range (those the device measured).
HelpDevice help_device(Space space, const DeviceData& data,
                       const std::vector<int32_t>& normalise_archs);

struct HelpEpisodeTask {
    const HelpDevice* device;
    std::vector<int32_t> support, query;
};

// The meta-learner: parameters, Adam, Meta-SGD.
class HelpMetaLearner {
  public:
    HelpMetaLearner(const HelpArchs& archs, const HelpOptions& options, uint64_t seed);

    models::HelpParams& params() { return params_; }
    const models::HelpConfig& config() const { return params_.config(); }

    // theta'' of one device: modulated by z(eps), then `steps` inner steps on the support;
    // create_graph keeps the inner gradients differentiable. kl (1) is the device's KL.
    std::vector<Tensor> adapt(const HelpDevice& d, const std::vector<int32_t>& support,
                              const std::vector<float>& eps, int steps, bool create_graph,
                              Tensor* kl) const;
    // The meta-loss of one episode (sum over its n tasks of query MSE / n + kl_weight KL), with
    // a graph back to every parameter; eps: one noise vector per task.
    // query_mse (optional): the mean query MSE alone, without the KL terms.
    Tensor meta_loss(const std::vector<HelpEpisodeTask>& tasks,
                     const std::vector<std::vector<float>>& eps, double* query_mse = nullptr) const;
    // One meta-update; returns the meta-loss before it (and its mean query MSE).
    double train_episode(const std::vector<HelpEpisodeTask>& tasks, Rng& rng,
                         double* query_mse = nullptr);
    // Predictions averaged over mc_sampling adaptations on `support` (no graph kept).
    std::vector<double> predict(const HelpDevice& d, const std::vector<int32_t>& support,
                                const std::vector<int32_t>& archs, Rng& rng) const;

    std::vector<float> draw_eps(Rng& rng) const;

  private:
    const HelpArchs& archs_;
    HelpOptions options_;
    models::HelpParams params_;
    AdamW adam_;
};

// Draws one episode: every source device with `support` + `query` distinct archs from
// [0, meta_train_archs).
std::vector<HelpEpisodeTask> help_episode(const std::vector<HelpDevice>& sources,
                                          const HelpOptions& options, int meta_train_archs,
                                          Rng& rng);

struct HelpTargetScore {
    std::string device;
    double spearman = 0, kendall = 0;
    std::vector<int32_t> measured;  // the 10 reference archs, then the T - 10 support archs
    int evaluated = 0;              // archs scored
};

struct HelpResult {
    std::vector<HelpTargetScore> per_target;
    double mean_spearman = 0, mean_kendall = 0;
    int episodes = 0;
    double train_seconds = 0, test_seconds = 0;
    std::vector<double> episode_loss;  // the meta-loss of every episode
    std::vector<double> episode_mse;   // its mean query MSE (the loss without the KL terms)
};

// HELP meta-trained on some source devices (the authors' settings in HelpOptions), ready to
// meta-test new ones: what run_help_task and the leave-one-device-out benchmark share. Draws
// the learner's initialisation and then its episodes from rng (two forks).
struct HelpTrained {
    HelpTrained(const HelpOptions& options, SpaceContext& ctx,
                const std::vector<std::string>& sources, Rng& rng, std::ostream& progress,
                const std::string& label);
    HelpArchs archs;  // the learner refers to it
    std::unique_ptr<HelpMetaLearner> learner;
    std::vector<int32_t> meta_archs;  // [0, meta_train_archs)
    std::vector<double> episode_loss, episode_mse;
    double seconds = 0;
};

// Meta-test of one device: its hardware embedding from the 10 reference archs, adapted on
// `support` (mc_sampling adaptations, noise from rng), scored on `eval`.
HelpTargetScore help_meta_test(const HelpTrained& trained, const DeviceData& data,
                               const std::vector<int32_t>& support,
                               const std::vector<int32_t>& eval, Rng& rng);

// The whole baseline on one task at T target measurements (T >= 10: the 10 reference archs
// plus T - 10 support archs): meta-train on the sources, meta-test on every target. Seeded
// (initialisation, episodes, noise, support draws); bit-identical on the CPU for one seed.
HelpResult run_help_task(const HelpOptions& options, SpaceContext& ctx, const Task& task,
                         uint64_t seed, int T, std::ostream& progress);

}  // namespace nasflat::nas
