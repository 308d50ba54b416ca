// checkpoint.cpp — see checkpoint.h for the file layout.
#include "models/checkpoint.h"

#include <cmath>
#include <cstring>
#include <string_view>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"

namespace nasflat::models {
namespace {

constexpr char kMagic[8] = {'N', 'A', 'S', 'F', 'L', 'A', 'T', 'C'};

uint64_t fnv1a(std::string_view bytes) {
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

namespace {

// Bounds on a checkpoint's configuration: generous (the default model's widths are <= 200 and it
// has 3-layer stacks), but they keep a crafted header from describing absurd models.
constexpr int kMaxWidth = 1 << 14;
constexpr int kMaxVocab = 1 << 16;
constexpr size_t kMaxLayers = 64;

[[noreturn]] void bad_config(const std::string& file, const std::string& key,
                             const std::string& problem) {
    fail("checkpoint '", file, "': model configuration \"", key, "\" ", problem,
         "; fix: the file is damaged or was not written by nasflat: pre-train again");
}

int config_int(const nlohmann::json& j, const char* key, int lo, int hi, const std::string& file) {
    if (!j.contains(key) || !j[key].is_number_integer()) bad_config(file, key, "is missing");
    const int64_t v = j[key].get<int64_t>();
    if (v < lo || v > hi) {
        bad_config(file, key, "is " + std::to_string(v) + ", outside " + std::to_string(lo) +
                                  ".." + std::to_string(hi));
    }
    return static_cast<int>(v);
}

std::vector<int> config_widths(const nlohmann::json& j, const char* key, size_t min_len,
                               const std::string& file) {
    if (!j.contains(key) || !j[key].is_array()) bad_config(file, key, "is missing");
    const nlohmann::json& a = j[key];
    if (a.size() < min_len || a.size() > kMaxLayers) {
        bad_config(file, key, "has " + std::to_string(a.size()) + " layers, outside " +
                                  std::to_string(min_len) + ".." + std::to_string(kMaxLayers));
    }
    std::vector<int> out;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_number_integer() || a[i].get<int64_t>() < 1 ||
            a[i].get<int64_t>() > kMaxWidth) {
            bad_config(file, key, "holds a width outside 1.." + std::to_string(kMaxWidth));
        }
        out.push_back(static_cast<int>(a[i].get<int64_t>()));
    }
    return out;
}

float config_float(const nlohmann::json& j, const char* key, double lo, double hi,
                   const std::string& file) {
    if (!j.contains(key) || !j[key].is_number()) bad_config(file, key, "is missing");
    const double v = j[key].get<double>();
    if (!(v >= lo && v <= hi)) bad_config(file, key, "is outside its range");
    return static_cast<float>(v);
}

std::string config_string(const nlohmann::json& j, const char* key, const std::string& file) {
    if (!j.contains(key) || !j[key].is_string()) bad_config(file, key, "is missing");
    return j[key].get<std::string>();
}

}  // namespace

ModelConfig config_from_json(const nlohmann::json& j, const std::string& file) {
    if (!j.is_object()) bad_config(file, "config", "is not an object");
    ModelConfig c;
    try {
        c.flavor = parse_flavor(config_string(j, "flavor", file));
        c.layer_type = parse_layer_type(config_string(j, "layer_type", file));
        c.fuse = parse_fuse(config_string(j, "fuse", file));
    } catch (const Error& e) {
        fail("checkpoint '", file, "': ", e.what());
    }
    if (!j.contains("hwemb_to_mlp") || !j["hwemb_to_mlp"].is_boolean())
        bad_config(file, "hwemb_to_mlp", "is missing");
    c.hwemb_to_mlp = j["hwemb_to_mlp"].get<bool>();
    c.op_vocab = config_int(j, "op_vocab", 1, kMaxVocab, file);
    c.device_vocab = config_int(j, "device_vocab", 1, kMaxVocab, file);
    c.gate_dim = config_int(j, "gate_dim", 1, kMaxWidth, file);
    c.hw_dim = config_int(j, "hw_dim", 1, kMaxWidth, file);
    c.node_dim = config_int(j, "node_dim", 1, kMaxWidth, file);
    c.hidden_dim = config_int(j, "hidden_dim", 1, kMaxWidth, file);
    c.op_update_dims = config_widths(j, "op_update_dims", 1, file);
    c.main_dims = config_widths(j, "main_dims", 1, file);
    c.output_mlp_dims = config_widths(j, "output_mlp_dims", 1, file);
    c.update_hidden = config_int(j, "update_hidden", 1, kMaxWidth, file);
    c.head_dims = config_widths(j, "head_dims", 0, file);
    c.head_dropout = config_float(j, "head_dropout", 0.0, 0.99, file);
    c.supp_dim = config_int(j, "supp_dim", 0, kMaxWidth, file);
    c.supp_hidden = config_widths(j, "supp_hidden", 0, file);
    c.supp_dropout = config_float(j, "supp_dropout", 0.0, 0.99, file);
    c.supp_out = config_int(j, "supp_out", 1, kMaxWidth, file);
    c.hw_mlp_dim = config_int(j, "hw_mlp_dim", 1, kMaxWidth, file);
    c.leaky_slope = config_float(j, "leaky_slope", 0.0, 1.0, file);
    c.ln_eps = config_float(j, "ln_eps", 1e-12, 1.0, file);
    c.none_op = config_int(j, "none_op", -1, c.op_vocab - 1, file);
    if (!c.hwemb_to_mlp && c.hw_dim >= c.gate_dim)
        bad_config(file, "hw_dim", "leaves no room for the op embedding in gate_dim");
    return c;
}

std::string checkpoint_bytes(const NasflatModel& model, const nlohmann::json& metadata) {
    const ParameterStore& params = model.params();
    nlohmann::json table = nlohmann::json::array();
    for (size_t i = 0; i < params.names().size(); ++i) {
        table.push_back({{"name", params.names()[i]}, {"shape", params.shapes()[i]}});
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
    return bytes;
}

void save_checkpoint(const std::string& path, const NasflatModel& model,
                     const nlohmann::json& metadata) {
    write_file_atomically(path, checkpoint_bytes(model, metadata), Durability::Fsync);
}

namespace {

// The header's parameter table must be exactly what a model of the configuration holds
// (names, shapes, total = numel = the file's payload), checked before anything is allocated.
void check_parameter_table(const nlohmann::json& table, const ModelConfig& config, int64_t numel,
                           const std::string& path) {
    const auto expected = NasflatModel::parameter_table(config);
    NASFLAT_CHECK(table.is_array() && table.size() == expected.size(), "checkpoint '", path,
                  "': its parameter table does not match its configuration (",
                  table.is_array() ? table.size() : 0, " entries, the configuration builds ",
                  expected.size(), "); fix: the file is damaged: pre-train again");
    int64_t total = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        const nlohmann::json& entry = table[i];
        const bool same = entry.is_object() && entry.contains("name") &&
                          entry["name"].is_string() && entry["name"] == expected[i].name &&
                          entry.contains("shape") && entry["shape"] == expected[i].shape;
        NASFLAT_CHECK(same, "checkpoint '", path, "': parameter ", i, " is ",
                      printable(entry.dump(), 80), ", the configuration says ", expected[i].name,
                      " ", shape_str(expected[i].shape), "; fix: the file is damaged: pre-train "
                      "again");
        int64_t n = 1;
        for (int64_t d : expected[i].shape) n *= d;
        total += n;
    }
    NASFLAT_CHECK(total == numel, "checkpoint '", path, "': \"numel\" is ", numel,
                  " but its parameters hold ", total, "; fix: the file is damaged: pre-train "
                  "again");
}

}  // namespace

Checkpoint parse_checkpoint(const std::string& bytes, const std::string& path) {
    constexpr size_t kFixed = sizeof(kMagic) + sizeof(uint32_t) + sizeof(uint64_t);
    NASFLAT_CHECK(bytes.size() >= sizeof(kMagic) && std::memcmp(bytes.data(), kMagic, 8) == 0,
                  "'", path, "' is not a nasflat checkpoint (bad magic); fix: pass a file "
                  "written by `nasflat pretrain` or `nasflat transfer`");
    NASFLAT_CHECK(bytes.size() >= kFixed + sizeof(uint64_t), "checkpoint '", path,
                  "' is truncated; fix: the file was cut short, save it again");
    size_t pos = sizeof(kMagic);
    const uint32_t version = get<uint32_t>(bytes, pos, path);
    NASFLAT_CHECK(version == kCheckpointVersion, "checkpoint '", path, "' has format version ",
                  version, ", this nasflat reads version ", kCheckpointVersion);
    uint64_t stored = 0;
    std::memcpy(&stored, bytes.data() + bytes.size() - 8, sizeof(stored));
    NASFLAT_CHECK(fnv1a(std::string_view(bytes.data(), bytes.size() - 8)) == stored,
                  "checkpoint '", path, "' is corrupt (checksum mismatch); fix: the file was "
                  "damaged or truncated, save it again");
    const uint64_t header_len = get<uint64_t>(bytes, pos, path);
    const size_t payload_end = bytes.size() - 8;
    NASFLAT_CHECK(header_len <= payload_end - pos, "checkpoint '", path,
                  "': its header length exceeds the file; fix: the file is damaged");
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(bytes.data() + pos, bytes.data() + pos + header_len);
    } catch (const nlohmann::json::exception&) {
        fail("checkpoint '", path, "': unreadable header; fix: the file is damaged");
    }
    pos += header_len;
    NASFLAT_CHECK(header.is_object() && header.contains("config") &&
                      header.contains("parameters") && header.contains("numel") &&
                      header["numel"].is_number_integer(),
                  "checkpoint '", path, "': its header lacks config, parameters or numel; fix: "
                  "the file is damaged or not a nasflat checkpoint");
    Checkpoint c;
    c.config = config_from_json(header["config"], path);
    const int64_t numel = header["numel"].get<int64_t>();
    NASFLAT_CHECK(numel >= 0 && static_cast<uint64_t>(numel) == (payload_end - pos) / sizeof(float) &&
                      (payload_end - pos) % sizeof(float) == 0,
                  "checkpoint '", path, "': ", numel, " parameters do not match the file size; "
                  "fix: the file is damaged");
    check_parameter_table(header["parameters"], c.config, numel, path);
    c.metadata = header.contains("metadata") && !header["metadata"].is_null()
                     ? header["metadata"]
                     : nlohmann::json::object();
    NASFLAT_CHECK(c.metadata.is_object(), "checkpoint '", path, "': its metadata is not an object");
    c.values.resize(static_cast<size_t>(numel));
    std::memcpy(c.values.data(), bytes.data() + pos, c.values.size() * sizeof(float));
    size_t bad = 0, first_bad = 0;
    for (size_t i = c.values.size(); i-- > 0;) {
        if (!std::isfinite(c.values[i])) {
            ++bad;
            first_bad = i;
        }
    }
    NASFLAT_CHECK(bad == 0, "checkpoint '", path, "' holds ", bad, " non-finite weights (NaN or "
                  "inf, the first at value ", first_bad, "): its training diverged; fix: train "
                  "it again with a lower learning rate");
    return c;
}

Checkpoint load_checkpoint(const std::string& path) {
    // The magic first: a file that is not a checkpoint (or /dev/zero) is refused unread.
    const std::string head = read_file_prefix(path, sizeof(kMagic), "checkpoint");
    NASFLAT_CHECK(head.size() == sizeof(kMagic) && std::memcmp(head.data(), kMagic, 8) == 0, "'",
                  path, "' is not a nasflat checkpoint (bad magic); fix: pass a file written by "
                  "`nasflat pretrain` or `nasflat transfer`");
    return parse_checkpoint(read_file_bounded(path, "checkpoint"), path);
}

std::unique_ptr<NasflatModel> Checkpoint::build(Device device) const {
    auto model = std::make_unique<NasflatModel>(config, 0, device);
    model->params().values_from_host(values);
    return model;
}

}  // namespace nasflat::models
