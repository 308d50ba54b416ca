// recipe.cpp — see recipe.h.
#include "nas/predictor/recipe.h"

#include <cmath>

#include "kernels/base/check.h"
#include "samplers/samplers.h"

namespace nasflat::nas {

void PretrainRecipe::resolve() {
    if (source_samples < 0) source_samples = space == Space::NB201 ? 900 : 800;
    NASFLAT_CHECK(epochs >= 0, "--epochs must be >= 0");
    NASFLAT_CHECK(batch_size >= 2, "--batch-size must be at least 2");
    NASFLAT_CHECK(std::isfinite(lr) && lr > 0.0f && lr <= 1.0f,
                  "--lr must be a finite number in (0, 1]");
    NASFLAT_CHECK(std::isfinite(weight_decay) && weight_decay >= 0.0f && weight_decay <= 1.0f,
                  "--weight-decay must be a finite number in [0, 1]");
    NASFLAT_CHECK(std::isfinite(eta_min) && eta_min >= 0.0f && eta_min <= lr,
                  "--eta-min ", eta_min, " must be in [0, --lr = ", lr, "]");
    samplers::parse_method(source_sampler);  // validates the name
}

PretrainRecipe recipe_named(const std::string& name, Space space) {
    NASFLAT_CHECK(name == "practitioner" || name == "paper", "unknown recipe '",
                  printable(name, 40), "'; fix: use practitioner or paper");
    PretrainRecipe r;
    r.space = space;
    if (name == "paper") return r;  // the defaults above are the authors' settings
    r.source_samples = 100;
    r.epochs = 30;
    if (space == Space::FBNet) {
        r.flavor = models::Flavor::Fixed;
        r.scoring = models::PairScoring::ScoreOnce;
        r.supp = "flops";
    }
    return r;
}

}  // namespace nasflat::nas
