// training_steps.h — the steps of fitting a predictor that the experiment and the verbs share:
// the model configuration of a recipe, its training options, pre-training on source devices,
// choosing the source row that initialises a new device, and building training samples.
// `nasflat pretrain` with seed s runs exactly trial 1's pre-training of `nasflat experiment
// --seed s`, because both call pretrain_on_sources with the same derived seeds.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "models/training.h"
#include "nas/predictor/recipe.h"
#include "nas/predictor/space_context.h"

namespace nasflat::nas {

// The architectures measured on every one of `devices`, in increasing order.
std::vector<int32_t> common_archs(SpaceContext& ctx, const std::vector<std::string>& devices);

// Seed mixing shared by the experiment and the verbs.
uint64_t derive_seed(uint64_t a, uint64_t b);

// Wall time of a phase, for progress lines and reports.
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0);

// Architectures per forward when scoring many: CPU 256 (larger batches' activations leave the
// caches; measured in docs/performance.md), CUDA 32768 (the GPU wants wide batches). Scores do
// not depend on the batch size.
int default_score_batch(Device device);

// Builds the graph/supp table of `ctx` for a predictor whose supplementary encoding is `supp`.
models::ArchTable arch_table(SpaceContext& ctx, const std::string& supp);

// The model configuration of a recipe (flavor, layer type, fuse, supp).
models::ModelConfig recipe_model_config(const PretrainRecipe& r, SpaceContext& ctx);

// The training options of a fit from the six fields a PretrainRecipe (pre-training) and a
// TransferOptions (fine-tuning) both name: epochs, batch size, lr, the AdamW schedule's floor and
// decay, and the pair scoring.
template <typename Fit>
models::TrainOptions train_options_of(const Fit& fit) {
    models::TrainOptions t;
    t.epochs = fit.epochs;
    t.batch_size = fit.batch_size;
    t.lr = fit.lr;
    t.eta_min = fit.eta_min;
    t.weight_decay = fit.weight_decay;
    t.scoring = fit.scoring;
    return t;
}

// Pre-trains `model` on o.source_samples archs per source device, chosen with
// o.source_sampler among the archs every source measured; seeds derive from `trial_seed`.
// Returns the last epoch's loss (NaN when nothing was trained: S = 0 or 0 epochs).
double pretrain_on_sources(models::NasflatModel& model, const PretrainRecipe& o,
                           SpaceContext& ctx, const std::vector<std::string>& sources,
                           uint64_t trial_seed, std::ostream& progress,
                           const std::string& label);

// The source device whose latencies on `archs` correlate best (Spearman) with `latency`;
// -1 when no source shares 2 archs with them. Its row initialises a new device's embedding.
int best_source_row(SpaceContext& ctx, const std::vector<std::string>& sources,
                    const std::vector<int32_t>& archs, const std::vector<double>& latency,
                    std::string* name = nullptr);

// Training samples of one device row: (arch, row, min-max normalised latency).
std::vector<models::Sample> device_samples(const std::vector<int32_t>& archs,
                                           const std::vector<double>& latency, int row);

}  // namespace nasflat::nas
