// device_data.h — one device's measurements: <data>/<space>/latency/<device>.json (ms) or
// <data>/nb201/energy/<device>.json (mJ). A device may cover only part of its space (LatBench:
// 15252..15284 cells, edgetpu: 10926); only the measured architectures are listed, so never
// assume arch_index[k] == k.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nas/space/space.h"

namespace nasflat::nas {

struct DeviceData {
    std::string name, unit, metric, file;
    std::string device_type, hardware, value_type;  // value_type: "float" or "integer"
    int batch_size = -1;                            // -1: not recorded
    std::vector<int32_t> arch_index;                // (count) strictly increasing
    std::vector<double> values;                     // (count) finite, >= 0

    int count() const { return static_cast<int>(values.size()); }
    bool covers(int arch) const;
    // The measurement of `arch`; throws (naming the device and file) when it is not covered.
    double value(int arch) const;
    // (space_size) values by architecture index, NaN where not measured.
    std::vector<double> dense(int space_size) const;
};

// Reads and validates one device file of `space` whose architecture indices lie in
// [0, space_size). expected_metric "" accepts "latency" or "energy". Checks: space, metric and
// unit fields, count == lengths, indices strictly increasing and in range, values finite and
// non-negative, integer-valued files really integer. Errors: one line naming file and entry.
DeviceData load_device_file(const std::string& path, Space space, int space_size,
                            const std::string& expected_metric = "");

// Latency device by name, via manifest.json; unknown device -> error naming the file it looked
// for and the closest known name.
DeviceData load_device(const std::string& data_dir, Space space, const std::string& device);
// Energy device by name (NB201: edgegpu, eyeriss, fpga).
DeviceData load_energy(const std::string& data_dir, Space space, const std::string& device);

// Latency / energy device names in manifest order.
std::vector<std::string> list_devices(const std::string& data_dir, Space space);
std::vector<std::string> list_energy_devices(const std::string& data_dir, Space space);

}  // namespace nasflat::nas
