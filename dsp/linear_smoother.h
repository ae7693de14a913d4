#pragma once
// A per-sample linear ramp towards a target, reaching it exactly after rampSamples.
// The value at each sample depends only on how many samples have passed since the target
// changed, never on block boundaries, so smoothing keeps output partition-invariant.
// audio thread, except setRampLength/jumpTo (prepare).

namespace gs {

class LinearSmoother {
public:
    void setRampLength(int samples) noexcept { rampSamples_ = samples < 1 ? 1 : samples; }

    // Starts at value with no ramp (prepare, or a fresh stream).
    void jumpTo(float value) noexcept {
        current_ = target_ = value;
        remaining_ = 0;
    }

    // audio thread: a new target restarts the ramp from wherever the value is now.
    void setTarget(float target) noexcept {
        if (target == target_) return;
        target_ = target;
        remaining_ = rampSamples_;
        step_ = (target_ - current_) / static_cast<float>(rampSamples_);
    }

    // audio thread: the value for the next sample.
    float next() noexcept {
        if (remaining_ > 0) {
            current_ += step_;
            if (--remaining_ == 0) current_ = target_;
        }
        return current_;
    }

    float current() const noexcept { return current_; }
    float target() const noexcept { return target_; }
    bool isRamping() const noexcept { return remaining_ > 0; }

private:
    float current_ = 0.0f;
    float target_ = 0.0f;
    float step_ = 0.0f;
    int remaining_ = 0;
    int rampSamples_ = 1;
};

}  // namespace gs
