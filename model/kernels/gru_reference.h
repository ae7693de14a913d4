#pragma once
// The GRU step as plain loops: the readable spec of what every kernel computes, and the
// slowest baseline in the benchmarks (tests/bench/gru_bench.cpp). torch.nn.GRU semantics:
//
//   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
//   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))
//   h' = n + z * (h - n)

#include "model/gated_weights.h"

#include <cmath>
#include <vector>

namespace gs {

// h: H values, updated in place; scratch: 3 H floats.
inline void gruReferenceStep(const GatedWeights& w, const float* x, float* h,
                             float* scratch) noexcept {
    const int inputs = w.inputSize(), hidden = w.hiddenSize();
    float* next = scratch;
    for (int j = 0; j < hidden; ++j) {
        float gate[3], recurrent[3];
        for (int g = 0; g < 3; ++g) {
            const int row = g * hidden + j;
            gate[g] = w.biasIh(row);
            for (int i = 0; i < inputs; ++i) gate[g] += w.weightIh(row, i) * x[i];
            recurrent[g] = w.biasHh(row);
            for (int k = 0; k < hidden; ++k) recurrent[g] += w.weightHh(row, k) * h[k];
        }
        const float r = 1.0f / (1.0f + std::exp(-(gate[0] + recurrent[0])));
        const float z = 1.0f / (1.0f + std::exp(-(gate[1] + recurrent[1])));
        const float n = std::tanh(gate[2] + r * recurrent[2]);
        next[j] = n + z * (h[j] - n);
    }
    for (int j = 0; j < hidden; ++j) h[j] = next[j];
}

}  // namespace gs
