// search_space.cpp — see search_space.h.
#include "nas/space/search_space.h"

#include <cctype>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

namespace {

const std::vector<std::string> kNb201Vocab = {"none", "skip_connect", "nor_conv_1x1",
                                              "nor_conv_3x3", "avg_pool_3x3"};
const std::vector<std::string> kFbnetVocab = {"k3_e1",    "k3_e1_g2", "k3_e3", "k3_e6", "k5_e1",
                                              "k5_e1_g2", "k5_e3",    "k5_e6", "skip"};
constexpr int kNb201EdgeFrom[6] = {0, 0, 1, 0, 1, 2};

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool all_digits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

std::array<int, 6> as_edge_ops(const std::vector<int>& ops) {
    std::array<int, 6> a{};
    for (int e = 0; e < 6; ++e) a[e] = ops[e];
    return a;
}

// Reads archs[k].ops: `length` integers in [0, num_ops).
std::vector<int> read_ops(const Json& arch, const std::string& file, const std::string& at,
                          size_t length, int num_ops) {
    const Json& arr = as_array(require_key(arch, "ops", file, at), file, entry_key(at, "ops"));
    if (arr.size() != length) {
        file_error(file, entry_key(at, "ops"),
                   "has " + std::to_string(arr.size()) + " ops, expected " + std::to_string(length),
                   "");
    }
    std::vector<int> ops;
    for (size_t i = 0; i < arr.size(); ++i) {
        const std::string where = entry_at(entry_key(at, "ops"), i);
        int64_t v = as_int(arr[i], file, where);
        if (v < 0 || v >= num_ops) {
            file_error(file, where, "op " + std::to_string(v) + " out of range",
                       "ops are 0.." + std::to_string(num_ops - 1));
        }
        ops.push_back(static_cast<int>(v));
    }
    return ops;
}

}  // namespace

std::string nb201_arch_string(const std::array<int, 6>& edge_ops) {
    std::string s = "|";
    for (int e = 0; e < 6; ++e) {
        NASFLAT_CHECK(edge_ops[e] >= 0 && edge_ops[e] < 5, "NB201 edge op ", edge_ops[e],
                      " out of range 0..4");
        s += kNb201Vocab[edge_ops[e]] + "~" + std::to_string(kNb201EdgeFrom[e]) + "|";
        if (e == 0 || e == 2) s += "+|";
    }
    return s;
}

namespace {

// The header of archs.json: the space, the op vocabulary the graph encoding depends on, and
// the NB201 edge order / FBNet layer count.
void check_header(const Json& root, const std::string& file, Space space,
                  const std::vector<std::string>& vocab) {
    std::string declared = get_string(root, "space", file);
    if (declared != space_name(space)) {
        file_error(file, "space", "says '" + declared + "', expected '" + space_name(space) + "'",
                   "use the archs.json of the right space");
    }
    const Json& vocab_json = require_key(root, "op_vocab", file);
    if (vocab_json != Json(vocab)) {
        file_error(file, "op_vocab", "is " + vocab_json.dump() + ", expected " + Json(vocab).dump(),
                   "the graph encoding depends on this exact order");
    }
    if (space == Space::NB201) {
        Json expected_edges = Json::parse("[[0,1],[0,2],[1,2],[0,3],[1,3],[2,3]]");
        if (require_key(root, "edge_order", file) != expected_edges) {
            file_error(file, "edge_order", "differs from " + expected_edges.dump(), "");
        }
    } else if (get_int(root, "num_layers", file) != kFbnetNumLayers) {
        file_error(file, "num_layers", "expected 22", "");
    }
}

}  // namespace

