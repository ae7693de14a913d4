#pragma once
// A zero-filled float array on a 64-byte boundary (one cache line, one AVX-512 vector), for
// packed weights. Allocated once when a model is built, never on the audio thread.

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace gs {

class AlignedBuffer {
public:
    AlignedBuffer() = default;
    explicit AlignedBuffer(std::size_t count) : size_(count) {
        const std::size_t bytes = ((count * sizeof(float) + 63) / 64) * 64;
        data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes == 0 ? 64 : bytes)));
        if (!data_) throw std::bad_alloc();
        std::memset(data_.get(), 0, bytes == 0 ? 64 : bytes);
    }
    float* data() noexcept { return data_.get(); }
    const float* data() const noexcept { return data_.get(); }
    std::size_t size() const noexcept { return size_; }
    float& operator[](std::size_t i) noexcept { return data_[i]; }
    float operator[](std::size_t i) const noexcept { return data_[i]; }

private:
    struct Free {
        void operator()(float* p) const noexcept { std::free(p); }
    };
    std::unique_ptr<float[], Free> data_;
    std::size_t size_ = 0;
};

}  // namespace gs
