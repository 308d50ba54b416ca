// manifest.h — <data>/manifest.json: which files exist per space, with the per-device
// statistics (count, unit, min/median/max) that `nasflat data` re-checks against the files.
#pragma once

#include <string>
#include <vector>

#include "nas/space/space.h"

namespace nasflat::nas {

struct ManifestDevice {
    std::string device, metric, file, unit, value_type, device_type, hardware, collection;
    int count = 0;
    int batch_size = -1;  // -1: not recorded
    double min = 0, median = 0, max = 0;
};

struct ManifestSpace {
    std::string archs_file, zcp_file, accuracy_file;  // accuracy_file: "" for FBNet
    int num_archs = 0;
    std::vector<ManifestDevice> devices;         // latency devices, manifest order
    std::vector<ManifestDevice> energy_devices;  // NB201 only
};

struct Manifest {
    std::string data_dir, file;
    ManifestSpace nb201, fbnet;
    const ManifestSpace& space(Space s) const { return s == Space::NB201 ? nb201 : fbnet; }
    // The latency (or, with metric "energy", energy) entry of `device`; unknown -> error naming
    // the manifest, the file it looked for, the closest name and the known devices.
    const ManifestDevice& device(Space s, const std::string& device,
                                 const std::string& metric = "latency") const;
    // data_dir + "/" + relative file.
    std::string path(const std::string& relative) const { return data_dir + "/" + relative; }
};

// Reads and validates <data_dir>/manifest.json (format_version 2, both spaces, device entries
// complete, device names unique per list).
Manifest load_manifest(const std::string& data_dir);

}  // namespace nasflat::nas
