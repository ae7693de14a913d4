#pragma once
// An LSTM layer's weights laid out for the SIMD kernels (lstm_kernel_impl.h), the same way
// as PackedGru's: gate blocks i, f, g, o, each padded from H to Hp, matrices stored column
// by column, every row pre-multiplied by its gate's exponential factor (-log2(e) for the
// sigmoids i, f, o; 2 log2(e) for tanh g), and one bias per row (b_ih + b_hh: an LSTM adds
// both before its activations). Padding rows are zero: i = f = o = 1/2, g = 0, so the
// padding lanes of c and h stay exactly 0.

#include "aligned_buffer.h"
#include "model/gated_weights.h"

namespace gs {

struct PackedLstm {
    explicit PackedLstm(const GatedWeights& weights);

    int inputs = 0;
    int hidden = 0;
    int paddedHidden = 0;  // Hp
    int rows = 0;          // 4 Hp
    AlignedBuffer weightIh;  // inputs columns of `rows`
    AlignedBuffer weightHh;  // hidden columns of `rows`
    AlignedBuffer bias;      // rows
};

} // namespace gs
