// multipredict.h — the MultiPredict baseline (Akhauri & Abdelfattah, AutoML-Conf 2023) on the
// task suite, as the NASFLAT authors ran it (reference/NASFLAT_SPEC.md 10.2) but under this
// project's honest protocol. `nasflat experiment --predictor multipredict` runs it.
// Model: models/multipredict_model.h (NB201: HELP graph -> GCN; FBNet: HELP 132-d vector and
// the proxies -> MLP; learnable device table; sigmoid head). Inputs: HELP's encodings
// (nas/data/help_encoding.h) and the 13 zero-cost proxies min-max per column over the space
// (load_zcp_minmax).
// Defaults (MultiPredictOptions in experiment.h) are the authors': pre-training 150 epochs,
// AdamW lr 4e-4 wd 5e-4, cosine to 0 over the epochs, batch 64, L1 loss summed over the batch;
// transfer 50 epochs, batch 10, the same optimiser, 10 MC rounds.
// Per trial (seeds from (seed, trial) as for NASFLAT):
//   1. every source device sees the same dev_train_samples distinct archs, drawn by the seed
//      from the archs all sources measured (not the authors' round-robin split, which gave each
//      device only S / #devices distinct archs); latency min-max over the source's whole file.
//   2. per (target, T): the T samples are drawn exactly as the NASFLAT run draws them
//      (transfer_seed, choose_transfer_samples); the target's device row := the row of the
//      source whose latencies correlate best (Spearman) with the target's on those T samples
//      (per target: not the authors' reuse of the last target's samples); the T latencies are
//      min-max normalised over the T samples themselves (the authors used the target's whole
//      file, which a user does not have).
//   3. mc_rounds fine-tunings of all parameters, each from the pre-trained state (not the
//      authors' chained rounds), L1 loss; the rounds' predictions are averaged and scored
//      exactly as NASFLAT's (eval_archs, score_predictions).
// Protocol aliasing reproduces the authors' run instead, leaks included, only to compare with
// their recorded numbers: pre-training on round_robin_archs; T uniformly random samples drawn
// once (for the last target, from the archs every target measured) and used for every
// target; the target's latencies min-max over its whole file; the MC rounds chained, each
// continuing the last, and on from one target to the next; scored on every measured arch of
// the target, the T samples included (protocol full minus nothing).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "nas/experiment/experiment.h"

namespace nasflat::nas {

// MultiPredict pre-trained on some source devices, ready to transfer to new ones: the piece
// the experiment runner and the leave-one-device-out benchmark share.
class MultiPredict {
  public:
    // Pre-trains on `sources` (model, arch draw and batches seeded from `seed`), with
    // `target_rows` device rows after the sources' for targets. authors: the authors'
    // round-robin split instead of S common archs.
    MultiPredict(const MultiPredictOptions& m, SpaceContext& ctx,
                 const std::vector<std::string>& sources, int target_rows, uint64_t seed,
                 bool authors, Device device, int eval_batch);
    ~MultiPredict();

    struct Transfer {
        int source = 0;           // index into the sources of the row the target started from
        std::vector<double> pred;  // per arch of `archs`, averaged over the MC rounds
    };
    // Transfers to `target` on target row `target_row` from its samples `tf` (fine-tunings
    // seeded from `seed`) and predicts `archs`. authors: the authors' chained rounds and
    // whole-file normalisation (multipredict.h, protocol aliasing).
    Transfer transfer(const DeviceData& target, int target_row, const std::vector<int32_t>& tf,
                      const std::vector<int32_t>& archs, uint64_t seed, bool authors);

    double pretrain_loss = 0, pretrain_seconds = 0;
    int pretrain_samples = 0;

  private:
    struct State;
    std::unique_ptr<State> state_;
    SpaceContext& ctx_;
};

// Runs MultiPredict with `o` (resolved, predictor MultiPredict).
ExperimentResult run_multipredict_experiment(const ExperimentOptions& o, SpaceContext& ctx,
                                             std::ostream& progress,
                                             const TrialCallback& on_trial);

// The index k of the source whose latencies source_latency[k] (on the T transfer samples)
// have the highest Spearman with target_latency; ties go to the first, a source with an
// undefined Spearman (constant latencies) is never picked unless all are (then 0). Sizes must
// agree.
// The authors' pre-training split (NASFLAT_SPEC.md 10.2): archs 0..count-1 listed once per
// source, position p of the list going to source p mod sources as arch p mod count. Returns
// each source's archs in list order: when sources divides count, a source sees only
// count / sources distinct archs, sources times each.
std::vector<std::vector<int32_t>> round_robin_archs(int count, int sources);

int most_correlated_source(const std::vector<std::vector<double>>& source_latency,
                           const std::vector<double>& target_latency);

}  // namespace nasflat::nas
