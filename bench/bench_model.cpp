// bench_model.cpp — end-to-end predictor throughput: inference and training archs/s for NB201
// (8-node graphs) and FBNet (22-node graphs), both model flavors, on the CPU and (when present)
// the GPU, with FLOPs per architecture and the reached GFLOP/s.
// It first checks that every device it times computes the CPU reference's scores, and exits
// non-zero on a mismatch. Graphs are random DAGs shaped like the spaces' graphs (the timing
// does not depend on which architectures are scored).
// Usage: bench_model [--quick] [--profile] [--tf32] [--fused] [--capture] [--device cpu|cuda|all]
//                    [--space nb201|fbnet|all] [--batches 256,1024,...] [--train-batches 128,...|none]
// --tf32: CUDA GEMMs on TF32 tensor cores (off by default); first prints how far TF32 scores
// of 4096 random architectures are from fp32 ones (max relative error, Spearman between them).
// --fused: also validate and time inference through the fused readout kernel
// (kernels/fused/fused_readout.h), each batch right after the op-by-op row ("infer-fusedvN";
// GFLOP/s counts the model's FLOPs as the op-by-op path issues them): v2 on the CPU twin; on
// CUDA v2, v3 (TF32) and the variants the product dropped (bench/experiments/: v1, and each at
// two blocks per SM, "/2b"). Validation: as the op-by-op path (1e-3); v3 within 2e-2 (TF32).
// --profile: per-kernel tables of one training step per batch and of one forward per version
// at the largest inference batch. --capture: one forward per version at the first inference
// batch runs inside cudaProfilerStart/Stop, for `ncu --profile-from-start off`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "bench/gemm_meter.h"
#include "kernels/fused/fused_readout.h"
#include "kernels/gemm/gemm.h"
#include "kernels/base/memory.h"
#include "kernels/profiled_table.h"
#include "models/training.h"
#include "nas/base/metrics.h"

#ifdef NASFLAT_WITH_CUDA
#include "bench/experiments/experiments.h"
#endif

using namespace nasflat;
using namespace nasflat::models;

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
    bool quick = false;
    bool profile = false;
    bool capture = false;  // ncu --profile-from-start off records one forward per version
    bool tf32 = false;
    bool fused = false;
    std::string device = "all", space = "all";
    std::vector<int> batches, train_batches;
    bool train_given = false;  // --train-batches was given ("none": no training rows)
};

std::vector<int> parse_list(const char* s) {
    std::vector<int> v;
    for (const char* p = s; *p;) {
        v.push_back(std::atoi(p));
        while (*p && *p != ',') ++p;
        if (*p == ',') ++p;
    }
    return v;
}

