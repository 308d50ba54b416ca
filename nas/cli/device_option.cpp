// device_option.cpp — see device_option.h.
#include "nas/cli/device_option.h"

#include <iostream>

#include "kernels/check.h"
#include "kernels/kernels.h"

namespace nasflat::cli {

CLI::Option* add_device_option(CLI::App& verb, std::string& device) {
    device = "auto";
    return verb.add_option("--device", device, "where to compute: cpu, cuda or auto")
        ->check(CLI::IsMember({"cpu", "cuda", "auto"}))
        ->capture_default_str();
}

Device resolve_device(const std::string& flag) {
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

}  // namespace nasflat::cli
