#pragma once
// The LSTM step for one instruction set, included after gru_kernel_impl.h by each kernel
// file (it reuses that file's register-tiled products). Per time step, torch's equations:
//
//   i = sigmoid(W_ii x + W_hi h + b_i)    f = sigmoid(W_if x + W_hf h + b_f)
//   g = tanh(W_ig x + W_hg h + b_g)       o = sigmoid(W_io x + W_ho h + b_o)
//   c' = f c + i g                        h' = o tanh(c')
//
// The sums arrive as exponents of two (packed_lstm.h), so each gate is one exp2 and one
// division. Unlike the GRU step, nothing here is reordered for latency: one size-generic
// kernel, run-time loops.

#include "packed_lstm.h"

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

// state: h (Hp values) then c (Hp values), of which the first gateRows of each are written;
// scratch: 2 x 4 gate blocks (8 Hp floats are enough).
template <bool PaddedInput>
void lstmStep(const PackedLstm& g, const float* __restrict x, float* __restrict state,
              float* __restrict scratch) noexcept {
    const int hp = g.paddedHidden;  // the state's stride
    const int gr = g.gateRows;      // the sums' gate stride
    const int rows = g.rows;
    assert(gr == gateRowsFor(g.hidden) && g.tileRows == tile * lanes);  // packed for this kernel
    float* __restrict initial = scratch;
    float* __restrict sums = scratch + rows;
    float* __restrict h = state;
    float* __restrict c = state + hp;
    if (g.inputs == 1 && !PaddedInput) {  // audio: one input, no product needed
        const Vec x0 = broadcast(x[0]);
        for (int v = 0; v < rows; v += lanes) store(initial + v, load(g.bias.data() + v) + x0 * load(g.weightIh.data() + v));
    } else {
        accumulateRows<0, PaddedInput>(g.bias.data(), g.weightIh.data(), rows, x, g.inputs, initial);
    }
    accumulateRows<0>(initial, g.weightHh.data(), rows, h, g.hidden, sums);
    for (int v = 0; v < gr; v += lanes) {
        const Vec input = 1.0f / (1.0f + exp2(load(sums + v)));
        const Vec forget = 1.0f / (1.0f + exp2(load(sums + gr + v)));
        const Vec cell = 1.0f - 2.0f / (1.0f + exp2(load(sums + 2 * gr + v)));
        const Vec output = 1.0f / (1.0f + exp2(load(sums + 3 * gr + v)));
        const Vec cNext = forget * load(c + v) + input * cell;
        store(c + v, cNext);
        store(h + v, output * simd::tanh(cNext));
    }
}

} // namespace

LstmStepFn lstmStepFor(bool paddedInput) noexcept { return paddedInput ? &lstmStep<true> : &lstmStep<false>; }

} // namespace gs::kernels::GS_KERNEL_NAMESPACE
