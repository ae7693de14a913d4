#pragma once
// The band-limiting filter of the resampler: a Kaiser-windowed sinc, tabulated once and read
// with linear interpolation. The argument u is in units of the sinc's zero crossings
// (u = 2 * cutoff * time), so one table serves every pair of rates.

#include <vector>

namespace gs {

class ResamplingKernel {
public:
    static constexpr int zeroCrossings = 24;   // per side: sets the steepness and the latency
    static constexpr double kaiserBeta = 9.0;  // ~90 dB stopband
    static constexpr int pointsPerCrossing = 1024;

    // Built on first use; call it from prepare, not the audio thread.
    static const ResamplingKernel& instance();

    // audio thread: the kernel at u; 0 outside [-zeroCrossings, zeroCrossings].
    float at(double u) const noexcept {
        const double position = (u + zeroCrossings) * pointsPerCrossing;
        if (!(position >= 0.0) || position >= static_cast<double>(table_.size() - 1)) return 0.0f;
        const auto index = static_cast<std::size_t>(position);
        const auto fraction = static_cast<float>(position - static_cast<double>(index));
        return table_[index] + fraction * (table_[index + 1] - table_[index]);
    }

private:
    ResamplingKernel();
    std::vector<float> table_;
};

}  // namespace gs
