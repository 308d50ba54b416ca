// test_library.cpp — the rooms of nas/ as a library user (or a binding) calls them: a recipe by
// name, the architectures to measure, a search and the comparison with the truth give what the
// verbs print, because the verbs only parse, call these functions and print.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "nas/base/json_io.h"
#include "nas/data/measurements.h"
#include "nas/predictor/predictor.h"
#include "nas/predictor/recipe.h"
#include "nas/predictor/sampling.h"
#include "nas/search/search.h"
#include "tests/nas/tiny_predictor.h"

namespace nasflat::nas {
namespace {

TEST(Recipe, NamedRecipesDifferBySpace) {
    const PretrainRecipe paper = recipe_named("paper", Space::FBNet);
    EXPECT_EQ(paper.space, Space::FBNet);
    EXPECT_EQ(paper.flavor, models::Flavor::Reference);
    EXPECT_EQ(paper.scoring, models::PairScoring::TwoForwards);
    EXPECT_EQ(paper.supp, "none");
    EXPECT_EQ(paper.epochs, 150);
    const PretrainRecipe nb = recipe_named("practitioner", Space::NB201);
    EXPECT_EQ(nb.flavor, models::Flavor::Reference);
    EXPECT_EQ(nb.supp, "none");
    EXPECT_EQ(nb.source_samples, 100);
    EXPECT_EQ(nb.epochs, 30);
    const PretrainRecipe fb = recipe_named("practitioner", Space::FBNet);
    EXPECT_EQ(fb.flavor, models::Flavor::Fixed);
    EXPECT_EQ(fb.scoring, models::PairScoring::ScoreOnce);
    EXPECT_EQ(fb.supp, "flops");
    testing::expect_error([] { recipe_named("quick", Space::NB201); }, {"unknown recipe 'quick'"});
}

TEST(Recipe, ResolveFillsTheSpacesDefaultsAndChecks) {
    PretrainRecipe nb = recipe_named("paper", Space::NB201);
    PretrainRecipe fb = recipe_named("paper", Space::FBNet);
    nb.resolve();
    fb.resolve();
    EXPECT_EQ(nb.source_samples, 900);
    EXPECT_EQ(fb.source_samples, 800);
    PretrainRecipe bad;
    bad.eta_min = 0.5f;
    testing::expect_error([&] { bad.resolve(); }, {"--eta-min 0.5 must be in [0, --lr = 0.001]"});
    bad = PretrainRecipe();
    bad.source_sampler = "nope";
    testing::expect_error([&] { bad.resolve(); }, {"unknown sampling method 'nope'"});
}

TEST(Names, SplitAndPriorLists) {
    EXPECT_EQ(split_names("a, b,,c "), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(parse_prior_list("none").empty());
    EXPECT_EQ(parse_prior_list("flops,ridge"), (std::vector<std::string>{"flops", "ridge"}));
    testing::expect_error([] { parse_prior_list("flops,magic"); }, {"'magic' is not a prior"});
}

using Library = TinyPredictor;

// The fixture's sample command, through the library: the same architectures and values.
TEST_F(Library, ChooseToMeasureIsTheSampleVerb) {
    const SearchSpace ss = SearchSpace::load(data_, Space::NB201);
    SampleRequest r;
    r.count = 8;
    r.sampler = "random";
    r.fill_from = "pixel2";
    r.seed = 3;
    const SampleChoice c = choose_to_measure(ss, data_, r);
    const Measurements m = load_measurements(file("m.json"), ss);
    EXPECT_EQ(c.chosen, m.arch_index);
    EXPECT_EQ(c.values, m.values);
    EXPECT_EQ(c.candidates, load_device(data_, Space::NB201, "pixel2").count());
    r.sampler = "latency";
    r.fill_from.clear();
    testing::expect_error([&] { choose_to_measure(ss, data_, r); }, {"--sampler latency"});
}

// A search through the library gives the choices `nasflat search --json` writes, and the
// comparison with the truth leaves the fitted architectures out.
TEST_F(Library, SearchAndTruthAreTheVerbs) {
    ASSERT_EQ(cli("search --checkpoint " + q("pixel2.ckpt") + " --latency-max 14 30 --threads 1 "
                  "--json " + q("lib_search.json")).code, 0);
    const Json written = read_json_file(file("lib_search.json"));
    SearchOptions o;
    const SearchSetup s = load_search(file("pixel2.ckpt"), Device::CPU, data_, o);
    EXPECT_EQ(s.truth, "pixel2");
    const std::vector<Choice> choices = search_limits(s, {14, 30}, o);
    ASSERT_EQ(choices.size(), 2u);
    for (size_t k = 0; k < choices.size(); ++k)
        EXPECT_EQ(choice_json(choices[k]), written["choices"][k]) << k;
    o.mode = SearchMode::Evolution;
    o.candidates = file("m.json");
    testing::expect_error([&] { search_limits(s, {14}, o); }, {"--candidates"});

    std::vector<int32_t> archs;
    for (int a = 0; a < 15625; a += 5) archs.push_back(a);
    const std::vector<float> scores = predictor_scores(s.p, *s.ctx, archs, s.row, 256);
    std::vector<double> ms;
    for (float v : scores) ms.push_back(s.p.info.calibration(v));
    const TruthComparison t = compare_with_truth(s.p, archs, scores, ms, s.true_ms, "pixel2");
    EXPECT_EQ(t.fitted, 8u);
    EXPECT_TRUE(t.has_ms);
    EXPECT_LE(t.scores.size(), archs.size());
    EXPECT_GT(t.scores.size(), archs.size() - 9);
    EXPECT_TRUE(std::isfinite(t.spearman) && std::isfinite(t.kendall) && std::isfinite(t.mape));
}

}  // namespace
}  // namespace nasflat::nas
