#include "stream_engine.h"

#include "denormal_guard.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace gs {
namespace {

void checkEffectModel(const RecurrentModel& model) {
    if (model.inputSize() != 1 || model.outputSize() != 1)
        throw std::invalid_argument("the audio engine needs a model with 1 input and 1 output; "
                                    "this one has " +
                                    std::to_string(model.inputSize()) + " inputs and " +
                                    std::to_string(model.outputSize()) + " outputs");
}

int samplesFor(double milliseconds, double sampleRate) {
    return std::max(1, static_cast<int>(std::lround(milliseconds * sampleRate / 1000.0)));
}

}  // namespace

StreamEngine::~StreamEngine() = default;  // members free slots; no audio thread runs by now

void StreamEngine::prepare(double sampleRate, int maxBlockSize, int numChannels) {
    if (!(sampleRate >= 1.0 && sampleRate <= 768000.0))
        throw std::invalid_argument("sample rate outside 1 Hz .. 768 kHz");
    if (maxBlockSize < 1 || numChannels < 1)
        throw std::invalid_argument("prepare needs a block size and channel count of at least 1");
    const std::lock_guard<std::mutex> lock(configMutex_);
    handoff_.cancelPending();
    handoff_.collect();
    previous_.reset();
    fading_ = false;
    current_ = model_ ? std::make_unique<ModelSlot>(model_, sampleRate, maxBlockSize, numChannels)
                      : nullptr;
    publishSlotFacts(current_.get());

    const auto channels = static_cast<std::size_t>(numChannels);
    const auto block = static_cast<std::size_t>(maxBlockSize);
    dryInput_.assign(channels, std::vector<float>(block, 0.0f));
    modelInput_.assign(channels, std::vector<float>(block, 0.0f));
    dryPointers_.clear();
    modelPointers_.clear();
    for (std::size_t c = 0; c < channels; ++c) {
        dryPointers_.push_back(dryInput_[c].data());
        modelPointers_.push_back(modelInput_[c].data());
    }
    badChannel_.assign(channels, 0);

    const int ramp = samplesFor(parameterRampMs, sampleRate);
    inputGain_.setRampLength(ramp);
    outputGain_.setRampLength(ramp);
    mix_.setRampLength(ramp);
    wetAmount_.setRampLength(samplesFor(crossfadeMs_.load(), sampleRate));
    lastInputGainDb_ = parameters_.inputGainDb();
    lastOutputGainDb_ = parameters_.outputGainDb();
    inputGain_.jumpTo(EngineParameters::gainFromDb(lastInputGainDb_));
    outputGain_.jumpTo(EngineParameters::gainFromDb(lastOutputGainDb_));
    mix_.jumpTo(parameters_.mix());
    wetAmount_.jumpTo(parameters_.bypassed() ? 0.0f : 1.0f);
    resetRequested_.store(false);

    sampleRate_ = sampleRate;
    maxBlockSize_ = maxBlockSize;
    numChannels_ = numChannels;
    prepared_ = true;
}

void StreamEngine::setModel(std::shared_ptr<const RecurrentModel> model) {
    if (!model) throw std::invalid_argument("no model");
    checkEffectModel(*model);
    handoff_.collect();
    const std::lock_guard<std::mutex> lock(configMutex_);
    if (prepared_)
        handoff_.publish(
            std::make_unique<ModelSlot>(model, sampleRate_, maxBlockSize_, numChannels_));
    model_ = std::move(model);
}

void StreamEngine::setCrossfadeMs(double milliseconds) noexcept {
    if (milliseconds >= 0.0 && milliseconds <= 10000.0) crossfadeMs_.store(milliseconds);
}

void StreamEngine::process(float* const* channels, int numChannels, int numSamples) noexcept {
    if (maxBlockSize_ < 1 || numSamples <= 0) return;
    const DenormalGuard denormalGuard;
    const int usedChannels = std::min(numChannels, numChannels_);
    for (int offset = 0; offset < numSamples; offset += maxBlockSize_)
        processChunk(channels, usedChannels, offset, std::min(maxBlockSize_, numSamples - offset));
}

void StreamEngine::processChunk(float* const* channels, int numChannels, int offset,
                                int numSamples) noexcept {
    updateSmootherTargets();
    if (resetRequested_.exchange(false, std::memory_order_acq_rel))
        for (int c = 0; c < numChannels_; ++c) resetChannel(c);
    adoptPendingSlot();
    guardInput(channels, numChannels, offset, numSamples);

    for (int i = 0; i < numSamples; ++i) {
        const float gain = inputGain_.next();
        for (int c = 0; c < numChannels; ++c)
            modelInput_[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)] =
                dryInput_[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)] * gain;
    }
    if (current_)
        current_->process(modelPointers_.data(), dryPointers_.data(), numChannels, numSamples);
    if (fading_ && previous_)
        previous_->process(modelPointers_.data(), dryPointers_.data(), numChannels, numSamples);

    mixOutput(channels, numChannels, offset, numSamples);
    guardOutput(channels, numChannels, offset, numSamples);
    finishFadeIfDone();
}

void StreamEngine::updateSmootherTargets() noexcept {
    const float inputDb = parameters_.inputGainDb();
    if (inputDb != lastInputGainDb_) {
        lastInputGainDb_ = inputDb;
        inputGain_.setTarget(EngineParameters::gainFromDb(inputDb));
    }
    const float outputDb = parameters_.outputGainDb();
    if (outputDb != lastOutputGainDb_) {
        lastOutputGainDb_ = outputDb;
        outputGain_.setTarget(EngineParameters::gainFromDb(outputDb));
    }
    mix_.setTarget(parameters_.mix());
    wetAmount_.setRampLength(samplesFor(crossfadeMs_.load(std::memory_order_relaxed), sampleRate_));
    wetAmount_.setTarget(parameters_.bypassed() ? 0.0f : 1.0f);
}

