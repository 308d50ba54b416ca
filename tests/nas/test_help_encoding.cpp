// test_help_encoding.cpp — HELP's architecture encodings (nas/data/help_encoding.h): the NB201
// graph with its global node on known cells, the FBNet 132-d vector on known layers, and both
// on the data folder's architectures.
#include <gtest/gtest.h>

#include "nas/data/help_encoding.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;

// NB201 arch 0: |avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|
// skip_connect~2| -> edge ops (0->1 avgpool=4, 0->2 conv1x1=2, 1->2 skip=1, 0->3 conv1x1=2,
// 1->3 skip=1, 2->3 skip=1).
TEST(HelpEncoding, Nb201KnownCell) {
    const HelpNb201Graph g = help_nb201_graph({4, 2, 1, 2, 1, 1});
    // Row i lists what feeds node i (transposed), with self-loops; the last row is all ones.
    const std::vector<float> expected_adjacency = {
        1, 0, 0, 0, 0, 0, 0, 0, 0,  // 0 input: itself
        1, 1, 0, 0, 0, 0, 0, 0, 0,  // 1 edge 0->1: input
        1, 0, 1, 0, 0, 0, 0, 0, 0,  // 2 edge 0->2: input
        0, 1, 0, 1, 0, 0, 0, 0, 0,  // 3 edge 1->2: edge 0->1
        1, 0, 0, 0, 1, 0, 0, 0, 0,  // 4 edge 0->3: input
        0, 1, 0, 0, 0, 1, 0, 0, 0,  // 5 edge 1->3: edge 0->1
        0, 0, 1, 1, 0, 0, 1, 0, 0,  // 6 edge 2->3: edges 0->2, 1->2
        0, 0, 0, 0, 1, 1, 1, 1, 0,  // 7 output: edges into vertex 3
        1, 1, 1, 1, 1, 1, 1, 1, 1,  // 8 global: every node
    };
    EXPECT_EQ(g.adjacency, expected_adjacency);
    // Features: input, none, skip, conv1x1, conv3x3, avgpool, output, global.
    const std::vector<float> expected_features = {
        1, 0, 0, 0, 0, 0, 0, 0,  // input
        0, 0, 0, 0, 0, 1, 0, 0,  // avgpool
        0, 0, 0, 1, 0, 0, 0, 0,  // conv1x1
        0, 0, 1, 0, 0, 0, 0, 0,  // skip
        0, 0, 0, 1, 0, 0, 0, 0,  // conv1x1
        0, 0, 1, 0, 0, 0, 0, 0,  // skip
        0, 0, 1, 0, 0, 0, 0, 0,  // skip
        0, 0, 0, 0, 0, 0, 1, 0,  // output
        0, 0, 0, 0, 0, 0, 0, 1,  // global
    };
    EXPECT_EQ(g.features, expected_features);
}

TEST(HelpEncoding, Nb201AdjacencyIsTheSameForEveryCellAndOpsChangeFeaturesOnly) {
    const HelpNb201Graph none = help_nb201_graph({0, 0, 0, 0, 0, 0});
    const HelpNb201Graph conv = help_nb201_graph({3, 3, 3, 3, 3, 3});
    EXPECT_EQ(none.adjacency, conv.adjacency);
    for (int k = 1; k <= 6; ++k) {
        EXPECT_EQ(none.features[k * kHelpNb201Features + 1], 1.0f);  // none
        EXPECT_EQ(conv.features[k * kHelpNb201Features + 4], 1.0f);  // conv3x3
    }
    int ones = 0;
    for (float a : none.adjacency) ones += a == 1.0f;
    EXPECT_EQ(ones, 10 + 9 + 8);  // DAG edges + self-loops + edges into the global node
}

TEST(HelpEncoding, FbnetKnownLayers) {
    // k3_e1, k3_e1_g2, k3_e3, k3_e6, k5_e1, k5_e1_g2, k5_e3, k5_e6, skip, then 13 x k5_e6.
    std::vector<int> ops = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    ops.resize(22, 7);
    const std::vector<float> v = help_fbnet_vector(ops);
    ASSERT_EQ(v.size(), 132u);
    const std::vector<std::vector<float>> rows = {
        {1, 0, 1, 0, 0, 0}, {1, 0, 0, 1, 0, 0}, {1, 0, 0, 0, 1, 0}, {1, 0, 0, 0, 0, 1},
        {0, 1, 1, 0, 0, 0}, {0, 1, 0, 1, 0, 0}, {0, 1, 0, 0, 1, 0}, {0, 1, 0, 0, 0, 1},
        {0, 0, 0, 0, 0, 0}};
    for (size_t l = 0; l < 22; ++l) {
        const std::vector<float>& want = l < rows.size() ? rows[l] : rows[7];
        for (int c = 0; c < 6; ++c) EXPECT_EQ(v[l * 6 + c], want[c]) << "layer " << l << " col " << c;
    }
}

TEST(HelpEncoding, BadInputIsAnError) {
    expect_error([] { help_nb201_graph({0, 1, 2}); }, {"6 edge ops", "got 3"});
    expect_error([] { help_nb201_graph({0, 1, 2, 3, 4, 5}); }, {"edge 5", "op 5"});
    expect_error([] { help_fbnet_vector(std::vector<int>(21, 0)); }, {"22 layer ops"});
    std::vector<int> bad(22, 0);
    bad[3] = 9;
    expect_error([&] { help_fbnet_vector(bad); }, {"layer 3", "op 9"});
}

class HelpEncodingData : public testing::RealData {};

TEST_F(HelpEncodingData, ArchitecturesOfTheDataFolder) {
    const SearchSpace& nb = testing::nb201_space();
    const HelpNb201Graph g = help_nb201_graph(nb.ops(0));
    EXPECT_EQ(g.features, help_nb201_graph({4, 2, 1, 2, 1, 1}).features);  // arch 0, above
    // FBNet arch 0 = 7,8,1,8,4,...: layer 0 k5_e6, layer 1 skip, layer 2 k3_e1_g2.
    const std::vector<float> v = help_fbnet_vector(testing::fbnet_space().ops(0));
    EXPECT_EQ(std::vector<float>(v.begin(), v.begin() + 18),
              (std::vector<float>{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0}));
    float ones = 0;
    for (float x : v) ones += x;
    int non_skip = 0;
    for (int op : testing::fbnet_space().ops(0)) non_skip += op != 8;
    EXPECT_EQ(ones, 2.0f * non_skip);
}

}  // namespace
}  // namespace nasflat::nas
