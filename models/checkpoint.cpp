// checkpoint.cpp — see checkpoint.h for the file layout.
#include "models/checkpoint.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "kernels/base/check.h"

namespace nasflat::models {
namespace {

constexpr char kMagic[8] = {'N', 'A', 'S', 'F', 'L', 'A', 'T', 'C'};

uint64_t fnv1a(const std::string& bytes) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

template <typename T>
void put(std::string& out, const T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

template <typename T>
T get(const std::string& in, size_t& pos, const std::string& path) {
    NASFLAT_CHECK(pos + sizeof(T) <= in.size(), "checkpoint '", path,
                  "' is truncated; hint: the file was cut short, save it again");
    T v;
    std::memcpy(&v, in.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
}

}  // namespace

nlohmann::json config_to_json(const ModelConfig& c) {
    return {{"flavor", flavor_name(c.flavor)},
            {"layer_type", layer_type_name(c.layer_type)},
            {"fuse", fuse_name(c.fuse)},
            {"hwemb_to_mlp", c.hwemb_to_mlp},
            {"op_vocab", c.op_vocab},
            {"device_vocab", c.device_vocab},
            {"gate_dim", c.gate_dim},
            {"hw_dim", c.hw_dim},
            {"node_dim", c.node_dim},
            {"hidden_dim", c.hidden_dim},
            {"op_update_dims", c.op_update_dims},
            {"main_dims", c.main_dims},
            {"output_mlp_dims", c.output_mlp_dims},
            {"update_hidden", c.update_hidden},
            {"head_dims", c.head_dims},
            {"head_dropout", c.head_dropout},
            {"supp_dim", c.supp_dim},
            {"supp_hidden", c.supp_hidden},
            {"supp_dropout", c.supp_dropout},
            {"supp_out", c.supp_out},
            {"hw_mlp_dim", c.hw_mlp_dim},
            {"leaky_slope", c.leaky_slope},
            {"ln_eps", c.ln_eps},
            {"none_op", c.none_op}};
}

ModelConfig config_from_json(const nlohmann::json& j, const std::string& file) {
    try {
        ModelConfig c;
        c.flavor = parse_flavor(j.at("flavor").get<std::string>());
        c.layer_type = parse_layer_type(j.at("layer_type").get<std::string>());
        c.fuse = parse_fuse(j.at("fuse").get<std::string>());
        c.hwemb_to_mlp = j.at("hwemb_to_mlp").get<bool>();
        c.op_vocab = j.at("op_vocab").get<int>();
        c.device_vocab = j.at("device_vocab").get<int>();
        c.gate_dim = j.at("gate_dim").get<int>();
        c.hw_dim = j.at("hw_dim").get<int>();
        c.node_dim = j.at("node_dim").get<int>();
        c.hidden_dim = j.at("hidden_dim").get<int>();
        c.op_update_dims = j.at("op_update_dims").get<std::vector<int>>();
        c.main_dims = j.at("main_dims").get<std::vector<int>>();
        c.output_mlp_dims = j.at("output_mlp_dims").get<std::vector<int>>();
        c.update_hidden = j.at("update_hidden").get<int>();
        c.head_dims = j.at("head_dims").get<std::vector<int>>();
        c.head_dropout = j.at("head_dropout").get<float>();
        c.supp_dim = j.at("supp_dim").get<int>();
        c.supp_hidden = j.at("supp_hidden").get<std::vector<int>>();
        c.supp_dropout = j.at("supp_dropout").get<float>();
        c.supp_out = j.at("supp_out").get<int>();
        c.hw_mlp_dim = j.at("hw_mlp_dim").get<int>();
        c.leaky_slope = j.at("leaky_slope").get<float>();
        c.ln_eps = j.at("ln_eps").get<float>();
        c.none_op = j.at("none_op").get<int>();
        return c;
    } catch (const nlohmann::json::exception& e) {
        fail("checkpoint '", file, "': bad model configuration (", e.what(),
             "); hint: the file is not a nasflat checkpoint of this version");
    }
}

void save_checkpoint(const std::string& path, const NasflatModel& model,
                     const nlohmann::json& metadata) {
    const ParameterStore& params = model.params();
    nlohmann::json table = nlohmann::json::array();
    for (size_t i = 0; i < params.names().size(); ++i) {
        table.push_back({{"name", params.names()[i]}, {"shape", params.tensors()[i].shape()}});
    }
    nlohmann::json header = {{"config", config_to_json(model.config())},
                             {"parameters", table},
                             {"numel", params.numel()},
                             {"metadata", metadata}};
    const std::string text = header.dump();
    std::string bytes(kMagic, sizeof(kMagic));
    put(bytes, kCheckpointVersion);
    put(bytes, static_cast<uint64_t>(text.size()));
    bytes += text;
    std::vector<float> values = params.values_to_host();
    bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    put(bytes, fnv1a(bytes));

    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary);
        NASFLAT_CHECK(f.good(), "cannot write checkpoint '", path,
                      "'; hint: check that the folder exists and is writable");
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        NASFLAT_CHECK(f.good(), "writing checkpoint '", path, "' failed (disk full?)");
    }
    NASFLAT_CHECK(std::rename(tmp.c_str(), path.c_str()) == 0, "cannot rename '", tmp, "' to '",
                  path, "'");
}

Checkpoint load_checkpoint(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    NASFLAT_CHECK(f.good(), "cannot open checkpoint '", path, "'; hint: check the path");
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string bytes = ss.str();
    NASFLAT_CHECK(bytes.size() >= sizeof(kMagic) && std::memcmp(bytes.data(), kMagic, 8) == 0,
                  "'", path, "' is not a nasflat checkpoint (bad magic); hint: pass a file "
                  "written by `nasflat pretrain` or `nasflat transfer`");
    size_t pos = sizeof(kMagic);
    const uint32_t version = get<uint32_t>(bytes, pos, path);
    NASFLAT_CHECK(version == kCheckpointVersion, "checkpoint '", path, "' has format version ",
                  version, ", this nasflat reads version ", kCheckpointVersion);
    NASFLAT_CHECK(bytes.size() >= pos + sizeof(uint64_t) + sizeof(uint64_t),
                  "checkpoint '", path, "' is truncated");
    uint64_t stored = 0;
    std::memcpy(&stored, bytes.data() + bytes.size() - 8, sizeof(stored));
    NASFLAT_CHECK(fnv1a(bytes.substr(0, bytes.size() - 8)) == stored, "checkpoint '", path,
                  "' is corrupt (checksum mismatch); hint: the file was damaged or truncated");
    const uint64_t header_len = get<uint64_t>(bytes, pos, path);
    NASFLAT_CHECK(pos + header_len <= bytes.size() - 8, "checkpoint '", path, "' is truncated");
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(bytes.substr(pos, header_len));
    } catch (const nlohmann::json::exception& e) {
        fail("checkpoint '", path, "': unreadable header (", e.what(), ")");
    }
    pos += header_len;
    Checkpoint c;
    c.config = config_from_json(header.at("config"), path);
    c.metadata = header.value("metadata", nlohmann::json::object());
    const int64_t numel = header.at("numel").get<int64_t>();
    NASFLAT_CHECK(numel >= 0 && pos + static_cast<uint64_t>(numel) * sizeof(float) == bytes.size() - 8,
                  "checkpoint '", path, "': ", numel, " parameters do not match the file size");
    c.values.resize(static_cast<size_t>(numel));
    std::memcpy(c.values.data(), bytes.data() + pos, c.values.size() * sizeof(float));
    // Shapes: a model built from the config must have exactly this parameter table.
    NasflatModel probe(c.config, 0);
    const auto& names = probe.params().names();
    const auto& table = header.at("parameters");
    NASFLAT_CHECK(table.size() == names.size(), "checkpoint '", path, "' has ", table.size(),
                  " parameters, its configuration builds ", names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        const auto shape = table[i].at("shape").get<Shape>();
        NASFLAT_CHECK(table[i].at("name") == names[i] && shape == probe.params().tensors()[i].shape(),
                      "checkpoint '", path, "': parameter ", i, " is ", table[i].at("name").get<std::string>(),
                      " ", shape_str(shape), ", expected ", names[i], " ",
                      shape_str(probe.params().tensors()[i].shape()));
    }
    return c;
}

std::unique_ptr<NasflatModel> Checkpoint::build(Device device) const {
    auto model = std::make_unique<NasflatModel>(config, 0, device);
    model->params().values_from_host(values);
    return model;
}

}  // namespace nasflat::models
