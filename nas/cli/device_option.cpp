// device_option.cpp — see device_option.h.
#include "nas/cli/device_option.h"

#include <algorithm>
#include <iostream>
#include <thread>

#include "kernels/base/check.h"
#include "kernels/gemm/gemm.h"
#include "kernels/kernels.h"

namespace nasflat::cli {

namespace {
Device device_of(const std::string& flag) {
    if (flag == "cpu") return Device::CPU;
    const bool gpu = kernels::cuda_available();
    if (flag == "cuda") {
        NASFLAT_CHECK(gpu, "--device cuda: ",
                      kernels::cuda_compiled() ? "no CUDA GPU is visible to this process"
                                               : "this binary was built without CUDA",
                      "; hint: use --device cpu");
        return Device::CUDA;
    }
    if (gpu) return Device::CUDA;
    if (kernels::cuda_compiled()) {
        std::cerr << "nasflat: note: no CUDA GPU found, computing on the CPU" << std::endl;
    }
    return Device::CPU;
}
}  // namespace

CLI::Option* add_device_option(CLI::App& verb, DeviceFlag& device) {
    device = DeviceFlag{};
    verb.add_flag("--tf32", device.tf32,
                  "GPU matrix products on TF32 tensor cores (faster, ~1e-3 relative error)");
    return verb.add_option("--device", device.name, "where to compute: cpu, cuda or auto")
        ->check(CLI::IsMember({"cpu", "cuda", "auto"}))
        ->capture_default_str();
}

void add_threads_option(CLI::App& verb, DeviceFlag& device) {
    verb.add_option("--threads", device.threads,
                    "CPU threads scoring batches of listed architectures side by side (0: every "
                    "core; the same scores for any count)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
}

int scoring_threads(const DeviceFlag& flag, Device device) {
    if (device != Device::CPU) return 1;
    if (flag.threads > 0) return flag.threads;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

Device resolve_device(const DeviceFlag& flag) {
    const Device d = device_of(flag.name);
    kernels::set_cuda_gemm_tf32(flag.tf32 && d == Device::CUDA);
    if (flag.tf32 && d != Device::CUDA) {
        std::cerr << "nasflat: note: --tf32 applies to GPU products only; computing in fp32 on "
                     "the CPU"
                  << std::endl;
    }
    return d;
}

}  // namespace nasflat::cli
