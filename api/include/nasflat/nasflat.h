// nasflat/nasflat.h — the public C++ API of nasflat: load a latency predictor, score
// architectures with it (batched, multi-threaded on the CPU), fit it to a new device, and run
// any `nasflat` verb in-process. Nothing here exposes the kernels, tensors or models behind it.
// Use (README "From C++"; examples/cpp/ is a whole consumer):
//   find_package(nasflat REQUIRED)
//   target_link_libraries(app PRIVATE nasflat::nasflat)
//   nasflat::Predictor p = nasflat::Predictor::load("pixel2.ckpt");
//   std::vector<float> scores = p.predict({0, 1, 2});
// Errors: bad input (a missing or corrupt checkpoint, an unknown device, an invalid
// architecture or flag) throws std::invalid_argument carrying the message the `nasflat`
// command prints after "nasflat: error: "; anything else that escapes is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nasflat {

// One task of the NASFLAT suite (N0..N5, F0..F5): its source and target devices.
struct TaskInfo {
    std::string name, paper_label, space;
    int index = 0;
    std::vector<std::string> sources, targets;
};

// The data folder: `path`, else $NASFLAT_DATA, else ../shared/data, else ./data (the
// `--data` lookup of every verb); a folder without manifest.json is an error naming it.
class Data {
  public:
    explicit Data(const std::string& path = "");
    const std::string& path() const { return path_; }
    static std::vector<std::string> spaces();                    // "nb201", "fbnet"
    std::vector<std::string> devices(const std::string& space) const;  // latency files
    static std::vector<TaskInfo> tasks();

  private:
    std::string path_;
};

struct PredictOptions {
    std::string device;  // device row to score for ("": the predictor's fitted device)
    int threads = 0;     // CPU threads scoring batches side by side (0: every core); the same
                         // scores for any count
    int batch = 0;       // architectures per model call (0: CPU 256, CUDA 32768)
};

struct TransferOptions {
    std::string name;  // the device's name ("": the measurement file's name without extension)
    int epochs = -1;   // fine-tuning epochs (-1: NB201 40, FBNet 30)
    int folds = 5;     // cross-validation folds on the samples (0: none, else >= 2)
    uint64_t seed = 42;
};

// What `transfer` measured on the samples (k-fold cross-validation) and chose.
struct TransferReport {
    std::string device, choice, warning;  // choice: what answers (e.g. "predictor 0.4 + ...")
    int samples = 0, folds = 0;
    double cv_spearman = 0, cv_kendall = 0, cv_mape = 0;
};

class Predictor {
  public:
    // A checkpoint written by `nasflat pretrain` / `transfer` (or save()). `compute`: "cpu",
    // "cuda" or "auto" (the GPU when this build has CUDA and one is visible); `data`: the data
    // folder ("" = the lookup of Data).
    static Predictor load(const std::string& checkpoint, const std::string& compute = "auto",
                          const std::string& data = "");
    void save(const std::string& path) const;

    std::string space() const;                // "nb201" | "fbnet"
    std::string target() const;               // the fitted device ("" before `transfer`)
    std::vector<std::string> devices() const;  // device rows, by embedding row
    std::string metric() const;               // "latency" (ms) or "energy" (mJ)
    bool calibrated() const;                  // scores of the target map to ms / mJ
    std::string compute() const;              // "cpu" | "cuda"
    const std::string& data() const;          // the data folder in use
    int num_archs() const;                    // architectures of the space's data folder
    int num_positions() const;                // ops per architecture: NB201 6, FBNet 22
    int num_ops() const;                      // choices per position: NB201 5, FBNet 9
    std::string info_json() const;            // the checkpoint's description, as JSON text

    // Index of an architecture written as the CLI reads it (an index, an NB201 arch string or
    // 6 edge ops, 22 FBNet layer ops); `where` prefixes an error ("archs[3]").
    int32_t index_of(const std::string& arch, const std::string& where = "arch") const;
    std::string arch_string(int32_t index) const;

    // Scores of indexed architectures, out[k] for archs[k] (n of each): bit for bit what
    // `nasflat predict` computes. Ranks by latency; predict_ms turns them into ms.
    void predict(const int32_t* archs, size_t n, float* out, const PredictOptions& o = {}) const;
    std::vector<float> predict(const std::vector<int32_t>& archs,
                               const PredictOptions& o = {}) const;
    // Calibrated latency (ms; mJ for an energy predictor) of indexed architectures on the
    // fitted device.
    void predict_ms(const int32_t* archs, size_t n, double* out,
                    const PredictOptions& o = {}) const;
    // The same for op lists, ops (n, num_positions()) row-major: any architecture of the
    // space, indexed or not (the scores `search --mode evolution` uses).
    void predict_ops(const int32_t* ops, size_t n, float* out, const PredictOptions& o = {}) const;
    void predict_ops_ms(const int32_t* ops, size_t n, double* out,
                        const PredictOptions& o = {}) const;

    // This predictor fitted to a device from a measurement file (docs/data.md layout), as
    // `nasflat transfer` with its default flags fits it; this one is left as it was.
    Predictor transfer(const std::string& measurements, const TransferOptions& o = {},
                       TransferReport* report = nullptr) const;

  private:
    struct Impl;
    explicit Predictor(std::shared_ptr<Impl> impl);
    template <typename Out>
    void predict_into(const int32_t* archs, size_t n, bool op_lists, Out* out,
                      const PredictOptions& o) const;
    std::shared_ptr<Impl> impl_;
};

// Runs a `nasflat` verb in this process, as the command line would
// (run_command({"sample", "--space", "nb201", "--count", "8", "--out", "m.json"})), and returns
// what it printed on standard output. Progress lines go to standard error unless `quiet`.
std::string run_command(const std::vector<std::string>& args, bool quiet = false);

}  // namespace nasflat
