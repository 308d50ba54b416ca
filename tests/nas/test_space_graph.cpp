// test_space_graph.cpp — space names, data-folder resolution, and the predictor graphs:
// NB201's sequential procedure (the authors' golden examples and properties over all 15625 cells,
// enumerated here without the data folder) and FBNet's reference / fixed graphs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "nas/space/arch_graph.h"
#include "nas/space/space.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;
using testing::TempDir;
using Edges = std::vector<std::pair<int, int>>;

TEST(Space, ParseAndName) {
    EXPECT_EQ(parse_space("nb201"), Space::NB201);
    EXPECT_EQ(parse_space("fbnet"), Space::FBNet);
    EXPECT_STREQ(space_name(Space::NB201), "nb201");
    EXPECT_STREQ(space_name(Space::FBNet), "fbnet");
    expect_error([] { parse_space("nb210"); },
                 {"unknown search space 'nb210'", "did you mean 'nb201'"});
    expect_error([] { parse_space(""); }, {"unknown search space", "fix: use nb201"});
    // The graph encoding is named like the model flavor it goes with (one enum).
    EXPECT_EQ(models::parse_flavor("reference"), GraphMode::Reference);
    EXPECT_EQ(models::parse_flavor("fixed"), GraphMode::Fixed);
    expect_error([] { models::parse_flavor("chain"); }, {"unknown config 'chain'"});
}

// Sets or unsets an environment variable for one scope, restoring the old value.
class EnvGuard {
  public:
    EnvGuard(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old, had_ = true;
        value ? setenv(name, value, 1) : unsetenv(name);
    }
    ~EnvGuard() { had_ ? setenv(name_, old_.c_str(), 1) : unsetenv(name_); }

  private:
    const char* name_;
    std::string old_;
    bool had_ = false;
};

