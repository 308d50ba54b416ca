// baseline_options.cpp — see baseline_options.h.
#include "nas/cli/baseline_options.h"

namespace nasflat::cli {

void add_baseline_options(CLI::App& verb, nas::MultiPredictOptions& mp, nas::HelpOptions& help) {
    verb.add_option("--mp-source-samples", mp.source_samples,
                    "multipredict: pre-training archs per source device (default NB201 900, "
                    "FBNet 4000)")
        ->check(CLI::Range(1, 1 << 20));
    verb.add_option("--mp-epochs", mp.epochs, "multipredict: pre-training epochs")
        ->check(CLI::Range(0, 1 << 20))
        ->capture_default_str();
    verb.add_option("--mp-transfer-epochs", mp.transfer_epochs,
                    "multipredict: fine-tuning epochs per MC round")
        ->check(CLI::Range(0, 1 << 20))
        ->capture_default_str();
    verb.add_option("--mp-mc-rounds", mp.mc_rounds,
                    "multipredict: fine-tunings from the pre-trained state, predictions averaged")
        ->check(CLI::Range(1, 1 << 16))
        ->capture_default_str();
    verb.add_option("--help-episodes", help.episodes,
                    "help: meta-training episodes (all source devices per episode)")
        ->check(CLI::Range(0, 1 << 20))
        ->capture_default_str();
    verb.add_option("--help-mc-sampling", help.mc_sampling,
                    "help: adaptations with fresh z per target, predictions averaged")
        ->check(CLI::Range(1, 1 << 16))
        ->capture_default_str();
    verb.add_flag("--help-first-order", help.first_order,
                  "help: first-order Meta-SGD (inner gradients detached; default second order)");
}

}  // namespace nasflat::cli