// NB201-like (8 nodes, DAG) or FBNet-like (22-node identity / 24-node chain) graphs.
std::vector<ArchGraph> make_graphs(bool fbnet, Flavor flavor, int count, Rng& rng) {
    std::vector<ArchGraph> gs;
    for (int k = 0; k < count; ++k) {
        ArchGraph g;
        if (!fbnet) {
            g.num_nodes = 8;
            g.ops = {1, 0, 0, 0, 0, 0, 0, 0};
            for (int i = 1; i < 7; ++i) g.ops[i] = 2 + static_cast<int>(rng.below(5));
            const int base[10][2] = {{0, 1}, {0, 2}, {0, 4}, {1, 3}, {1, 5},
                                     {2, 6}, {3, 6}, {4, 7}, {5, 7}, {6, 7}};
            for (auto& e : base) {
                if (rng.uniform() < 0.8) g.edges.push_back({e[0], e[1]});
            }
        } else if (flavor == Flavor::Reference) {
            g.num_nodes = 22;
            for (int i = 0; i < 22; ++i) {
                g.ops.push_back(static_cast<int>(rng.below(9)));
                g.edges.push_back({i, i});
            }
        } else {
            g.num_nodes = 24;
            g.ops.push_back(9);
            for (int i = 0; i < 22; ++i) g.ops.push_back(static_cast<int>(rng.below(9)));
            g.ops.push_back(10);
            for (int i = 0; i + 1 < 24; ++i) g.edges.push_back({i, i + 1});
        }
        gs.push_back(g);
    }
    return gs;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Median seconds of `reps` calls of f (after one warm-up call), synchronising the device.
template <typename F>
double time_it(Device d, int reps, F&& f) {
    f();
    kernels::synchronize(d);
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        auto t0 = Clock::now();
        f();
        kernels::synchronize(d);
        t.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return median(t);
}

// Runs f once with every kernel of d's backend synchronised and timed, and prints the table.
template <class F>
void print_profile(Device d, const char* what, F&& f) {
    const auto backend = d == Device::CUDA ? kernels::Backend::Cuda : cpu_backend();
    kernels::reset_kernel_profile();
    kernels::enable_kernel_profiling(backend, true);
    f();
    kernels::synchronize(d);
    std::printf("profile of %s (synchronised per kernel):\n", what);
    kernels::print_kernel_profile(stdout);
    kernels::enable_kernel_profiling(backend, false);
}

// CPU rows: "  gemm X GFLOP/s  model/gemm Y%", the rate of the model's own GEMM calls over
// `reps` more calls of f (bench/gemm_meter.h) and the whole model's rate as a share of it.
template <class F>
std::string gemm_columns(Device d, int reps, double model_gflops, F&& f) {
    if (d != Device::CPU) return "";
    double gemm = 0.0;
    {
        bench::GemmMeter meter(cpu_backend());
        for (int r = 0; r < reps; ++r) f();
        gemm = meter.gflops_per_second();
    }
    char text[64];
    std::snprintf(text, sizeof text, "  gemm %6.1f GFLOP/s  model/gemm %3.0f%%", gemm,
                  gemm > 0.0 ? 100.0 * model_gflops / gemm : 0.0);
    return text;
}

// TF32 against fp32 GEMMs on the GPU, same model and architectures.
void tf32_accuracy(bool fbnet, Flavor flavor) {
    Rng rng(4);
    std::vector<ArchGraph> gs = make_graphs(fbnet, flavor, 4096, rng);
    ModelConfig c;
    c.flavor = flavor;
    c.none_op = fbnet ? -1 : 5;
    NasflatModel model(c, 1, Device::CUDA);
    ArchTable table{&gs, nullptr, 0};
    std::vector<int32_t> archs(gs.size());
    for (size_t i = 0; i < gs.size(); ++i) archs[i] = static_cast<int32_t>(i);
    kernels::set_cuda_gemm_tf32(false);
    const std::vector<float> fp32 = predict(model, table, archs, 3, 4096);
    kernels::set_cuda_gemm_tf32(true);
    const std::vector<float> tf32 = predict(model, table, archs, 3, 4096);
    double worst = 0, spread = 0;  // spread: the largest distance of a score from the first
    for (size_t i = 0; i < fp32.size(); ++i) {
        worst = std::max(worst, std::fabs(double(tf32[i]) - fp32[i]));
        spread = std::max(spread, std::fabs(double(fp32[i]) - fp32[0]));
    }
    const double rho = nas::spearman(std::vector<double>(tf32.begin(), tf32.end()),
                                     std::vector<double>(fp32.begin(), fp32.end()));
    std::printf(
        "tf32 %-6s %-9s: max |tf32 - fp32| %.2e (score range %.2e), Spearman(tf32, fp32) "
        "%.6f over %zu archs\n",
        fbnet ? "fbnet" : "nb201", flavor_name(flavor), worst, spread, rho, fp32.size());
}

// The inference rows of one batch: the op-by-op path ("infer", explicitly: on a GPU the model
// takes the fused kernel by default), then (with --fused) the fused readout kernel: the model's
// version (2 fp32, 3 TF32), run by the product's kernel or by a dropped variant of it.
struct InferVariant {
    std::string label;
    int version = 0;                            // the model's fused version; 0: op by op
    kernels::FusedReadoutFn* kernel = nullptr;  // a bench/experiments launcher; null: product's
};

std::vector<InferVariant> infer_variants([[maybe_unused]] Device d, bool fused) {
    std::vector<InferVariant> vs{{"infer", 0, nullptr}};
    if (!fused) return vs;
    vs.push_back({"infer-fusedv2", 2, nullptr});  // on the CPU: the twin, a test oracle
#ifdef NASFLAT_WITH_CUDA
    if (d == Device::CUDA) {
        vs = {{"infer", 0, nullptr},
              {"infer-fusedv1", 2, bench::fused_readout_v1_cuda},
              {"infer-fusedv1/2b", 2, bench::fused_readout_v1_2blocks_cuda},
              {"infer-fusedv2", 2, nullptr},
              {"infer-fusedv2/2b", 2, bench::fused_readout_2blocks_cuda},
              {"infer-fusedv3", 3, nullptr},
              {"infer-fusedv3/2b", 3, bench::fused_readout_2blocks_cuda}};
    }
#endif
    return vs;
}

// While alive: the model runs the variant (a dropped kernel through override_kernel_table).
class VariantScope {
  public:
    VariantScope(NasflatModel& model, const InferVariant& v) : model_(model) {
        model.set_fused_readout(v.version > 0, v.version);
        if (v.kernel != nullptr) {
            table_ = kernels::kernel_table(backend_);
            table_.fused_readout = v.kernel;
            kernels::override_kernel_table(backend_, &table_);
            overridden_ = true;
        }
    }
    ~VariantScope() {
        if (overridden_) kernels::override_kernel_table(backend_, nullptr);
        model_.set_fused_readout(false);
    }
    VariantScope(const VariantScope&) = delete;
    VariantScope& operator=(const VariantScope&) = delete;

  private:
    NasflatModel& model_;
    kernels::Backend backend_ = kernels::Backend::Cuda;
    kernels::KernelTable table_{};
    bool overridden_ = false;
};

// The variant's scores against the CPU reference's on 64 random architectures.
bool validate(bool fbnet, Flavor flavor, Device d, const InferVariant& v) {
    Rng rng(3);
    std::vector<ArchGraph> gs = make_graphs(fbnet, flavor, 64, rng);
    ModelConfig c;
    c.flavor = flavor;
    c.none_op = fbnet ? -1 : 5;
    NasflatModel ref_model(c, 1, Device::CPU), model(c, 1, d);
    ArchTable table{&gs, nullptr, 0};
    std::vector<int32_t> archs(gs.size());
    for (size_t i = 0; i < gs.size(); ++i) archs[i] = static_cast<int32_t>(i);
    std::vector<float> want, got;
    {
        CpuBackendGuard reference(kernels::Backend::CpuReference);
        want = predict(ref_model, table, archs, 3);
    }
    {
        VariantScope scope(model, v);
        got = predict(model, table, archs, 3);
    }
    double worst = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        worst = std::max(worst, std::fabs(double(got[i]) - want[i]) / (1e-3 + std::fabs(want[i])));
    }
    const double tol = v.version == kernels::kFusedTf32Version ? 2e-2 : 1e-3;
    std::printf("validate %-6s %-9s on %-4s%s: max relative error %.2e %s\n",
                fbnet ? "fbnet" : "nb201", flavor_name(flavor), device_name(d),
                v.version > 0 ? (" " + v.label).c_str() : "",
                worst, worst < tol ? "ok" : "MISMATCH");
    return worst < tol;
}

