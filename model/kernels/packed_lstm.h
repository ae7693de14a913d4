#pragma once
// An LSTM layer's weights laid out for the SIMD kernels (lstm_kernel_impl.h): the matrices as
// PackedGates lays them out (gate blocks i, f, g, o), each row pre-multiplied by its gate's
// exponential factor (-log2(e) for the sigmoids i, f, o; 2 log2(e) for tanh g), and one bias
// per row (b_ih + b_hh: an LSTM adds both before its activations). Padding rows are zero:
// i = f = o = 1/2, g = 0, so the padding lanes of c and h stay exactly 0.

#include "packed_gates.h"

namespace gs {

struct PackedLstm : PackedGates {
    // gateAlign, rowsPerTile: as PackedGates takes them.
    PackedLstm(const GatedWeights& weights, int gateAlign, int rowsPerTile);

    AlignedBuffer bias;  // rows
};

}  // namespace gs
