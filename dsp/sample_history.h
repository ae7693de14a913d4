#pragma once
// The last N samples of a stream, readable as one contiguous run (oldest first) with no
// wrap-around: every sample is written twice, at pos and pos + N. Used for FIR histories and
// integer delay lines. push/at/window: audio thread; the constructor allocates.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace gs {

class SampleHistory {
public:
    SampleHistory() = default;
    explicit SampleHistory(std::size_t capacity)
        : capacity_(std::max<std::size_t>(capacity, 1)), buffer_(2 * capacity_, 0.0f) {}

    std::size_t capacity() const noexcept { return capacity_; }

    void push(float value) noexcept {
        position_ = position_ + 1 == capacity_ ? 0 : position_ + 1;
        buffer_[position_] = value;
        buffer_[position_ + capacity_] = value;
    }

    // The sample pushed `age` pushes ago (0 = newest); age < capacity.
    float at(std::size_t age) const noexcept { return buffer_[position_ + capacity_ - age]; }

    // Pointer to the sample of the given age; the samples that follow are younger, up to the
    // newest, contiguously.
    const float* window(std::size_t oldestAge) const noexcept {
        return buffer_.data() + position_ + capacity_ - oldestAge;
    }

    void clear() noexcept { std::fill(buffer_.begin(), buffer_.end(), 0.0f); }
    std::size_t bytes() const noexcept { return buffer_.size() * sizeof(float); }

private:
    std::size_t capacity_ = 0;
    std::size_t position_ = 0;
    std::vector<float> buffer_;
};

}  // namespace gs
