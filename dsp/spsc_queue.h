#pragma once
// A fixed-capacity single-producer single-consumer queue of trivially copyable values.
// push() and pop() are wait-free and never allocate: one thread may push while another pops.

#include <array>
#include <atomic>
#include <cstddef>
#include <optional>
#include <type_traits>

namespace gs {

template <typename T, std::size_t Capacity>
class SpscQueue {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    // Producer thread. False when full.
    bool push(const T& value) noexcept {
        const std::size_t head = head_.load(std::memory_order_relaxed);
        const std::size_t next = (head + 1) % slots;
        if (next == tail_.load(std::memory_order_acquire)) return false;
        items_[head] = value;
        head_.store(next, std::memory_order_release);
        return true;
    }

    // Consumer thread. Empty optional when empty.
    std::optional<T> pop() noexcept {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        if (tail == head_.load(std::memory_order_acquire)) return std::nullopt;
        const T value = items_[tail];
        tail_.store((tail + 1) % slots, std::memory_order_release);
        return value;
    }

private:
    // One slot stays empty to tell full from empty.
    static constexpr std::size_t slots = Capacity + 1;
    std::array<T, slots> items_{};
    alignas(64) std::atomic<std::size_t> head_{0};
    alignas(64) std::atomic<std::size_t> tail_{0};
};

}  // namespace gs
