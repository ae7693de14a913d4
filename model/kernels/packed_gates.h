#pragma once
// The recurrent matrices of a gated layer (GRU: 3 gates, LSTM: 4) laid out for the SIMD
// kernels:
// - each gate block of H rows padded to the kernel's vector width (gateRows: 16 floats for
//   AVX-512, 8 for AVX2, 4 for AVX2-128 and SSE), so vector loops run whole vectors, padding
//   rows are exactly zero and no kernel computes a whole vector of padding (AVX2 at H8: 3
//   vectors, not 6);
// - the rows cut into tiles of the kernel's tileRows (the rows one product keeps in
//   registers; the last tile may be shorter), each tile's block stored column by column
//   (column j: that tile's rows of the weights that multiply input or hidden value j), the
//   blocks one after another. A product is then a sum of columns scaled by broadcast values,
//   with no horizontal sums, and each tile reads one contiguous block, which the hardware
//   prefetchers stream from L2 once the weights outgrow L1 (whole-column strides did not:
//   AVX2 GRU H128 on a Zen 1, 4.4 -> 3.4 us per sample, measured). A matrix of one tile is
//   plain column-major: the GRU up to H40 on AVX2 and H128 on AVX-512 (but not H49-68 there,
//   H64 among them, whose steps alternate their tile order: kernelGruTileRows), the LSTM up to H24
//   and H96;
// - every row multiplied by its gate's scale (the factor its exponential needs).
// The layer's state is padded further, to Hp (a multiple of 16 for every kernel), so states,
// stacks and dense heads share one layout.

#include "aligned_buffer.h"
#include "model/gated_weights.h"

#include <cstddef>
#include <span>

namespace gs {

// value rounded up to a multiple of `multiple` (> 0): gate blocks, states and dense rows.
constexpr int roundUpToMultiple(int value, int multiple) noexcept {
    return (value + multiple - 1) / multiple * multiple;
}

struct PackedGates {
    static constexpr int padding = 16;  // the state's: one AVX-512 vector
    static int paddedSize(int hidden) noexcept { return roundUpToMultiple(hidden, padding); }

    // gateScale: one factor per gate block, in torch's gate order. gateAlign: the kernel's
    // vector width in floats (kernelVectorFloats(isa)), a divisor of `padding`. rowsPerTile: the
    // kernel's tile height (kernelTileRows(isa), or kernelGruTileRows(isa, hidden) for a GRU),
    // a multiple of gateAlign. Throws
    // std::invalid_argument otherwise.
    PackedGates(const GatedWeights& weights, std::span<const double> gateScale, int gateAlign,
                int rowsPerTile);

    // Where the weight of packed row `row` (gate block x gateRows + unit) and column `column`
    // of a matrix with `columns` columns sits in weightIh (columns = inputs) or weightHh
    // (columns = hidden).
    std::size_t indexOf(int row, int column, int columns) const noexcept;

    int inputs = 0;
    int hidden = 0;
    int paddedHidden = 0;    // Hp: the state's size
    int gateRows = 0;        // rows per gate block: H rounded up to gateAlign (at most Hp)
    int rows = 0;            // gates x gateRows
    int tileRows = 0;        // rows per tile block (the last block may have fewer)
    AlignedBuffer weightIh;  // inputs columns of `rows`, in tile blocks
    AlignedBuffer weightHh;  // hidden columns of `rows`, in tile blocks
};

}  // namespace gs
