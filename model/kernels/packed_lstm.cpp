#include "packed_lstm.h"

#include <numbers>

namespace gs {

namespace {
constexpr double sigmoidScale = -std::numbers::log2e;  // i, f, o
constexpr double tanhScale = 2.0 * std::numbers::log2e;  // g
} // namespace

PackedLstm::PackedLstm(const GatedWeights& weights)
    : PackedGates(weights, {sigmoidScale, sigmoidScale, tanhScale, sigmoidScale}),
      bias(static_cast<std::size_t>(rows)) {
    for (int gate = 0; gate < 4; ++gate) {
        const double scale = gate == 2 ? tanhScale : sigmoidScale;
        for (int unit = 0; unit < hidden; ++unit) {
            const Eigen::Index source = gate * hidden + unit;  // torch row
            bias[static_cast<std::size_t>(gate * paddedHidden + unit)] =
                static_cast<float>((double(weights.biasIh(source)) + double(weights.biasHh(source))) * scale);
        }
    }
}

} // namespace gs
