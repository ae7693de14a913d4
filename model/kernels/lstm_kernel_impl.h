#pragma once
// The LSTM step for one instruction set, included after gru_kernel_impl.h by each kernel
// file (it takes the table of compiled sizes, forCompiledSize in gru_step_impl.h, and the
// GRU's tiled products, tiled_product.h). Per time step, torch's equations:
//
//   i = sigmoid(W_ii x + W_hi h + b_i)    f = sigmoid(W_if x + W_hf h + b_f)
//   g = tanh(W_ig x + W_hg h + b_g)       o = sigmoid(W_io x + W_ho h + b_o)
//   c' = f c + i g                        h' = o tanh(c')
//
// The sums arrive as exponents of two (packed_lstm.h), so each gate is one 1 + 2^t
// (onePlusExp2) and one division; the cell state is kept scaled (cellScale, below) to shorten
// the chain from one step's h to the next.

#include "packed_lstm.h"
#include "tiled_product.h"

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

// c is kept multiplied by tanh's exponent factor, 2 log2(e), so that tanh(c') needs no
// multiply before its exponential, and h' = o tanh(c') = o - 2o / (1 + 2^c') ends in one
// division and one subtraction: two operations fewer after the step's last exponential,
// which the next step waits for.
constexpr float cellScale = 2.0f * log2e;

// state: h (Hp values) then c x cellScale (Hp values), of which the first gateRows of each
// are written; scratch: 2 x 4 gate blocks (8 Hp floats are enough). Hidden > 0: a size known
// at compile time (loops unrolled, a product of one tile inlined, as gruStep does); 0: any
// size, the same code with run-time loops, so both give identical numbers (tested).
template <int Hidden, bool PaddedInput>
void lstmStep(const PackedLstm& g, const float* __restrict x, float* __restrict state,
              float* __restrict scratch) noexcept {
    const int hidden = Hidden > 0 ? Hidden : g.hidden;
    const int hp = g.paddedHidden;                                 // the state's stride
    const int gr = Hidden > 0 ? gateRowsFor(Hidden) : g.gateRows;  // the sums' gate stride
    const int rows = 4 * gr;
    // packed for this kernel, and for this size
    assert(g.gateRows == gateRowsFor(g.hidden) && g.rows == rows && g.tileRows == tile * lanes);
    assert(Hidden == 0 || Hidden == g.hidden);
    float* __restrict initial = scratch;
    float* __restrict sums = scratch + rows;
    float* __restrict h = state;
    float* __restrict c = state + hp;
    if (g.inputs == 1 && !PaddedInput) {  // audio: one input, no product needed
        const Vec x0 = broadcast(x[0]);
        for (int v = 0; v < rows; v += lanes)
            store(initial + v, load(g.bias.data() + v) + x0 * load(g.weightIh.data() + v));
    } else {
        accumulateRows<0, PaddedInput>(g.bias.data(), g.weightIh.data(), rows, x, g.inputs,
                                       initial);
    }
    recurrentProduct<4, Hidden, tile>(initial, g.weightHh.data(), rows, h, hidden, tile, sums);
    for (int v = 0; v < gr; v += lanes) {
        const Vec input = 1.0f / onePlusExp2(load(sums + v));
        const Vec forget = 1.0f / onePlusExp2(load(sums + gr + v));
        // g x cellScale
        const Vec cellScaled =
            cellScale - (2.0f * cellScale) / onePlusExp2(load(sums + 2 * gr + v));
        const Vec output = 1.0f / onePlusExp2(load(sums + 3 * gr + v));
        const Vec cNext = forget * load(c + v) + input * cellScaled;
        store(c + v, cNext);
        store(h + v, output - (output + output) / onePlusExp2(cNext));  // o tanh(c')
    }
}

template <bool PaddedInput>
LstmStepFn lstmStepForSize(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> LstmStepFn {
        return &lstmStep<decltype(size)::value, PaddedInput>;
    });
}

}  // namespace

LstmStepFn lstmStepFor(int hidden, bool paddedInput) noexcept {
    return paddedInput ? lstmStepForSize<true>(hidden) : lstmStepForSize<false>(hidden);
}

LstmStepFn lstmStepDynamic(bool paddedInput) noexcept {
    return paddedInput ? &lstmStep<0, true> : &lstmStep<0, false>;
}

}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
