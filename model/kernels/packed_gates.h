#pragma once
// The recurrent matrices of a gated layer (GRU: 3 gates, LSTM: 4) laid out for the SIMD
// kernels: each gate block of H rows padded to Hp = H rounded up to 16 floats (one AVX-512
// vector), so vector loops run whole vectors and padding rows are exactly zero; stored
// column by column (column j = the G Hp weights that multiply input or hidden value j), so a
// matrix-vector product is a sum of columns scaled by broadcast values, with no horizontal
// sums; every row multiplied by its gate's scale (the factor its exponential needs).

#include "aligned_buffer.h"
#include "model/gated_weights.h"

#include <span>

namespace gs {

struct PackedGates {
    static constexpr int padding = 16;
    static int paddedSize(int hidden) noexcept { return (hidden + padding - 1) / padding * padding; }

    // gateScale: one factor per gate block, in torch's gate order.
    PackedGates(const GatedWeights& weights, std::span<const double> gateScale);

    int inputs = 0;
    int hidden = 0;
    int paddedHidden = 0;  // Hp
    int rows = 0;          // gates x Hp
    AlignedBuffer weightIh;  // inputs columns of `rows`
    AlignedBuffer weightHh;  // hidden columns of `rows`
};

} // namespace gs