// Runs with a different working directory for one scope.
class CwdGuard {
  public:
    explicit CwdGuard(const std::string& dir) : old_(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~CwdGuard() { std::filesystem::current_path(old_); }

  private:
    std::filesystem::path old_;
};

TEST(ResolveDataDir, OrderAndErrors) {
    TempDir good, empty;
    good.write("manifest.json", "{}");
    EnvGuard no_env("NASFLAT_DATA", nullptr);
    EXPECT_EQ(resolve_data_dir(good.path()), good.path());
    expect_error([&] { resolve_data_dir(empty.path()); },
                 {"--data '" + empty.path() + "'", "no manifest.json"});
    expect_error([] { resolve_data_dir("/no/such/folder"); }, {"does not exist"});
    {
        EnvGuard env("NASFLAT_DATA", good.path().c_str());
        EXPECT_EQ(resolve_data_dir(""), good.path());
        EXPECT_EQ(resolve_data_dir(good.path()), good.path());  // the flag wins
    }
    {
        EnvGuard env("NASFLAT_DATA", empty.path().c_str());  // explicit but wrong: no fall-through
        expect_error([] { resolve_data_dir(""); }, {"$NASFLAT_DATA", "has no manifest.json"});
    }
    // ./data and ../shared/data, relative to the working directory.
    TempDir root;
    root.write("work/data/manifest.json", "{}");
    root.write("shared/data/manifest.json", "{}");
    {
        CwdGuard cwd(root.path() + "/work");
        EXPECT_EQ(resolve_data_dir(""), "../shared/data");
    }
    std::filesystem::remove_all(root.path() + "/shared");
    {
        CwdGuard cwd(root.path() + "/work");
        EXPECT_EQ(resolve_data_dir(""), "./data");
    }
    {
        CwdGuard cwd(empty.path());
        expect_error([] { resolve_data_dir(""); }, {"no data folder found", "--data",
                                                    "$NASFLAT_DATA", "../shared/data", "./data"});
    }
}

// The authors' three golden examples (ops in archs.json vocabulary).
TEST(Nb201Graph, GoldenExamples) {
    struct Golden {
        std::array<int, 6> edge_ops;
        std::vector<int32_t> ops;
        Edges edges;
    };
    const Golden cases[] = {
        // idx 0
        // |avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|
        {{4, 2, 1, 2, 1, 1},
         {1, 2, 3, 6, 3, 6, 6, 0},
         {{0, 1}, {0, 2}, {0, 4}, {1, 7}, {2, 7}, {4, 7}}},
        // idx 3 |avg_pool_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|
        {{4, 1, 0, 0, 0, 1}, {1, 2, 6, 5, 5, 5, 6, 0}, {{0, 7}}},
        // idx 1
        // |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|
        {{3, 3, 4, 1, 3, 1},
         {1, 4, 4, 2, 6, 4, 6, 0},
         {{0, 1}, {0, 2}, {0, 7}, {1, 3}, {1, 5}, {2, 7}, {3, 7}, {5, 7}}},
    };
    for (const Golden& g : cases) {
        ArchGraph graph = nb201_graph(g.edge_ops);
        EXPECT_EQ(graph.num_nodes, 8);
        EXPECT_EQ(graph.ops, g.ops);
        EXPECT_EQ(graph.edges, g.edges);
    }
}

TEST(Nb201Graph, EdgeCases) {
    ArchGraph none = nb201_graph({0, 0, 0, 0, 0, 0});
    EXPECT_TRUE(none.edges.empty());
    EXPECT_EQ(none.ops, (std::vector<int32_t>{1, 5, 5, 5, 5, 5, 5, 0}));
    // All convs: the base DAG survives untouched.
    ArchGraph convs = nb201_graph({3, 3, 3, 3, 3, 3});
    EXPECT_EQ(
        convs.edges,
        (Edges{{0, 1}, {0, 2}, {0, 4}, {1, 3}, {1, 5}, {2, 6}, {3, 6}, {4, 7}, {5, 7}, {6, 7}}));
    // All skips: every path collapses onto input -> output.
    EXPECT_EQ(nb201_graph({1, 1, 1, 1, 1, 1}).edges, (Edges{{0, 7}}));
    // Only edge 0->3 is alive: the other nodes are pruned.
    EXPECT_EQ(nb201_graph({2, 0, 0, 3, 0, 0}).edges, (Edges{{0, 4}, {4, 7}}));
    EXPECT_THROW(nb201_graph({5, 0, 0, 0, 0, 0}), Error);
    EXPECT_THROW(nb201_graph({0, 0, -1, 0, 0, 0}), Error);
    EXPECT_EQ(nb201_model_op(0), 5);
    EXPECT_EQ(nb201_model_op(4), 2);
}

// Properties over all 5^6 cells: edges go forward, every edge lies on an input->output path,
// and the graph is empty exactly for the cells whose output is cut off from the input.
TEST(Nb201Graph, PropertiesOverAllCells) {
    int cut_off = 0;
    for (int code = 0; code < 15625; ++code) {
        std::array<int, 6> ops{};
        for (int e = 0, c = code; e < 6; ++e, c /= 5) ops[e] = c % 5;
        ArchGraph g = nb201_graph(ops);
        std::array<int, 6> live = nb201_live_ops(ops);
        bool connected = live != std::array<int, 6>{};
        cut_off += !connected;
        EXPECT_EQ(g.edges.empty(), !connected) << code;
        std::set<int> from, to;
        for (auto [i, j] : g.edges) {
            ASSERT_LT(i, j) << code;
            from.insert(i);
            to.insert(j);
        }
        for (int v : from) EXPECT_TRUE(v == 0 || to.count(v)) << code;  // reached from input
        for (int v : to) EXPECT_TRUE(v == 7 || from.count(v)) << code;  // reaches output
        // A node with a conv/pool op that survives pruning must be live in the cell.
        for (int v = 1; v <= 6; ++v) {
            if (from.count(v) && ops[v - 1] >= 2) {
                EXPECT_EQ(live[v - 1], ops[v - 1]) << code;
            }
        }
    }
    EXPECT_EQ(cut_off, 341);  // data/README.md: 341 cut-off cells
}

TEST(Nb201LiveOps, DeadEdgesBecomeNone) {
    EXPECT_EQ(nb201_live_ops({3, 3, 3, 3, 3, 3}), (std::array<int, 6>{3, 3, 3, 3, 3, 3}));
    // Node 1 has no input (edge 0->1 none): edges 1->2 and 1->3 are dead.
    EXPECT_EQ(nb201_live_ops({0, 2, 3, 4, 3, 2}), (std::array<int, 6>{0, 2, 0, 4, 0, 2}));
    // Node 2 never reaches the output (2->3 none): 0->2 and 1->2 are dead.
    EXPECT_EQ(nb201_live_ops({2, 3, 4, 1, 2, 0}), (std::array<int, 6>{2, 0, 0, 1, 2, 0}));
    EXPECT_EQ(nb201_live_ops({4, 4, 4, 0, 0, 0}), (std::array<int, 6>{}));
}

TEST(FbnetGraph, ReferenceAndFixed) {
    std::vector<int> ops = {7, 8, 1, 8, 4, 8, 8, 8, 7, 4, 1, 4, 7, 3, 2, 7, 3, 2, 4, 2, 4, 5};
    ArchGraph ref = fbnet_graph(ops, GraphMode::Reference);
    EXPECT_EQ(ref.num_nodes, 22);
    EXPECT_EQ(ref.ops, std::vector<int32_t>(ops.begin(), ops.end()));
    ASSERT_EQ(ref.edges.size(), 22u);
    for (int i = 0; i < 22; ++i) EXPECT_EQ(ref.edges[i], std::make_pair(i, i));

    ArchGraph fixed = fbnet_graph(ops, GraphMode::Fixed);
    EXPECT_EQ(fixed.num_nodes, 24);
    EXPECT_EQ(fixed.ops.front(), kFbnetInputOp);
    EXPECT_EQ(fixed.ops.back(), kFbnetOutputOp);
    EXPECT_EQ(std::vector<int32_t>(fixed.ops.begin() + 1, fixed.ops.end() - 1),
              std::vector<int32_t>(ops.begin(), ops.end()));
    ASSERT_EQ(fixed.edges.size(), 23u);
    for (int i = 0; i < 23; ++i) EXPECT_EQ(fixed.edges[i], std::make_pair(i, i + 1));

    expect_error([] { fbnet_graph(std::vector<int>(21, 0), GraphMode::Fixed); }, {"21 layer ops"});
    expect_error([] { fbnet_graph(std::vector<int>(22, 9), GraphMode::Reference); }, {"has op 9"});
}

}  // namespace
}  // namespace nasflat::nas