SearchSpace SearchSpace::load(const std::string& data_dir, Space space) {
    SearchSpace ss;
    ss.space_ = space;
    ss.file_ = data_dir + "/" + space_name(space) + "/archs.json";
    const std::string& file = ss.file_;
    Json root = read_json_file(file);
    const bool nb201 = space == Space::NB201;
    ss.op_vocab_ = nb201 ? kNb201Vocab : kFbnetVocab;
    check_header(root, file, space, ss.op_vocab_);
    if (!nb201) ss.macro_ = parse_fbnet_macro(root, file);
    const FbnetMacro& macro = ss.macro_;

    const Json& archs = as_array(require_key(root, "archs", file), file, "archs");
    int64_t count = get_int(root, "count", file);
    if (count != static_cast<int64_t>(archs.size())) {
        file_error(file, "count",
                   "says " + std::to_string(count) + " but archs has " +
                       std::to_string(archs.size()) + " entries",
                   "make them agree");
    }
    for (size_t k = 0; k < archs.size(); ++k) {
        const std::string at = entry_at("archs", k);
        if (get_int(archs[k], "index", file, at) != static_cast<int64_t>(k)) {
            file_error(file, entry_key(at, "index"), "must equal its position " + std::to_string(k),
                       "archs are listed in index order");
        }
        std::vector<int> ops = nb201 ? read_ops(archs[k], file, at, 6, kNb201NumOps)
                                     : read_ops(archs[k], file, at, kFbnetNumLayers, kFbnetNumOps);
        if (nb201) {
            std::string text = get_string(archs[k], "arch_str", file, at);
            if (text != nb201_arch_string(as_edge_ops(ops))) {
                file_error(file, entry_key(at, "arch_str"), "does not match its ops", "");
            }
        }
        auto [it, fresh] = ss.index_of_.emplace(ops, static_cast<int>(k));
        if (!fresh) {
            file_error(file, at, "same ops as archs[" + std::to_string(it->second) + "]",
                       "every architecture must appear once");
        }
        ss.costs_.push_back(nb201 ? nb201_cost(as_edge_ops(ops)) : fbnet_cost(ops, macro));
        ss.ops_.push_back(std::move(ops));
    }
    if (nb201 && ss.ops_.size() != 15625) {
        file_error(file, "archs", "has " + std::to_string(ss.ops_.size()) + " cells",
                   "NB201 has exactly 15625 = 5^6 cells");
    }
    return ss;
}

void SearchSpace::check_index(int index, const std::string& what) const {
    if (index < 0 || index >= size()) {
        fail(what, " ", index, " is out of range for ", space_name(space_),
             "; fix: indices run from 0 to ", size() - 1);
    }
}

const std::vector<int>& SearchSpace::ops(int index) const {
    check_index(index);
    return ops_[index];
}

double SearchSpace::params(int index) const {
    check_index(index);
    return costs_[index].params;
}

double SearchSpace::flops(int index) const {
    check_index(index);
    return costs_[index].flops;
}

ArchGraph SearchSpace::graph(int index, GraphMode mode) const {
    return graph_of_ops(ops(index), mode);
}

void SearchSpace::check_ops(const std::vector<int>& o) const {
    const bool nb = space_ == Space::NB201;
    const size_t n = nb ? 6 : kFbnetNumLayers;
    const int vocab = nb ? kNb201NumOps : kFbnetNumOps;
    if (o.size() != n) fail(space_name(space_), " architectures have ", n, " ops, got ", o.size());
    for (int op : o) {
        if (op < 0 || op >= vocab) {
            fail(space_name(space_), " op ", op, " is out of range; fix: ops run from 0 to ",
                 vocab - 1);
        }
    }
}

ArchGraph SearchSpace::graph_of_ops(const std::vector<int>& o, GraphMode mode) const {
    check_ops(o);
    return space_ == Space::NB201 ? nb201_graph(as_edge_ops(o)) : fbnet_graph(o, mode);
}

Cost SearchSpace::cost_of_ops(const std::vector<int>& o) const {
    check_ops(o);
    return space_ == Space::NB201 ? nb201_cost(as_edge_ops(o)) : fbnet_cost(o, macro_);
}

std::string SearchSpace::text_of_ops(const std::vector<int>& o) const {
    check_ops(o);
    if (space_ == Space::NB201) return nb201_arch_string(as_edge_ops(o));
    std::string s;
    for (size_t i = 0; i < o.size(); ++i) s += (i ? "," : "") + std::to_string(o[i]);
    return s;
}

std::string SearchSpace::arch_string(int index) const {
    return text_of_ops(ops(index));
}

int SearchSpace::find(const std::vector<int>& ops) const {
    auto it = index_of_.find(ops);
    return it == index_of_.end() ? -1 : it->second;
}

