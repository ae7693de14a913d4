#pragma once
// The recurrent matrices of a gated layer (GRU: 3 gates, LSTM: 4) laid out for the SIMD
// kernels: each gate block of H rows padded to the kernel's vector width (gateRows: 16
// floats for AVX-512, 8 for AVX2, 4 for SSE), so vector loops run whole vectors, padding rows
// are exactly zero and no kernel computes a whole vector of padding (AVX2 at H8: 3 vectors,
// not 6); stored column by column (column j = the gates x gateRows weights that multiply
// input or hidden value j), so a matrix-vector product is a sum of columns scaled by
// broadcast values, with no horizontal sums; every row multiplied by its gate's scale (the
// factor its exponential needs). The layer's state is padded further, to Hp (a multiple of
// 16 for every kernel), so states, stacks and dense heads share one layout.

#include "aligned_buffer.h"
#include "model/gated_weights.h"

#include <span>

namespace gs {

struct PackedGates {
    static constexpr int padding = 16;  // the state's: one AVX-512 vector
    static int paddedSize(int hidden) noexcept { return (hidden + padding - 1) / padding * padding; }

    // gateScale: one factor per gate block, in torch's gate order. gateAlign: the kernel's
    // vector width in floats (kernelVectorFloats()), a divisor of `padding`.
    PackedGates(const GatedWeights& weights, std::span<const double> gateScale, int gateAlign);

    int inputs = 0;
    int hidden = 0;
    int paddedHidden = 0;  // Hp: the state's size
    int gateRows = 0;      // rows per gate block: H rounded up to gateAlign (at most Hp)
    int rows = 0;          // gates x gateRows
    AlignedBuffer weightIh;  // inputs columns of `rows`
    AlignedBuffer weightHh;  // hidden columns of `rows`
};

} // namespace gs
