#include "packed_lstm.h"

#include <array>
#include <numbers>

namespace gs {

namespace {
constexpr double sigmoidScale = -std::numbers::log2e;
constexpr double tanhScale = 2.0 * std::numbers::log2e;
// i, f, g, o
constexpr std::array<double, 4> gateScale{sigmoidScale, sigmoidScale, tanhScale, sigmoidScale};
}  // namespace

PackedLstm::PackedLstm(const GatedWeights& weights, int gateAlign, int rowsPerTile)
    : PackedGates(weights, gateScale, gateAlign, rowsPerTile),
      bias(static_cast<std::size_t>(rows)) {
    for (int gate = 0; gate < 4; ++gate) {
        const double scale = gateScale[static_cast<std::size_t>(gate)];
        for (int unit = 0; unit < hidden; ++unit) {
            const Eigen::Index source = gate * hidden + unit;  // torch row
            bias[static_cast<std::size_t>(gate * gateRows + unit)] = static_cast<float>(
                (double(weights.biasIh(source)) + double(weights.biasHh(source))) * scale);
        }
    }
}

}  // namespace gs