void StreamEngine::adoptPendingSlot() noexcept {
    if (previous_ || fading_) return;  // one swap at a time: the last is still fading or retiring
    ModelSlot* next = handoff_.take();
    if (!next) return;
    previous_ = std::move(current_);
    current_.reset(next);  // current_ was moved from: nothing is freed here
    fading_ = true;
    fadePosition_ = 0;
    fadeLength_ = samplesFor(crossfadeMs_.load(std::memory_order_relaxed), sampleRate_);
    publishSlotFacts(current_.get());
}

void StreamEngine::finishFadeIfDone() noexcept {
    if (fading_ && fadePosition_ >= fadeLength_) {
        fading_ = false;
        completedSwaps_.fetch_add(1, std::memory_order_relaxed);
    }
    // The faded-out slot goes back to a non-audio thread; if the queue is full, try next block.
    if (!fading_ && previous_ && handoff_.retire(previous_.get())) (void)previous_.release();
}

void StreamEngine::resetChannel(int channel) noexcept {
    if (current_) current_->resetChannel(channel);
    if (previous_) previous_->resetChannel(channel);
}

// A channel whose input block holds NaN or Inf runs on silence for this block; guardOutput
// then silences its output and resets its state.
void StreamEngine::guardInput(float* const* channels, int numChannels, int offset,
                              int numSamples) noexcept {
    for (int c = 0; c < numChannels; ++c) {
        const float* in = channels[c] + offset;
        float* dry = dryInput_[static_cast<std::size_t>(c)].data();
        const bool finite =
            std::all_of(in, in + numSamples, [](float v) { return std::isfinite(v); });
        badChannel_[static_cast<std::size_t>(c)] = finite ? 0 : 1;
        if (finite) {
            std::copy(in, in + numSamples, dry);
        } else {
            std::fill(dry, dry + numSamples, 0.0f);
            raiseNonFinite();
        }
    }
}

void StreamEngine::mixOutput(float* const* channels, int numChannels, int offset,
                             int numSamples) noexcept {
    for (int i = 0; i < numSamples; ++i) {
        const float mix = mix_.next();
        const float outputGain = outputGain_.next();
        const float wetAmount = wetAmount_.next();
        float fade = 1.0f;
        if (fading_) {
            fade = fadePosition_ < fadeLength_
                       ? static_cast<float>(fadePosition_ + 1) / static_cast<float>(fadeLength_)
                       : 1.0f;
            ++fadePosition_;
        }
        for (int c = 0; c < numChannels; ++c) {
            // With no model, the path is a plain pass-through of the (undelayed) input.
            const float passThrough =
                dryInput_[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)];
            float dry = current_ ? current_->dry(c)[i] : passThrough;
            float y =
                current_ ? outputGain * (mix * current_->wet(c)[i] + (1.0f - mix) * dry) : dry;
            if (fading_) {
                const float oldDry = previous_ ? previous_->dry(c)[i] : passThrough;
                const float oldY =
                    previous_ ? outputGain * (mix * previous_->wet(c)[i] + (1.0f - mix) * oldDry)
                              : oldDry;
                y = (1.0f - fade) * oldY + fade * y;
                dry = (1.0f - fade) * oldDry + fade * dry;
            }
            channels[c][offset + i] = wetAmount * y + (1.0f - wetAmount) * dry;
        }
    }
}

// Never let NaN, Inf or a denormal out: a channel whose output or state went non-finite is
// reset and silenced for this block; denormal outputs become zero.
void StreamEngine::guardOutput(float* const* channels, int numChannels, int offset,
                               int numSamples) noexcept {
    constexpr float largest = std::numeric_limits<float>::max();
    constexpr float smallestNormal = std::numeric_limits<float>::min();
    for (int c = 0; c < numChannels; ++c) {
        float* out = channels[c] + offset;
        bool bad = badChannel_[static_cast<std::size_t>(c)] != 0;
        for (int i = 0; i < numSamples && !bad; ++i) {
            const float magnitude = std::fabs(out[i]);
            if (!(magnitude <= largest))
                bad = true;  // NaN or Inf
            else if (magnitude < smallestNormal)
                out[i] = 0.0f;
        }
        const bool stateBad = (current_ && !current_->channelStateFinite(c)) ||
                              (fading_ && previous_ && !previous_->channelStateFinite(c));
        if (bad || stateBad) {
            // Reset after the block, so the next finite block starts from a clean state.
            std::fill(out, out + numSamples, 0.0f);
            resetChannel(c);
            if (!badChannel_[static_cast<std::size_t>(c)]) raiseNonFinite();
        }
    }
}

void StreamEngine::raiseNonFinite() noexcept {
    nonFiniteFlag_.store(true, std::memory_order_relaxed);
    nonFiniteEvents_.fetch_add(1, std::memory_order_relaxed);
}

void StreamEngine::publishSlotFacts(const ModelSlot* slot) noexcept {
    latency_.store(slot ? slot->latencySamples() : 0, std::memory_order_relaxed);
    resampling_.store(slot && slot->isResampling(), std::memory_order_relaxed);
    bytesPerChannel_.store(slot ? slot->bytesPerChannel() : 0, std::memory_order_relaxed);
}

}  // namespace gs
