#include "packed_gates.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace gs {

namespace {
int checkedGateRows(int hidden, int gateAlign) {
    if (gateAlign < 1 || PackedGates::padding % gateAlign != 0)
        throw std::invalid_argument("PackedGates: gate alignment must divide " +
                                    std::to_string(PackedGates::padding));
    return roundUpToMultiple(hidden, gateAlign);
}

int checkedTileRows(int tileRows, int gateAlign) {
    if (tileRows < gateAlign || tileRows % gateAlign != 0)
        throw std::invalid_argument(
            "PackedGates: tile rows must be a multiple of the gate alignment");
    return tileRows;
}
}  // namespace

PackedGates::PackedGates(const GatedWeights& weights, std::span<const double> gateScale,
                         int gateAlign, int rowsPerTile)
    : inputs(weights.inputSize()), hidden(weights.hiddenSize()), paddedHidden(paddedSize(hidden)),
      gateRows(checkedGateRows(hidden, gateAlign)),
      rows(static_cast<int>(gateScale.size()) * gateRows),
      tileRows(checkedTileRows(rowsPerTile, gateAlign)),
      weightIh(static_cast<std::size_t>(inputs) * static_cast<std::size_t>(rows)),
      weightHh(static_cast<std::size_t>(hidden) * static_cast<std::size_t>(rows)) {
    for (std::size_t gate = 0; gate < gateScale.size(); ++gate) {
        const double scale = gateScale[gate];
        for (int unit = 0; unit < hidden; ++unit) {
            const auto source = static_cast<Eigen::Index>(gate) * hidden + unit;  // torch row
            const int packed = static_cast<int>(gate) * gateRows + unit;
            for (int i = 0; i < inputs; ++i)
                weightIh[indexOf(packed, i, inputs)] =
                    static_cast<float>(weights.weightIh(source, i) * scale);
            for (int j = 0; j < hidden; ++j)
                weightHh[indexOf(packed, j, hidden)] =
                    static_cast<float>(weights.weightHh(source, j) * scale);
        }
    }
}

std::size_t PackedGates::indexOf(int row, int column, int columns) const noexcept {
    const int start = row / tileRows * tileRows;  // the tile's first row
    const int height = std::min(tileRows, rows - start);
    return static_cast<std::size_t>(start) * static_cast<std::size_t>(columns) +
           static_cast<std::size_t>(column) * static_cast<std::size_t>(height) +
           static_cast<std::size_t>(row - start);
}

}  // namespace gs