void bench_inference(NasflatModel& model, bool fbnet, Flavor flavor, Device d, const Args& args,
                     Rng& rng) {
    const int reps = args.quick ? 3 : 7;
    for (int B : args.batches) {
        try {
            std::vector<ArchGraph> gs = make_graphs(fbnet, flavor, B, rng);
            ArchTable table{&gs, nullptr, 0};
            std::vector<int32_t> archs(B), devs(B, 0);
            for (int i = 0; i < B; ++i) archs[i] = i;
            ModelBatch batch = collate_archs(model, table, archs, devs);
            NoGradGuard no_grad;
            model.set_fused_readout(false);  // FLOPs as the op-by-op path issues them
            reset_flop_count();
            model.forward(batch);
            const double flops = static_cast<double>(flop_count()) / B;
            for (const InferVariant& v : infer_variants(d, args.fused)) {
                VariantScope scope(model, v);
                double s = time_it(d, reps, [&] { model.forward(batch); });
                std::printf(
                    "%-6s %-9s %-4s %-16s batch %7d  %9.3f ms  %10.0f archs/s  %6.2f MFLOP/arch  "
                    "%7.1f GFLOP/s%s\n",
                    fbnet ? "fbnet" : "nb201", flavor_name(flavor), device_name(d), v.label.c_str(),
                    B, s * 1e3, B / s, flops / 1e6, flops * B / s / 1e9,
                    v.version > 0 ? ""
                                  : gemm_columns(d, reps, flops * B / s / 1e9,
                                                 [&] { model.forward(batch); })
                                        .c_str());
                if (args.profile && B == args.batches.back()) {
                    const std::string what = std::string("one forward (") +
                                             (fbnet ? "fbnet " : "nb201 ") + flavor_name(flavor) +
                                             ", batch " + std::to_string(B) + ", " + v.label + ")";
                    print_profile(d, what.c_str(), [&] { model.forward(batch); });
                }
#ifdef NASFLAT_WITH_CUDA
                if (args.capture && d == Device::CUDA && B == args.batches.front()) {
                    bench::cuda_profiler_capture(true);  // one forward per variant for ncu
                    model.forward(batch);
                    kernels::synchronize(d);
                    bench::cuda_profiler_capture(false);
                }
#endif
            }
        } catch (const std::exception& e) {  // e.g. out of device memory at the largest batch
            model.set_fused_readout(false);
            std::printf("%-6s %-9s %-4s infer  batch %7d  failed: %s\n", fbnet ? "fbnet" : "nb201",
                        flavor_name(flavor), device_name(d), B, e.what());
        }
        std::fflush(stdout);
    }
}

