#pragma once
// The real-time engine every front end runs: a stateful model over N audio channels with
// lock-free model swaps (crossfaded), smoothed gain/mix/bypass, resampling to the model's
// rate, and guards that keep NaN, Inf and denormals out of the output.
//
// Signal flow per channel (all ramps per sample, so output is partition-invariant):
//   wet  = model(input * inputGain)                 at the model's rate, latency L
//   dry  = input delayed by L
//   y    = outputGain * (mix * wet + (1 - mix) * dry)
//   out  = bypassFade * y + (1 - bypassFade) * dry   (bypass fades over the crossfade time)
// On a model swap, y (and dry) crossfade linearly from the old model to the new one, which
// starts from a zero state. Linear suits the correlated outputs of two takes on one effect.
//
// Threads:
//   prepare(), setModel(), setCrossfadeMs(), collectGarbage(): non-audio threads (they may
//     allocate); prepare() never while process() runs.
//   process(): the audio thread. Never allocates, locks, frees, waits or throws.
//   reset(), parameters(), and every const query: any thread.

#include "engine_parameters.h"
#include "linear_smoother.h"
#include "lock_free_handoff.h"
#include "model_slot.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace gs {

class StreamEngine {
public:
    static constexpr double defaultCrossfadeMs = 50.0;
    static constexpr double parameterRampMs = 20.0;

    StreamEngine() = default;
    ~StreamEngine();
    StreamEngine(const StreamEngine&) = delete;
    StreamEngine& operator=(const StreamEngine&) = delete;

    // Allocates for the stream; a model set before becomes active at once (no fade).
    // Throws std::invalid_argument for a rate outside 1 Hz .. 768 kHz or sizes < 1.
    void prepare(double sampleRate, int maxBlockSize, int numChannels);

    // Builds the model's slot here (resampler, buffers) and hands it to the audio thread,
    // which crossfades to it. Before prepare(), the model waits for prepare(). Throws
    // std::invalid_argument when the model is not a 1-in/1-out model; the old one keeps playing.
    void setModel(std::shared_ptr<const RecurrentModel> model);

    // audio thread: in place; any numSamples >= 0 (blocks longer than maxBlockSize are split).
    // Channels beyond the prepared count are left untouched.
    void process(float* const* channels, int numChannels, int numSamples) noexcept;

    // Any thread: clears every channel's hidden state at the start of the next block.
    void reset() noexcept { resetRequested_.store(true, std::memory_order_release); }

    EngineParameters& parameters() noexcept { return parameters_; }
    void setCrossfadeMs(double milliseconds) noexcept;

    // Destroys models the audio thread has finished with; also done inside setModel().
    void collectGarbage() { handoff_.collect(); }

    int latencySamples() const noexcept { return latency_.load(std::memory_order_relaxed); }
    bool isResampling() const noexcept { return resampling_.load(std::memory_order_relaxed); }
    // True once after any block in which a non-finite input or state was caught.
    bool takeNonFiniteFlag() noexcept {
        return nonFiniteFlag_.exchange(false, std::memory_order_relaxed);
    }
    std::uint64_t nonFiniteEvents() const noexcept {
        return nonFiniteEvents_.load(std::memory_order_relaxed);
    }
    std::uint64_t completedSwaps() const noexcept {
        return completedSwaps_.load(std::memory_order_relaxed);
    }
    // Memory the engine holds per channel for the active model (after prepare/swap).
    std::size_t bytesPerChannel() const noexcept {
        return bytesPerChannel_.load(std::memory_order_relaxed);
    }

private:
    void processChunk(float* const* channels, int numChannels, int offset, int numSamples) noexcept;
    void updateSmootherTargets() noexcept;
    void adoptPendingSlot() noexcept;
    void finishFadeIfDone() noexcept;
    void resetChannel(int channel) noexcept;
    void guardInput(float* const* channels, int numChannels, int offset, int numSamples) noexcept;
    void mixOutput(float* const* channels, int numChannels, int offset, int numSamples) noexcept;
    void guardOutput(float* const* channels, int numChannels, int offset, int numSamples) noexcept;
    void raiseNonFinite() noexcept;
    void publishSlotFacts(const ModelSlot* slot) noexcept;

    EngineParameters parameters_;
    LockFreeHandoff<ModelSlot> handoff_;

    // Non-audio side, under configMutex_.
    std::mutex configMutex_;
    std::shared_ptr<const RecurrentModel> model_;
    bool prepared_ = false;
    double sampleRate_ = 48000.0;
    int maxBlockSize_ = 0;
    int numChannels_ = 0;

    // Audio side (prepare() may touch it because it never runs alongside process()).
    std::unique_ptr<ModelSlot> current_;
    std::unique_ptr<ModelSlot> previous_;  // fading out, or waiting to be retired
    bool fading_ = false;
    int fadePosition_ = 0;
    int fadeLength_ = 1;
    LinearSmoother inputGain_, outputGain_, mix_, wetAmount_;
    float lastInputGainDb_ = 0.0f, lastOutputGainDb_ = 0.0f;
    std::vector<std::vector<float>> dryInput_, modelInput_;
    std::vector<const float*> dryPointers_, modelPointers_;
    std::vector<char> badChannel_;

    std::atomic<double> crossfadeMs_{defaultCrossfadeMs};
    std::atomic<bool> resetRequested_{false};
    std::atomic<int> latency_{0};
    std::atomic<bool> resampling_{false};
    std::atomic<bool> nonFiniteFlag_{false};
    std::atomic<std::uint64_t> nonFiniteEvents_{0};
    std::atomic<std::uint64_t> completedSwaps_{0};
    std::atomic<std::size_t> bytesPerChannel_{0};
};

}  // namespace gs
