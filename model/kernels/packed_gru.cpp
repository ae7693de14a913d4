#include "packed_gru.h"

#include <array>
#include <numbers>

namespace gs {

namespace {
// r and z are sigmoids, n a tanh (packed_gru.h).
constexpr std::array<double, 3> gateScale{-std::numbers::log2e, -std::numbers::log2e,
                                          2.0 * std::numbers::log2e};
}  // namespace

PackedGru::PackedGru(const GatedWeights& weights, int gateAlign, int rowsPerTile)
    : PackedGates(weights, gateScale, gateAlign, rowsPerTile),
      biasInput(static_cast<std::size_t>(rows)), biasHidden(static_cast<std::size_t>(rows)) {
    for (int gate = 0; gate < 3; ++gate) {
        const double scale = gateScale[static_cast<std::size_t>(gate)];
        for (int unit = 0; unit < hidden; ++unit) {
            const Eigen::Index source = gate * hidden + unit;  // torch row
            const auto packed = static_cast<std::size_t>(gate * gateRows + unit);
            if (gate < 2) {
                biasInput[packed] = static_cast<float>(
                    (double(weights.biasIh(source)) + double(weights.biasHh(source))) * scale);
            } else {
                biasInput[packed] = static_cast<float>(weights.biasIh(source) * scale);
                biasHidden[packed] = static_cast<float>(weights.biasHh(source) * scale);
            }
        }
    }
}

}  // namespace gs
