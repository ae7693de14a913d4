#pragma once
// The LSTM step for one instruction set, included after gru_kernel_impl.h by each kernel
// file (it takes the table of compiled sizes, forCompiledSize in gru_step_impl.h, and the
// GRU's tiled products, tiled_product.h and tiled_product_pair.h). Per time step, torch's
// equations:
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
#include "tiled_product_pair.h"

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

// c is kept multiplied by tanh's exponent factor, 2 log2(e), so that tanh(c') needs no
// multiply before its exponential, and h' = o tanh(c') = o - 2o / (1 + 2^c') ends in one
// division and one subtraction: two operations fewer after the step's last exponential,
// which the next step waits for.
constexpr float cellScale = 2.0f * log2e;

// An LSTM's recurrent weights as this kernel packs them, in bytes.
constexpr long lstmWeightBytes(int hidden) {
    return static_cast<long>(hidden) * 4 * gateRowsFor(hidden) * static_cast<long>(sizeof(float));
}

// Every gate's input part plus its bias, for one channel: the product's starting values.
template <bool PaddedInput>
GS_INLINE_MATH void lstmInputProjection(const PackedLstm& g, int rows, const float* __restrict x,
                                        float* __restrict initial) noexcept {
    // audio: one input, no product needed (likely: the fall-through path, as it was laid out
    // before this helper was split from lstmStep)
    if (g.inputs == 1 && !PaddedInput) [[likely]] {
        const Vec x0 = broadcast(x[0]);
        for (int v = 0; v < rows; v += lanes)
            store(initial + v, load(g.bias.data() + v) + x0 * load(g.weightIh.data() + v));
    } else {
        accumulateRows<0, PaddedInput>(g.bias.data(), g.weightIh.data(), rows, x, g.inputs,
                                       initial);
    }
}

// One channel's gates from its sums (gate stride gr), and its h' and c' in place.
GS_INLINE_MATH void lstmUpdate(int gr, const float* __restrict sums, float* __restrict h,
                               float* __restrict c) noexcept {
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
    lstmInputProjection<PaddedInput>(g, rows, x, initial);
    recurrentProduct<4, Hidden, tile>(initial, g.weightHh.data(), rows, state, hidden, tile, sums);
    lstmUpdate(gr, sums, state, state + hp);
}

// Two channels of the same layer, one time step each, loading each recurrent weight once for
// both: the same numbers as two lstmStep calls (the pair products sum every row as the single
// ones do, tiled_product_pair.h; tested bit for bit).
template <int Hidden, bool PaddedInput>
void lstmStepPair(const PackedLstm& g, const float* __restrict x0, const float* __restrict x1,
                  float* __restrict state0, float* __restrict state1, float* __restrict scratch0,
                  float* __restrict scratch1) noexcept {
    const int hidden = Hidden > 0 ? Hidden : g.hidden;
    const int hp = g.paddedHidden;
    const int gr = Hidden > 0 ? gateRowsFor(Hidden) : g.gateRows;
    const int rows = 4 * gr;
    assert(g.gateRows == gateRowsFor(g.hidden) && g.rows == rows && g.tileRows == tile * lanes);
    assert(Hidden == 0 || Hidden == g.hidden);
    float* __restrict initial0 = scratch0;
    float* __restrict initial1 = scratch1;
    float* __restrict sums0 = scratch0 + rows;
    float* __restrict sums1 = scratch1 + rows;
    lstmInputProjection<PaddedInput>(g, rows, x0, initial0);
    lstmInputProjection<PaddedInput>(g, rows, x1, initial1);
    constexpr int vectors = Hidden > 0 ? 4 * gateRowsFor(Hidden) / lanes : 0;
    if constexpr (Hidden > 0)  // lstmStep's tiles of `tile` vectors, first to last, inlined
        accumulateTilesPair<vectors, Hidden, tile, false>(initial0, initial1, g.weightHh.data(),
                                                          state0, state1, sums0, sums1);
    else
        accumulateRowsPair<Hidden>(initial0, initial1, g.weightHh.data(), rows, state0, state1,
                                   hidden, tile, false, sums0, sums1);
    lstmUpdate(gr, sums0, state0, state0 + hp);
    lstmUpdate(gr, sums1, state1, state1 + hp);
}

template <bool PaddedInput>
LstmStepFn lstmStepForSize(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> LstmStepFn {
        return &lstmStep<decltype(size)::value, PaddedInput>;
    });
}

template <bool PaddedInput>
LstmStepPairFn lstmStepPairForSize(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> LstmStepPairFn {
        return &lstmStepPair<decltype(size)::value, PaddedInput>;
    });
}

}  // namespace

LstmStepPairFn lstmStepPairKernel(int hidden, bool paddedInput) noexcept {
    return paddedInput ? lstmStepPairForSize<true>(hidden) : lstmStepPairForSize<false>(hidden);
}

// Where the pair beats two single steps (Zen 5, stereo blocks of 64, us per block, two steps
// against the pair; docs/benchmarks.md, nineteenth session):
// - one vector per gate (AVX-512 H12-16, AVX2 H8): a step waits on its gates' chain, and the
//   pair runs both channels' chains side by side (AVX-512 H12 3.86 against 3.54, H16 4.31
//   against 3.92; AVX2 H8 3.56 against 3.37);
// - weights past the largest L1 of these cores (a Zen 5's 48 KB; H64 and up): each step
//   streams them from L2, and the pair loads them once for both channels (AVX-512 H64 67.8
//   against 45.5, H128 259 against 168; AVX2 H64 83.4 against 68.1, H128 317 against 243).
// Between them the pair was as fast or slower (AVX-512 H24 7.63 against 8.05; AVX2 H12-48
// 4-21 % slower, H48's 37 KB included). 4-float vectors: not measured, two single steps.
// The rule covers sizes between the measured ones: one vector per gate is AVX-512 H9-16 and
// AVX2 H1-8, weights over 48 KB start at AVX-512 H49 and AVX2 H55.
LstmStepPairFn lstmStepPairFor(int hidden, bool paddedInput) noexcept {
    const bool latencyBound = gateRowsFor(hidden) == lanes;
    if (lanes < 8 || !(latencyBound || lstmWeightBytes(hidden) > largestL1Bytes)) return nullptr;
    return lstmStepPairKernel(hidden, paddedInput);
}

LstmStepFn lstmStepFor(int hidden, bool paddedInput) noexcept {
    return paddedInput ? lstmStepForSize<true>(hidden) : lstmStepForSize<false>(hidden);
}

LstmStepFn lstmStepDynamic(bool paddedInput) noexcept {
    return paddedInput ? &lstmStep<0, true> : &lstmStep<0, false>;
}

}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
