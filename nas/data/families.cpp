// families.cpp — see families.h.
#include "nas/data/families.h"

#include "kernels/base/check.h"

namespace nasflat::nas {

std::string hardware_family(const std::string& hardware) {
    std::string out;
    int depth = 0;
    for (char c : hardware) {
        if (c == '(') ++depth;
        else if (c == ')' && depth > 0) --depth;
        else if (depth == 0) out += c;
    }
    for (const char* precision : {", fp32", ", fp16", ", int8"}) {
        const std::string p = precision;
        if (out.size() >= p.size() && out.compare(out.size() - p.size(), p.size(), p) == 0)
            out.erase(out.size() - p.size());
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ',')) out.pop_back();
    while (!out.empty() && out.front() == ' ') out.erase(0, 1);
    return out;
}

std::vector<DeviceFamily> device_families(const Manifest& manifest, Space space) {
    std::vector<DeviceFamily> families;
    for (const ManifestDevice& d : manifest.space(space).devices) {
        const std::string name = hardware_family(d.hardware);
        DeviceFamily* found = nullptr;
        for (auto& f : families)
            if (f.name == name) found = &f;
        if (found == nullptr) {
            families.push_back({name, {}});
            found = &families.back();
        }
        found->devices.push_back(d.device);
    }
    return families;
}

std::string family_of(const Manifest& manifest, Space space, const std::string& device,
                      const std::string& metric) {
    return hardware_family(manifest.device(space, device, metric).hardware);
}

std::vector<std::string> devices_outside_family(const Manifest& manifest, Space space,
                                                const std::string& family) {
    std::vector<std::string> out;
    for (const ManifestDevice& d : manifest.space(space).devices) {
        if (hardware_family(d.hardware) != family) out.push_back(d.device);
    }
    return out;
}

}  // namespace nasflat::nas
