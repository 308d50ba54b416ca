// buffer.h — a block of device memory with a device tag, recycled through a per-device cache.
// Freed blocks go back to the cache keyed by their rounded size, so a training loop that repeats
// the same shapes allocates nothing after its first step (kernels::raw_alloc_count proves it).
#pragma once

#include <cstddef>
#include <memory>

#include "kernels/base/memory.h"

namespace nasflat {

class Buffer {
public:
    // Uninitialised memory of at least `bytes` on `device`, taken from the cache when possible.
    // When the device is out of memory, the device's cached blocks are freed and the allocation
    // tried once more before the error propagates.
    static std::shared_ptr<Buffer> make(size_t bytes, Device device);
    // Zero-filled memory.
    static std::shared_ptr<Buffer> zeros(size_t bytes, Device device);
    ~Buffer();
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    void* data() const { return data_; }
    size_t bytes() const { return bytes_; }
    Device device() const { return device_; }

private:
    Buffer(void* data, size_t bytes, Device device) : data_(data), bytes_(bytes), device_(device) {}
    void* data_;
    size_t bytes_;  // rounded capacity
    Device device_;
};

using BufferPtr = std::shared_ptr<Buffer>;

}  // namespace nasflat