std::vector<int> SearchSpace::parse_nb201_string(const std::string& text) const {
    const std::string usage =
        "write |op~0|+|op~0|op~1|+|op~0|op~1|op~2| with ops " + join_names(kNb201Vocab);
    std::vector<std::string> groups;
    size_t start = 0;
    for (size_t plus; (plus = text.find('+', start)) != std::string::npos; start = plus + 1) {
        groups.push_back(text.substr(start, plus - start));
    }
    groups.push_back(text.substr(start));
    if (groups.size() != 3) {
        fail("arch '", printable(text), "': expected 3 '+'-separated node groups, found ", groups.size(),
             "; fix: ", usage);
    }
    std::vector<int> ops;
    for (size_t g = 0; g < 3; ++g) {
        const std::string& group = groups[g];
        if (group.size() < 2 || group.front() != '|' || group.back() != '|') {
            fail("arch '", printable(text), "': node group ", g + 1, " '", printable(group, 40),
                 "' must start and end with '|'; fix: ", usage);
        }
        std::vector<std::string> tokens;
        size_t from = 1;
        for (size_t bar; (bar = group.find('|', from)) != std::string::npos; from = bar + 1) {
            tokens.push_back(group.substr(from, bar - from));
        }
        if (tokens.size() != g + 1) {
            fail("arch '", printable(text), "': node group ", g + 1, " has ", tokens.size(),
                 " inputs, expected ", g + 1, "; fix: ", usage);
        }
        for (size_t t = 0; t < tokens.size(); ++t) {
            size_t tilde = tokens[t].find('~');
            std::string name = tokens[t].substr(0, tilde);
            std::string src = tilde == std::string::npos ? "" : tokens[t].substr(tilde + 1);
            if (src != std::to_string(t)) {
                fail("arch '", printable(text), "': token '", printable(tokens[t], 40), "' must read <op>~", t,
                     " (input node ", t, ")", "; fix: ", usage);
            }
            int op = -1;
            for (size_t v = 0; v < kNb201Vocab.size(); ++v) {
                if (kNb201Vocab[v] == name) op = static_cast<int>(v);
            }
            if (op < 0) {
                std::string hint = closest_name(name, kNb201Vocab);
                fail("arch '", printable(text), "': unknown op '", printable(name, 40), "'",
                     hint.empty() ? "" : " (did you mean '" + hint + "'?)", "; fix: ops are ",
                     join_names(kNb201Vocab));
            }
            ops.push_back(op);
        }
    }
    return ops;
}

std::vector<int> SearchSpace::parse_op_list(const std::string& text) const {
    const bool nb201 = space_ == Space::NB201;
    const size_t length = nb201 ? 6 : kFbnetNumLayers;
    const int num_ops = nb201 ? kNb201NumOps : kFbnetNumOps;
    std::string body = text;
    if (!body.empty() && body.front() == '[') {
        if (body.back() != ']') fail("arch '", printable(text), "': '[' without closing ']'");
        body = body.substr(1, body.size() - 2);
    }
    std::vector<int> ops;
    std::string token;
    auto flush = [&]() {
        if (token.empty()) return;
        if (!all_digits(token) || token.size() > 3) {
            fail("arch '", printable(text), "': '", printable(token, 40), "' is not an op index; fix: give ", length,
                 " integers in 0..", num_ops - 1, " separated by commas");
        }
        ops.push_back(std::stoi(token));
        token.clear();
    };
    for (char c : body) {
        if (c == ',' || c == '_' || std::isspace(static_cast<unsigned char>(c))) {
            flush();
        } else {
            token += c;
        }
    }
    flush();
    if (ops.size() != length) {
        fail("arch '", printable(text), "': ", ops.size(), " ops, expected ", length, " (", space_name(space_),
             nb201 ? " edge ops" : " layer ops", "); fix: give ", length, " integers in 0..",
             num_ops - 1);
    }
    for (size_t i = 0; i < ops.size(); ++i) {
        if (ops[i] >= num_ops) {
            fail("arch '", printable(text), "': op ", ops[i], " at position ", i,
                 " is out of range; fix: ops are 0..", num_ops - 1, " (", join_names(op_vocab_),
                 ")");
        }
    }
    return ops;
}

std::vector<int> SearchSpace::parse_ops(const std::string& raw) const {
    const std::string text = trim(raw);
    if (text.empty()) fail("empty architecture; fix: give an arch string, an op list or an index");
    if (all_digits(text)) {
        if (text.size() > 9)
            fail("arch index ", printable(text, 40), " is out of range for ", space_name(space_),
                 "; fix: indices run from 0 to ", size() - 1);
        int index = std::stoi(text);
        check_index(index, "arch index");
        return ops_[index];
    }
    if (text.front() == '|') {
        if (space_ != Space::NB201) {
            fail("arch '", printable(text),
                 "' is an NB201 arch string but the space is fbnet; fix: give "
                 "22 layer ops like 7,8,1,... or an index");
        }
        return parse_nb201_string(text);
    }
    return parse_op_list(text);
}

int SearchSpace::parse_arch(const std::string& text) const {
    std::vector<int> o = parse_ops(text);
    int index = find(o);
    if (index < 0) {
        // Only possible for FBNet: NB201's archs.json holds every cell.
        fail("arch '", printable(trim(text)), "' is a valid FBNet network but not one of the ", size(),
             " measured architectures of ", file_,
             "; fix: pick one of those (nasflat can index only them)");
    }
    return index;
}

}  // namespace nasflat::nas
