// collate.cpp — building a ModelBatch on the host and copying it to its device.
#include "models/collate.h"

#include <algorithm>

#include "kernels/base/check.h"

namespace nasflat::models {
namespace {

void validate(const ArchGraph& g, size_t b, const ModelConfig& config) {
    NASFLAT_CHECK(g.num_nodes >= 2, "collate: graph ", b, " has ", g.num_nodes,
                  " nodes; hint: every graph needs an input and an output node");
    NASFLAT_CHECK(static_cast<int>(g.ops.size()) == g.num_nodes, "collate: graph ", b, " has ",
                  g.ops.size(), " ops for ", g.num_nodes, " nodes");
    for (int i = 1; i + 1 < g.num_nodes; ++i) {
        NASFLAT_CHECK(g.ops[i] >= 0 && g.ops[i] < config.op_vocab, "collate: graph ", b, " node ",
                      i, " has op ", g.ops[i], ", outside [0, ", config.op_vocab, ")");
    }
    for (const auto& [from, to] : g.edges) {
        NASFLAT_CHECK(from >= 0 && from < g.num_nodes && to >= 0 && to < g.num_nodes,
                      "collate: graph ", b, " has edge ", from, " -> ", to, " outside its ",
                      g.num_nodes, " nodes");
    }
}

}  // namespace

ModelBatch collate(const std::vector<const ArchGraph*>& graphs, const std::vector<int32_t>& devices,
                   const float* supp, int supp_dim, const ModelConfig& config, Device device) {
    NASFLAT_CHECK(graphs.size() == devices.size(), "collate: ", graphs.size(), " graphs but ",
                  devices.size(), " device ids");
    NASFLAT_CHECK(supp_dim == config.supp_dim, "collate: supplementary encoding of width ",
                  supp_dim, " for a model built for ", config.supp_dim);
    NASFLAT_CHECK(supp_dim == 0 || supp != nullptr || graphs.empty(),
                  "collate: the model needs a supplementary encoding of width ", supp_dim);
    const int32_t G = static_cast<int32_t>(graphs.size());
    const int32_t input_row = config.op_vocab, output_row = config.op_vocab + 1;
    const int32_t hw_input_row = config.device_vocab, hw_output_row = config.device_vocab + 1;

    std::vector<int32_t> seg{0}, op_rows, hw_rows, node_type, out_nodes, node_graph;
    std::vector<int32_t> pred_r, pred_c, att_r, att_c;
    // Distinct (op row, device row) pairs: pair_of[op * hw_span + hw] is a pair's number or -1.
    // With hwemb_to_mlp the gate vectors ignore the device, so the pair is the op row alone.
    const int32_t hw_span = config.device_vocab + 2;
    std::vector<int32_t> pair_of(static_cast<size_t>(config.op_vocab + 2) * hw_span, -1);
    std::vector<int32_t> gate_rows, gate_op_rows, gate_hw_rows;
    std::vector<float> att_mask, readout;
    for (int32_t b = 0; b < G; ++b) {
        const ArchGraph& g = *graphs[b];
        validate(g, b, config);
        NASFLAT_CHECK(devices[b] >= 0 && devices[b] < config.device_vocab, "collate: device id ",
                      devices[b], " of graph ", b, " outside [0, ", config.device_vocab, ")");
        const int32_t base = seg.back(), n = g.num_nodes;
        // Dense predecessor matrix of this graph: is_pred[i * n + l] = edge l -> i.
        std::vector<char> is_pred(static_cast<size_t>(n) * n, 0);
        for (const auto& [from, to] : g.edges) is_pred[static_cast<size_t>(to) * n + from] = 1;
        int read_count = 0;
        for (int i = 1; i < n; ++i) {
            bool none = config.flavor == Flavor::Fixed && i + 1 < n && g.ops[i] == config.none_op;
            read_count += none ? 0 : 1;
        }
        for (int i = 0; i < n; ++i) {
            const bool input = i == 0, output = i == n - 1;
            op_rows.push_back(input ? input_row : output ? output_row : g.ops[i]);
            hw_rows.push_back(input ? hw_input_row : output ? hw_output_row : devices[b]);
            node_type.push_back(input ? 0 : 1);
            const int32_t hw_key = config.hwemb_to_mlp ? 0 : hw_rows.back();
            int32_t& pair = pair_of[static_cast<size_t>(op_rows.back()) * hw_span + hw_key];
            if (pair < 0) {
                pair = static_cast<int32_t>(gate_op_rows.size());
                gate_op_rows.push_back(op_rows.back());
                gate_hw_rows.push_back(hw_rows.back());
            }
            gate_rows.push_back(pair);
            node_graph.push_back(b);
            bool none = config.flavor == Flavor::Fixed && !output && g.ops[i] == config.none_op;
            readout.push_back(input || none ? 0.0f : 1.0f / static_cast<float>(read_count));
            for (int l = 0; l < n; ++l) {
                const bool p = is_pred[static_cast<size_t>(i) * n + l] != 0;
                if (p) {
                    pred_r.push_back(base + i);
                    pred_c.push_back(base + l);
                }
                if (config.flavor == Flavor::Reference) {
                    att_r.push_back(base + i);
                    att_c.push_back(base + l);
                    att_mask.push_back(p ? 1.0f : 0.0f);
                } else if (p || l == i) {
                    att_r.push_back(base + i);
                    att_c.push_back(base + l);
                }
            }
        }
        out_nodes.push_back(base + n - 1);
        seg.push_back(base + n);
    }
    const int32_t N = seg.back();

    ModelBatch batch;
    batch.num_graphs = G;
    batch.num_nodes = N;
    for (int32_t b = 0; b < G; ++b) {
        batch.max_nodes = std::max(batch.max_nodes, seg[b + 1] - seg[b]);
    }
    batch.device = device;
    batch.seg_ptr = IntArray::from_host(seg, device);
    batch.pred = Csr::from_pairs(N, N, pred_r, pred_c, device, "collate: predecessor graph");
    batch.attention = Csr::from_pairs(N, N, att_r, att_c, device, "collate: attention graph");
    if (config.flavor == Flavor::Reference) {
        batch.attention_mask =
            Tensor::from_vector(att_mask, {static_cast<int64_t>(att_mask.size())}, device);
    }
    batch.node_type = IndexMap::make(node_type, 2, device, "collate: node types");
    const int32_t P = static_cast<int32_t>(gate_op_rows.size());
    batch.gate_rows = IndexMap::make(gate_rows, P, device, "collate: gate rows");
    batch.gate_op_rows =
        IndexMap::make(gate_op_rows, config.op_vocab + 2, device, "collate: op ids");
    batch.gate_hw_rows =
        IndexMap::make(gate_hw_rows, config.device_vocab + 2, device, "collate: device ids");
    batch.output_nodes = IndexMap::make(out_nodes, N, device, "collate: output nodes");
    batch.node_graph = IndexMap::make(node_graph, G, device, "collate: node graphs");
    batch.graph_device = IndexMap::make(devices, config.device_vocab, device, "collate: devices");
    batch.readout_weight = Tensor::from_vector(readout, {N}, device);
    if (supp_dim > 0) {
        std::vector<float> s(supp, supp + static_cast<size_t>(G) * supp_dim);
        batch.supp = Tensor::from_vector(s, {G, supp_dim}, device);
    }
    return batch;
}

}  // namespace nasflat::models
