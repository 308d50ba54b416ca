// families.h — devices that are the same hardware: one family per piece of hardware, whatever
// the batch size, precision or measurement campaign (e.g. 1080ti_1/32/256 and LatBench's
// desktop_gpu_gtx_1080ti_fp32; the two Jetson Nano entries; the two Edge TPU entries). The
// leave-one-device-out benchmark never pre-trains on a target's family: a user's new device has
// no sibling in the data folder.
// The family is read off the manifest's "hardware" text, so the rule lives in one place:
//   hardware_family("NVIDIA Jetson Nano (embedded GPU), fp16") == "NVIDIA Jetson Nano"
//   drop parenthesised notes, then a trailing ", fp32" / ", fp16" / ", int8" precision.
#pragma once

#include <string>
#include <vector>

#include "nas/data/manifest.h"

namespace nasflat::nas {

std::string hardware_family(const std::string& hardware);

struct DeviceFamily {
    std::string name;                  // the hardware, e.g. "NVIDIA GeForce GTX 1080 Ti"
    std::vector<std::string> devices;  // latency devices of the space, manifest order
};

// The families of a space's latency devices, in the order their first device appears.
std::vector<DeviceFamily> device_families(const Manifest& manifest, Space space);

// The family of a device of `metric` ("latency" or "energy"), and the latency devices outside
// it (the sources a leave-one-device-out run may pre-train on).
std::string family_of(const Manifest& manifest, Space space, const std::string& device,
                      const std::string& metric = "latency");
std::vector<std::string> devices_outside_family(const Manifest& manifest, Space space,
                                                const std::string& family);

}  // namespace nasflat::nas
