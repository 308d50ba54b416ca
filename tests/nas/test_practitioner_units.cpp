// test_practitioner_units.cpp — the pure pieces of the practitioner's loop: score -> ms
// calibration, user arch lists, SVG plots, constrained choice and evolution, and op lists
// outside the indexed space.
#include <gtest/gtest.h>

#include <cmath>

#include "nas/base/plot.h"
#include "nas/data/arch_list.h"
#include "nas/predictor/calibration.h"
#include "nas/search/strategy.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::TempDir;

// ---- calibration ------------------------------------------------------------------------

TEST(Calibration, IsotonicPoolsViolatorsAndInterpolates) {
    // Scores ascending; ms 1, 3, 2, 4 -> the violating pair (3, 2) pools to 2.5.
    const Calibration c = fit_calibration({0, 1, 2, 3}, {1, 3, 2, 4}, "isotonic");
    ASSERT_EQ(c.y.size(), 4u);
    EXPECT_DOUBLE_EQ(c.y[0], 1.0);
    EXPECT_DOUBLE_EQ(c.y[1], 2.5);
    EXPECT_DOUBLE_EQ(c.y[2], 2.5);
    EXPECT_DOUBLE_EQ(c.y[3], 4.0);
    EXPECT_DOUBLE_EQ(c(0.5), 1.75);  // halfway between 1 and 2.5
    EXPECT_DOUBLE_EQ(c(3), 4.0);
    // Tails continue with the least-squares slope (here 4 / 5 = 0.8), floored at 0 ms.
    EXPECT_NEAR(c(4), 4.0 + 0.8, 1e-12);
    EXPECT_NEAR(c(-1), 1.0 - 0.8, 1e-12);
    EXPECT_EQ(c(-100), 0.0);
    // Never decreasing, whatever the input order.
    const Calibration d = fit_calibration({3, 0, 2, 1, 2}, {9, 2, 1, 5, 7}, "isotonic");
    double prev = -1;
    for (double s = -2; s <= 5; s += 0.01) {
        EXPECT_GE(d(s), prev);
        prev = d(s);
    }
}

TEST(Calibration, EqualScoresArePooledAndLinearIsLeastSquares) {
    const Calibration c = fit_calibration({1, 1, 2}, {2, 4, 5}, "isotonic");
    ASSERT_EQ(c.x.size(), 2u);
    EXPECT_DOUBLE_EQ(c(1), 3.0);
    const Calibration l = fit_calibration({0, 1, 2}, {1, 3, 5}, "linear");
    EXPECT_NEAR(l.slope, 2.0, 1e-12);
    EXPECT_NEAR(l(10), 21.0, 1e-12);
    // A falling relation keeps its mean level rather than reverse the ranking.
    const Calibration f = fit_calibration({0, 1, 2}, {5, 3, 1}, "linear");
    EXPECT_EQ(f.slope, 0.0);
    EXPECT_NEAR(f(7), 3.0, 1e-12);
}

TEST(Calibration, JsonRoundTripAndBadInput) {
    const Calibration c = fit_calibration({0.3, -1, 2}, {4, 2, 9}, "isotonic");
    const Calibration back = Calibration::from_json(c.to_json(), "x.ckpt");
    for (double s : {-3.0, 0.0, 0.3, 1.0, 5.0}) EXPECT_DOUBLE_EQ(back(s), c(s));
    EXPECT_FALSE(Calibration::from_json(nullptr, "x").fitted());
    EXPECT_TRUE(std::isnan(Calibration{}(1.0)));
    testing::expect_error([] { fit_calibration({1}, {1}, "isotonic"); }, {"at least 2"});
    testing::expect_error([] { fit_calibration({1, 2}, {1, -1}, "isotonic"); },
                          {"positive latency"});
    testing::expect_error([] { fit_calibration({1, 2}, {1, 2}, "spline"); }, {"isotonic or linear"});
    nlohmann::json bad = c.to_json();
    bad["y"] = {3, 2, 1};
    testing::expect_error([&] { Calibration::from_json(bad, "x.ckpt"); },
                          {"x.ckpt", "not a valid monotone map"});
    EXPECT_NEAR(mape({11, 9}, {10, 10}), 10.0, 1e-12);
}