void bench_training(NasflatModel& model, bool fbnet, Flavor flavor, Device d, const Args& args,
                    Rng& rng) {
    const int reps = args.quick ? 3 : 7;
    AdamW opt(model.params(), AdamWOptions{});
    for (int B : args.train_batches) {
        try {
            std::vector<ArchGraph> gs = make_graphs(fbnet, flavor, B, rng);
            ArchTable table{&gs, nullptr, 0};
            std::vector<int32_t> archs(B), devs(B, 0);
            std::vector<float> y(B);
            for (int i = 0; i < B; ++i) {
                archs[i] = i;
                y[i] = static_cast<float>(rng.uniform());
            }
            ModelBatch batch = collate_archs(model, table, archs, devs);
            Pairs p = sample_pairs(y, 4 * B, rng);
            PairList pairs = PairList::make(p.i, p.j, p.sign, B, d);
            reset_flop_count();
            auto step = [&] {
                model.params().zero_grad();
                Tensor loss = pair_hinge_loss(model.forward(batch, true, 7), pairs, 0.1f);
                loss.backward();
                opt.step();
            };
            step();
            const double flops = static_cast<double>(flop_count()) / B;
            const int64_t allocs_before = kernels::raw_alloc_count(d);
            double s = time_it(d, reps, step);
            const int64_t allocs = kernels::raw_alloc_count(d) - allocs_before;
            if (args.profile) {
                const std::string what = std::string("one training step (") +
                                         (fbnet ? "fbnet " : "nb201 ") + flavor_name(flavor) +
                                         ", batch " + std::to_string(B) + ")";
                print_profile(d, what.c_str(), step);
            }
            std::printf(
                "%-6s %-9s %-4s train  batch %7d  %9.3f ms  %10.0f archs/s  %6.2f MFLOP/arch  "
                "%7.1f GFLOP/s  allocs/step %lld%s\n",
                fbnet ? "fbnet" : "nb201", flavor_name(flavor), device_name(d), B, s * 1e3, B / s,
                flops / 1e6, flops * B / s / 1e9, static_cast<long long>(allocs / (reps + 1)),
                gemm_columns(d, reps, flops * B / s / 1e9, step).c_str());
        } catch (const std::exception& e) {  // e.g. out of device memory
            std::printf("%-6s %-9s %-4s train  batch %7d  failed: %s\n", fbnet ? "fbnet" : "nb201",
                        flavor_name(flavor), device_name(d), B, e.what());
        }
        std::fflush(stdout);
    }
}

