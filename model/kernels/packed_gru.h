#pragma once
// A GRU layer's weights laid out for the SIMD kernels (gru_kernel_impl.h).
//
// Rows are the 3 gate blocks r, z, n, each padded from H to Hp = H rounded up to 16 (one
// AVX-512 vector), so every vector loop runs whole vectors and the padding lanes compute
// exact zeros (zero weights and biases: n = 0, h' = 0). Matrices are stored column by column
// (column j = the 3 Hp weights that multiply input or hidden value j), so a matrix-vector
// product is a sum of columns scaled by broadcast values: no horizontal sums.
//
//   biasInput  = [b_ir + b_hr, b_iz + b_hz, b_in]   (everything that does not meet r)
//   biasHidden = [0, 0, b_hn]                       (b_hn is inside r * (W_hn h + b_hn))
//
// Every row is stored pre-multiplied by the factor its gate's exponential needs: -log2(e)
// for r and z (sigmoid(s) = 1 / (1 + 2^(-s log2 e))), 2 log2(e) for n (tanh(u) = 1 - 2 /
// (1 + 2^(2u log2 e))). The kernel's sums are then exponents of 2 already, which takes a
// multiply off every time step's critical path.

#include "aligned_buffer.h"
#include "model/gated_weights.h"

namespace gs {

struct PackedGru {
    static constexpr int padding = 16;
    static int paddedSize(int hidden) noexcept { return (hidden + padding - 1) / padding * padding; }

    explicit PackedGru(const GatedWeights& weights);

    int inputs = 0;
    int hidden = 0;
    int paddedHidden = 0;  // Hp
    int rows = 0;          // 3 Hp
    AlignedBuffer weightIh;    // inputs columns of `rows`
    AlignedBuffer weightHh;    // hidden columns of `rows`
    AlignedBuffer biasInput;   // rows
    AlignedBuffer biasHidden;  // rows
};

} // namespace gs
