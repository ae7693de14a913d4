#include "packed_gates.h"

#include <stdexcept>
#include <string>

namespace gs {

namespace {
int checkedGateRows(int hidden, int gateAlign) {
    if (gateAlign < 1 || PackedGates::padding % gateAlign != 0)
        throw std::invalid_argument("PackedGates: gate alignment must divide " + std::to_string(PackedGates::padding));
    return (hidden + gateAlign - 1) / gateAlign * gateAlign;
}
} // namespace

PackedGates::PackedGates(const GatedWeights& weights, std::span<const double> gateScale, int gateAlign)
    : inputs(weights.inputSize()), hidden(weights.hiddenSize()), paddedHidden(paddedSize(hidden)),
      gateRows(checkedGateRows(hidden, gateAlign)), rows(static_cast<int>(gateScale.size()) * gateRows),
      weightIh(static_cast<std::size_t>(inputs) * static_cast<std::size_t>(rows)),
      weightHh(static_cast<std::size_t>(hidden) * static_cast<std::size_t>(rows)) {
    const auto stride = static_cast<std::size_t>(rows);
    for (std::size_t gate = 0; gate < gateScale.size(); ++gate) {
        const double scale = gateScale[gate];
        for (int unit = 0; unit < hidden; ++unit) {
            const auto source = static_cast<Eigen::Index>(gate) * hidden + unit;  // torch row
            const auto packed = gate * static_cast<std::size_t>(gateRows) + static_cast<std::size_t>(unit);
            for (int i = 0; i < inputs; ++i)
                weightIh[static_cast<std::size_t>(i) * stride + packed] = static_cast<float>(weights.weightIh(source, i) * scale);
            for (int j = 0; j < hidden; ++j)
                weightHh[static_cast<std::size_t>(j) * stride + packed] = static_cast<float>(weights.weightHh(source, j) * scale);
        }
    }
}

} // namespace gs