void bench_space(bool fbnet, Flavor flavor, Device d, const Args& args) {
    ModelConfig c;
    c.flavor = flavor;
    c.none_op = fbnet ? -1 : 5;
    NasflatModel model(c, 1, d);
    Rng rng(5);
    bench_inference(model, fbnet, flavor, d, args, rng);
    bench_training(model, fbnet, flavor, d, args, rng);
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--quick")
            args.quick = true;
        else if (a == "--profile")
            args.profile = true;
        else if (a == "--tf32")
            args.tf32 = true;
        else if (a == "--fused")
            args.fused = true;
        else if (a == "--capture")
            args.capture = true;
        else if (a == "--device" && i + 1 < argc)
            args.device = argv[++i];
        else if (a == "--space" && i + 1 < argc)
            args.space = argv[++i];
        else if (a == "--batches" && i + 1 < argc)
            args.batches = parse_list(argv[++i]);
        else if (a == "--train-batches" && i + 1 < argc) {
            const std::string list = argv[++i];
            args.train_batches = list == "none" ? std::vector<int>{} : parse_list(list.c_str());
            args.train_given = true;
        } else {
            std::fprintf(stderr, "bench_model: unknown argument '%s'\n", a.c_str());
            return 2;
        }
    }
    std::vector<Device> devices;
    if (args.device != "cuda") devices.push_back(Device::CPU);
    if (args.device != "cpu" && kernels::cuda_available()) devices.push_back(Device::CUDA);
    if (args.device == "cuda" && !kernels::cuda_available()) {
        std::fprintf(stderr, "bench_model: no CUDA GPU\n");
        return 2;
    }
    bool ok = true;
    for (Device d : devices) {
        for (bool fbnet : {false, true}) {
            for (Flavor f : {Flavor::Reference, Flavor::Fixed}) {
                for (const InferVariant& v : infer_variants(d, args.fused)) {
                    ok = validate(fbnet, f, d, v) && ok;
                }
            }
        }
    }
    if (!ok) {
        std::fprintf(stderr, "bench_model: validation failed, not timing\n");
        return 1;
    }
    if (args.tf32) {
        if (!kernels::cuda_available()) {
            std::fprintf(stderr, "bench_model: --tf32 needs a CUDA GPU\n");
            return 2;
        }
        for (bool fbnet : {false, true}) {
            for (Flavor f : {Flavor::Reference, Flavor::Fixed}) tf32_accuracy(fbnet, f);
        }
        kernels::set_cuda_gemm_tf32(true);
        std::printf("timing below: CUDA GEMMs in TF32\n");
    }
    for (Device d : devices) {
        Args a = args;
        if (a.batches.empty()) {
            a.batches = d == Device::CPU ? std::vector<int>{256, 1024}
                                         : std::vector<int>{256, 4096, 32768, 262144, 1048576};
            if (args.quick) a.batches.resize(d == Device::CPU ? 1 : 3);
        }
        if (a.train_batches.empty() && !a.train_given) {
            a.train_batches =
                d == Device::CPU ? std::vector<int>{128} : std::vector<int>{128, 4096};
        }
        for (bool fbnet : {false, true}) {
            if (args.space != "all" && (args.space == "fbnet") != fbnet) continue;
            for (Flavor f : {Flavor::Reference, Flavor::Fixed}) bench_space(fbnet, f, d, a);
        }
    }
    return 0;
}
