// test_search_space.cpp — SearchSpace on the real archs.json files: index <-> ops <-> text for
// every architecture, parse errors, graphs, and the analytic params/flops against zcp.json.
#include <gtest/gtest.h>

#include <cmath>

#include "nas/base/metrics.h"
#include "nas/data/zcp.h"
#include "nas/space/search_space.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::expect_error;
using testing::fbnet_space;
using testing::nb201_space;
using SearchSpaceTest = testing::RealData;

const char* kNb201Arch0 =
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~"
    "2|";
const char* kNb201Arch1 =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~"
    "2|";

TEST_F(SearchSpaceTest, Nb201IndexOpsTextRoundTrip) {
    const SearchSpace& ss = nb201_space();
    ASSERT_EQ(ss.size(), 15625);
    EXPECT_EQ(ss.space(), Space::NB201);
    EXPECT_EQ(ss.arch_string(0), kNb201Arch0);
    EXPECT_EQ(ss.arch_string(1), kNb201Arch1);
    EXPECT_EQ(ss.ops(0), (std::vector<int>{4, 2, 1, 2, 1, 1}));
    for (int i = 0; i < ss.size(); ++i) {
        ASSERT_EQ(ss.parse_arch(ss.arch_string(i)), i);
        ASSERT_EQ(ss.find(ss.ops(i)), i);
    }
    EXPECT_EQ(ss.parse_arch("4,2,1,2,1,1"), 0);
    EXPECT_EQ(ss.parse_arch(" [4, 2, 1, 2, 1, 1] "), 0);
    EXPECT_EQ(ss.parse_arch("17"), 17);
    EXPECT_EQ(ss.parse_arch("15624"), 15624);
    // The authors' golden graph through the data file.
    EXPECT_EQ(ss.graph(0, GraphMode::Reference).edges,
              (std::vector<std::pair<int, int>>{{0, 1}, {0, 2}, {0, 4}, {1, 7}, {2, 7}, {4, 7}}));
    EXPECT_EQ(ss.graph(3, GraphMode::Fixed).edges, (std::vector<std::pair<int, int>>{{0, 7}}));
}

TEST_F(SearchSpaceTest, Nb201ParseErrors) {
    const SearchSpace& ss = nb201_space();
    auto parse = [&](const std::string& text) { return [&ss, text] { ss.parse_arch(text); }; };
    expect_error(parse("|avg_pool_3x3~0|+|conv_1x1~0|skip_connect~1|+|none~0|none~1|none~2|"),
                 {"unknown op 'conv_1x1'", "did you mean 'nor_conv_1x1'", "fix: ops are"});
    expect_error(parse("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|"),
                 {"expected 3 '+'-separated node groups, found 2"});
    expect_error(parse("|avg_pool_3x3~0|+|nor_conv_1x1~1|skip_connect~1|+|none~0|none~1|none~2|"),
                 {"token 'nor_conv_1x1~1' must read <op>~0"});
    expect_error(parse("|avg_pool_3x3~0|+|nor_conv_1x1~0|+|none~0|none~1|none~2|"),
                 {"node group 2 has 1 inputs, expected 2"});
    expect_error(parse("avg_pool_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
                 {"not an op index"});
    expect_error(parse("|avg_pool_3x3~0+|none~0|none~1|+|none~0|none~1|none~2|"),
                 {"must start and end with '|'"});
    expect_error(parse("15625"), {"15625 is out of range", "0 to 15624"});
    expect_error(parse("99999999999"), {"out of range"});
    expect_error(parse("4,2,1,2,1"), {"5 ops, expected 6"});
    expect_error(parse("4,2,1,2,1,7"), {"op 7 at position 5 is out of range", "0..4"});
    expect_error(parse("4,2,x,2,1,1"), {"'x' is not an op index"});
    expect_error(parse("  "), {"empty architecture"});
    expect_error([&] { ss.ops(-1); }, {"-1 is out of range"});
    expect_error([&] { ss.graph(15625, GraphMode::Reference); }, {"15625 is out of range"});
}

TEST_F(SearchSpaceTest, FbnetIndexOpsText) {
    const SearchSpace& ss = fbnet_space();
    ASSERT_EQ(ss.size(), 5000);
    const std::string arch0 = "7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5";
    EXPECT_EQ(ss.arch_string(0), arch0);
    EXPECT_EQ(ss.parse_arch(arch0), 0);
    EXPECT_EQ(ss.parse_arch("7_8_1_8_4_8_8_8_7_4_1_4_7_3_2_7_3_2_4_2_4_5"), 0);  // HELP's key
    EXPECT_EQ(ss.parse_arch("[7, 8, 1, 8, 4, 8, 8, 8, 7, 4, 1, 4, 7, 3, 2, 7, 3, 2, 4, 2, 4, 5]"),
              0);
    for (int i = 0; i < ss.size(); ++i) ASSERT_EQ(ss.parse_arch(ss.arch_string(i)), i);
    EXPECT_EQ(ss.graph(0, GraphMode::Reference).num_nodes, 22);
    EXPECT_EQ(ss.graph(0, GraphMode::Fixed).num_nodes, 24);
    EXPECT_EQ(ss.graph(0, GraphMode::Fixed).ops[1], 7);

    auto parse = [&](const std::string& text) { return [&ss, text] { ss.parse_arch(text); }; };
    expect_error(parse("7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4"), {"21 ops, expected 22"});
    expect_error(parse("7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,9"),
                 {"op 9 at position 21", "k3_e1"});
    expect_error(parse(kNb201Arch0), {"NB201 arch string but the space is fbnet"});
    expect_error(parse("5000"), {"5000 is out of range", "0 to 4999"});
    // A valid network that HELP did not sample: all k3_e1.
    std::vector<int> plain(22, 0);
    ASSERT_EQ(ss.find(plain), -1);
    expect_error(parse("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"),
                 {"valid FBNet network but not one of the 5000"});
    EXPECT_EQ(ss.parse_ops("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"), plain);
}

// nb201 all_cells stores the analytic counts / 1e6; the README verified them bit-exactly.
TEST_F(SearchSpaceTest, Nb201CostsEqualZcpAllCells) {
    const SearchSpace& ss = nb201_space();
    ZcpTable z = load_zcp(data_, Space::NB201, ss.size());
    for (int i = 0; i < ss.size(); ++i) {
        ASSERT_EQ(ss.flops(i) / 1e6, z.all_flops[i]) << i;
        ASSERT_EQ(ss.params(i) / 1e6, z.all_params[i]) << i;
    }
    EXPECT_EQ(ss.params(ss.parse_arch("0,0,0,0,0,0")), 73306.0);  // the all-none cell
}

// FBNet: exact parameter count equals zcp "params"; MACs rank like flopth's flops.
TEST_F(SearchSpaceTest, FbnetCostsAgreeWithZcp) {
    const SearchSpace& ss = fbnet_space();
    ZcpTable z = load_zcp(data_, Space::FBNet, ss.size());
    std::vector<double> macs, flops = z.proxy("flops");
    for (size_t k = 0; k < z.arch_index.size(); ++k) {
        ASSERT_EQ(ss.params(z.arch_index[k]), z.proxy("params")[k]) << k;
        macs.push_back(ss.flops(z.arch_index[k]));
    }
    EXPECT_GT(spearman(macs, flops), 0.999);  // README: 0.9996
}

}  // namespace
}  // namespace nasflat::nas