// ---- arch lists -------------------------------------------------------------------------

using ArchListRealData = testing::RealData;

TEST_F(ArchListRealData, TextAndJsonListsAndTheirErrors) {
    const SearchSpace& ss = testing::nb201_space();
    TempDir dir;
    const std::string text = dir.write(
        "a.txt", "# my cells\n12\n\n" + ss.arch_string(873) + "\n  4,2,1,2,1,1  \n");
    const std::vector<int32_t> a = load_arch_list(text, ss);
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[0], 12);
    EXPECT_EQ(a[1], 873);
    EXPECT_EQ(a[2], ss.parse_arch("4,2,1,2,1,1"));
    const std::string json = dir.write("a.json", "{\"space\": \"nb201\", \"arch_index\": [5, 7]}");
    EXPECT_EQ(load_arch_list(json, ss), (std::vector<int32_t>{5, 7}));
    // A measurement file is an arch list too.
    EXPECT_EQ(load_arch_list(testing::fixture("meas_nb201_good.json"), ss).size(), 3u);
    // Round trip through save_arch_list (with latencies: a valid measurement file).
    const std::vector<double> ms = {1.5, 2.5};
    save_arch_list(dir.path() + "/s.json", ss, {5, 7}, &ms, {{"note", "test"}});
    EXPECT_EQ(load_arch_list(dir.path() + "/s.json", ss), (std::vector<int32_t>{5, 7}));

    testing::expect_error([&] { load_arch_list(dir.write("b.txt", "12\nfoo\n"), ss); },
                          {"b.txt:2"});
    testing::expect_error([&] { load_arch_list(dir.write("c.txt", "12\n12\n"), ss); },
                          {"c.txt", "listed twice"});
    testing::expect_error([&] { load_arch_list(dir.write("d.txt", "# nothing\n"), ss); },
                          {"d.txt", "names no architecture"});
    testing::expect_error(
        [&] { load_arch_list(dir.write("e.json", "{\"space\": \"fbnet\", \"arch_index\": [1]}"), ss); },
        {"e.json", "fbnet"});
    testing::expect_error([&] { load_arch_list(dir.path() + "/missing.txt", ss); },
                          {"file not found", "missing.txt"});
    testing::expect_error([&] { load_arch_list(dir.write("f.txt", "99999\n"), ss); },
                          {"f.txt:1", "out of range"});
}

TEST_F(ArchListRealData, OpListsOutsideTheIndexedSpace) {
    const SearchSpace& fb = testing::fbnet_space();
    // An indexed network: graph, cost and text agree with the indexed accessors.
    const std::vector<int>& ops = fb.ops(17);
    EXPECT_EQ(fb.text_of_ops(ops), fb.arch_string(17));
    EXPECT_EQ(fb.cost_of_ops(ops).params, fb.params(17));
    EXPECT_EQ(fb.graph_of_ops(ops, GraphMode::Fixed).edges, fb.graph(17, GraphMode::Fixed).edges);
    // A network that is not one of the 5000 still has a graph and a cost.
    std::vector<int> other(22, 0);
    EXPECT_EQ(fb.find(other), -1);
    EXPECT_GT(fb.cost_of_ops(other).flops, 0.0);
    EXPECT_EQ(fb.graph_of_ops(other, GraphMode::Fixed).num_nodes, 24);
    testing::expect_error([&] { fb.cost_of_ops({1, 2}); }, {"22 ops"});
    testing::expect_error([&] { fb.graph_of_ops(std::vector<int>(22, 9), GraphMode::Fixed); },
                          {"out of range"});
}

// ---- plots ------------------------------------------------------------------------------

