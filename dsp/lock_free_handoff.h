#pragma once
// Hands heap objects (a prepared model, say) from non-audio threads to the audio thread and
// back for destruction, without locks and without the audio thread ever freeing memory.
//
//   any non-audio thread: publish(object)   the newest object waits in a one-place mailbox;
//                                            one it replaces (never seen by the audio thread)
//                                            is destroyed right there, by the publisher
//   audio thread:         take()             the waiting object, or nullptr
//   audio thread:         retire(object)     queues an object it no longer uses
//   any non-audio thread: collect()          destroys what the audio thread retired

#include "spsc_queue.h"

#include <atomic>
#include <memory>
#include <mutex>

namespace gs {

template <typename T>
class LockFreeHandoff {
public:
    LockFreeHandoff() = default;
    LockFreeHandoff(const LockFreeHandoff&) = delete;
    LockFreeHandoff& operator=(const LockFreeHandoff&) = delete;
    ~LockFreeHandoff() {
        delete pending_.exchange(nullptr, std::memory_order_acquire);
        collect();
    }

    // Non-audio thread.
    void publish(std::unique_ptr<T> object) {
        delete pending_.exchange(object.release(), std::memory_order_acq_rel);
    }

    // Non-audio thread: drops a waiting object that the audio thread has not taken.
    void cancelPending() { delete pending_.exchange(nullptr, std::memory_order_acq_rel); }

    // audio thread
    T* take() noexcept { return pending_.exchange(nullptr, std::memory_order_acq_rel); }

    // audio thread: false when the retire queue is full; keep the object and try again later.
    bool retire(T* object) noexcept { return retired_.push(object); }

    // Non-audio thread(s): the mutex serialises collectors so the queue keeps one consumer;
    // the audio thread never takes it.
    void collect() {
        const std::lock_guard<std::mutex> lock(collectMutex_);
        while (const auto object = retired_.pop()) delete *object;
    }

private:
    std::atomic<T*> pending_{nullptr};
    SpscQueue<T*, 16> retired_;
    std::mutex collectMutex_;
};

}  // namespace gs
