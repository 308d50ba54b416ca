// search_space.h — the architectures of one space, loaded from <data>/<space>/archs.json:
// index <-> ops <-> text, graphs for the predictor, and analytic params/flops.
//   NB201: 15625 cells, index = NB201 API index, ops = 6 edge ops (none=0 skip=1 conv1x1=2
//          conv3x3=3 avgpool=4) in edge order 0->1, 0->2, 1->2, 0->3, 1->3, 2->3;
//          text = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|...~0|...~1|...~2|".
//   FBNet: 5000 networks (HELP's order), ops = 22 layer choices 0..8; text = "7,8,1,...".
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nas/space/arch_graph.h"
#include "nas/space/cost_model.h"
#include "nas/space/space.h"

namespace nasflat::nas {

class SearchSpace {
  public:
    // Reads and validates archs.json (count, index order, op ranges, arch strings agree with
    // ops, no duplicate architecture, NB201 covers all 5^6 cells). Errors name file and entry.
    static SearchSpace load(const std::string& data_dir, Space space);

    Space space() const { return space_; }
    int size() const { return static_cast<int>(ops_.size()); }
    const std::string& file() const { return file_; }
    // Op names in archs.json vocabulary order (5 for NB201, 9 for FBNet).
    const std::vector<std::string>& op_vocab() const { return op_vocab_; }

    ArchGraph graph(int index, GraphMode mode) const;
    // Graph, cost and text of any op list of the space (indexed or not; e.g. an FBNet network
    // outside the 5000, made by a search). Ops are checked, else an error.
    ArchGraph graph_of_ops(const std::vector<int>& ops, GraphMode mode) const;
    Cost cost_of_ops(const std::vector<int>& ops) const;
    std::string text_of_ops(const std::vector<int>& ops) const;
    std::string arch_string(int index) const;
    // 6 edge ops (NB201) or 22 layer ops (FBNet).
    const std::vector<int>& ops(int index) const;
    double params(int index) const;  // parameter count
    double flops(int index) const;   // see cost_model.h for what is counted

    // Accepts, for NB201: an arch string, 6 comma-separated edge ops ("4,2,1,2,1,1") or an index;
    // for FBNet: 22 comma/underscore/space-separated layer ops, optionally in [...], or an index.
    // Returns the index; unknown op, wrong length, malformed text, index out of range, or an
    // FBNet network outside the 5000 -> one-line error.
    int parse_arch(const std::string& text) const;
    // The ops the text describes, without requiring them to be an indexed architecture (an
    // index is still resolved); the same validation as parse_arch.
    std::vector<int> parse_ops(const std::string& text) const;
    // Index of an op vector; -1 when no architecture of the space has these ops.
    int find(const std::vector<int>& ops) const;
    // Throws unless 0 <= index < size(); `what` names the caller for the message.
    void check_index(int index, const std::string& what = "architecture index") const;

  private:
    void check_ops(const std::vector<int>& ops) const;
    std::vector<int> parse_nb201_string(const std::string& text) const;
    std::vector<int> parse_op_list(const std::string& text) const;

    Space space_ = Space::NB201;
    std::string file_;
    FbnetMacro macro_;  // FBNet only
    std::vector<std::string> op_vocab_;
    std::vector<std::vector<int>> ops_;
    std::vector<Cost> costs_;
    std::map<std::vector<int>, int> index_of_;
};

// NB201 arch string of 6 edge ops, e.g. "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+...".
std::string nb201_arch_string(const std::array<int, 6>& edge_ops);

}  // namespace nasflat::nas
