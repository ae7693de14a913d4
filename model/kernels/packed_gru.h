#pragma once
// A GRU layer's weights laid out for the SIMD kernels (gru_step_impl.h): the matrices as
// PackedGates lays them out (gate blocks r, z, n), and two bias vectors:
//
//   biasInput  = [b_ir + b_hr, b_iz + b_hz, b_in]   (everything that does not meet r)
//   biasHidden = [0, 0, b_hn]                       (b_hn is inside r * (W_hn h + b_hn))
//
// Every row is stored pre-multiplied by the factor its gate's exponential needs: -log2(e)
// for r and z (sigmoid(s) = 1 / (1 + 2^(-s log2 e))), 2 log2(e) for n (tanh(u) = 1 - 2 /
// (1 + 2^(2u log2 e))). The kernel's sums are then exponents of 2 already, which takes a
// multiply off every time step's critical path. Padding rows are zero: n = 0, h' = 0.

#include "packed_gates.h"

namespace gs {

struct PackedGru : PackedGates {
    // gateAlign, rowsPerTile: as PackedGates takes them.
    PackedGru(const GatedWeights& weights, int gateAlign, int rowsPerTile);

    AlignedBuffer biasInput;   // rows
    AlignedBuffer biasHidden;  // rows
};

}  // namespace gs