TEST(Plot, TicksAndSvgContent) {
    auto expect_ticks = [](const std::vector<double>& got, const std::vector<double>& want) {
        ASSERT_EQ(got.size(), want.size());
        for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12);
    };
    expect_ticks(nice_ticks(0, 1, 5), {0, 0.2, 0.4, 0.6, 0.8, 1.0});
    expect_ticks(nice_ticks(3, 97, 5), {20, 40, 60, 80});
    EXPECT_TRUE(nice_ticks(1, 1).empty());
    Panel p{"a <title> & more", "x", "y", true, true, true,
            {{"dots", {1, 10, 100, -1, NAN}, {2, 20, 200, 5, 1}, false, true},
             {"line", {1, 2}, {1, 2}, true, false}},
            {"note"}};
    const std::string svg = render_svg({p, p});
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("width=\"1040\""), std::string::npos);
    EXPECT_NE(svg.find("a &lt;title&gt; &amp; more"), std::string::npos);
    // 3 usable points per scatter (log axes drop -1, NaN drops), in each of 2 panels.
    size_t circles = 0;
    for (size_t at = 0; (at = svg.find("<circle", at)) != std::string::npos; ++at) ++circles;
    EXPECT_EQ(circles, 6u);
    EXPECT_NE(svg.find("<polyline"), std::string::npos);
    EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);  // the diagonal
    testing::expect_error([] { render_svg({}); }, {"nothing to draw"});
}

// ---- search -----------------------------------------------------------------------------

TEST(Search, BestUnderTheLimit) {
    const std::vector<double> ms = {5, 9, 12, 9, NAN};
    const std::vector<double> acc = {70, 80, 95, 80, 99};
    EXPECT_EQ(best_under(ms, acc, 10), 1);  // 1 and 3 tie: lower latency, then lower index
    EXPECT_EQ(best_under(ms, acc, 12), 2);
    EXPECT_EQ(best_under(ms, acc, 4), -1);
    EXPECT_EQ(best_under({5, 6}, {NAN, 1}, 10), 1);
    testing::expect_error([] { best_under({1}, {1, 2}, 1); }, {"best_under"});
}

TEST(Search, EvolutionFindsTheConstrainedOptimumOfAToyProblem) {
    // 10 positions x 4 ops; latency = sum of ops, objective = sum of op^2 with a bonus for op 3
    // at position 0. Limit 12: the optimum puts 3s on 4 positions (pos 0 included): 36 + 5.
    const BatchLatency latency = [](const std::vector<std::vector<int>>& batch) {
        std::vector<double> out;
        for (const auto& ops : batch) {
            double s = 0;
            for (int o : ops) s += o;
            out.push_back(s);
        }
        return out;
    };
    const Objective objective = [](const std::vector<int>& ops) {
        double s = ops[0] == 3 ? 5 : 0;
        for (int o : ops) s += o * o;
        return s;
    };
    EvolutionOptions o;
    o.generations = 150;
    o.seed = 7;
    const EvolutionResult r = evolve(10, 4, 12, latency, objective, o);
    ASSERT_FALSE(r.best_ops.empty());
    EXPECT_LE(r.best_latency_ms, 12);
    EXPECT_EQ(r.best_objective, 41);
    EXPECT_EQ(r.best_ops[0], 3);
    // Deterministic, and the best never gets worse over generations.
    const EvolutionResult again = evolve(10, 4, 12, latency, objective, o);
    EXPECT_EQ(again.best_ops, r.best_ops);
    EXPECT_EQ(again.evaluated, r.evaluated);
    for (size_t g = 1; g < r.best_by_generation.size(); ++g) {
        EXPECT_GE(r.best_by_generation[g], r.best_by_generation[g - 1]);
    }
    // Infeasible everywhere: nothing found, no crash.
    EXPECT_TRUE(evolve(10, 4, -1, latency, objective, o).best_ops.empty());
    testing::expect_error([&] { EvolutionOptions bad; bad.tournament = 0; evolve(3, 2, 1, latency, objective, bad); },
                          {"tournament"});
}

}  // namespace
}  // namespace nasflat::nas
