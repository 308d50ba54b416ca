// buffer.cpp — the caching allocator behind Buffer: exact-size free lists per device.
#include "autograd/buffer.h"

#include <map>
#include <mutex>
#include <vector>

#include "kernels/base/check.h"

namespace nasflat {
namespace {

constexpr size_t kGranule = 256;  // every block is a multiple of this; keeps CUDA loads aligned

struct Cache {
    std::mutex mutex;
    std::map<size_t, std::vector<void*>> free_blocks[2];  // per Device
};

Cache& cache() {
    // Leaked on purpose: buffers held by static objects may be destroyed after this cache.
    static Cache* c = new Cache();
    return *c;
}

size_t round_up(size_t bytes) { return (bytes + kGranule - 1) / kGranule * kGranule; }

// Frees the cached blocks of one device (the caller holds the cache's lock).
void release_locked(Cache& c, Device device) {
    for (auto& [size, blocks] : c.free_blocks[static_cast<int>(device)]) {
        for (void* p : blocks) kernels::raw_free(device, p);
        blocks.clear();
    }
}

}  // namespace

std::shared_ptr<Buffer> Buffer::make(size_t bytes, Device device) {
    size_t rounded = round_up(bytes == 0 ? 1 : bytes);
    void* p = nullptr;
    {
        Cache& c = cache();
        std::lock_guard<std::mutex> lock(c.mutex);
        auto& lists = c.free_blocks[static_cast<int>(device)];
        auto it = lists.find(rounded);
        if (it != lists.end() && !it->second.empty()) {
            p = it->second.back();
            it->second.pop_back();
        }
    }
    if (p == nullptr) {
        try {
            p = kernels::raw_alloc(device, rounded);
        } catch (const Error&) {
            // Out of memory while the cache holds blocks of other sizes (e.g. a larger batch's,
            // run before): give them back and try once more; a second failure propagates.
            {
                Cache& c = cache();
                std::lock_guard<std::mutex> lock(c.mutex);
                release_locked(c, device);
            }
            p = kernels::raw_alloc(device, rounded);
        }
    }
    return std::shared_ptr<Buffer>(new Buffer(p, rounded, device));
}

std::shared_ptr<Buffer> Buffer::zeros(size_t bytes, Device device) {
    auto b = make(bytes, device);
    kernels::raw_zero(device, b->data(), b->bytes());
    return b;
}

Buffer::~Buffer() {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    c.free_blocks[static_cast<int>(device_)][bytes_].push_back(data_);
}

}  // namespace nasflat
