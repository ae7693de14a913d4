#pragma once
// The GRU step kernels, single and pair, their pieces and the table of compiled hidden sizes
// (forCompiledSize, which the LSTM's uses too) for one instruction set, all but that table in
// an anonymous namespace: included by gru_kernel_impl.h (the entry points) and
// gru_run_kernel_impl.h, in translation units compiled with the instruction set's target flags,
// vector width and GS_KERNEL_NAMESPACE (gru_kernel_<isa>.cpp). Per time step, with torch's
// equations:
//
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
//   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
//   h' = (1 - z) n + z h            (evaluated in the order updateVector explains)
//
// The products W_h h come from tiled_product.h (one channel) and tiled_product_pair.h (two).

#include "gru_kernels.h"
#include "packed_gru.h"
#include "simd.h"
#include "tiled_product.h"
#include "tiled_product_pair.h"

#include <algorithm>
#include <cassert>
#include <type_traits>

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

using namespace gs::simd;

// The smallest L1 data cache among the x86 cores these kernels target (a Zen 4's, an Intel
// Skylake's; a Zen 5's holds 48 KB): where a product's weights outgrow it, each step streams
// them from L2.
constexpr long l1Bytes = 32 * 1024;
// And the largest (a Zen 5's): weights past it stream from L2 on every one of them.
constexpr long largestL1Bytes = 48 * 1024;

// A GRU's recurrent weights as this kernel packs them, in bytes.
constexpr long gruWeightBytes(int hidden) {
    return static_cast<long>(hidden) * 3 * gateRowsFor(hidden) * static_cast<long>(sizeof(float));
}

// Steps of these sizes take their product's tiles in alternating order, first to last and
// then last to first, so that each step starts on the block the previous one read last,
// which is still in L1: weights between one and two L1s (H64: 48 KB; the sizes around it,
// H49-72 on AVX2, H49-68 on AVX-512, H53-72 on 4-float vectors) then come half from L1
// instead of all from L2. Each row's sum is the same in either order, so are the numbers.
// Zen 4, AVX-512, H64 in two tiles of 6 vectors, processFrame: 489 -> 426 ns alternating,
// 498 in two tiles without it; stereo (the pair kernel alternates too) 41.8 -> 41.3 us per 64
// frames. At H96 and H128 (three and four tiles of 6, 110 and 196 KB) it was slower: 1088 ->
// 1118, 1870 -> 1903 ns. AVX2 on the same machine: H64 529 -> 459 ns, H48 (27 KB) unchanged
// (measured).
constexpr bool alternatesTiles(int hidden) {
    const long bytes = gruWeightBytes(hidden);
    return bytes > l1Bytes && bytes <= 2 * l1Bytes;
}

// Vectors per tile block of a GRU's weights: `tile`, but a product that alternates and would
// fit one tile is cut into two, so that there is a block to start on (AVX-512 H49-68, such as
// H64: 6 + 6 vectors).
constexpr int gruTileVectors(int hidden) {
    const int vectors = 3 * gateRowsFor(hidden) / lanes;
    return alternatesTiles(hidden) && vectors <= tile ? (vectors + 1) / 2 : tile;
}

// Scratch (7 Hp floats are enough): the recurrent product's starting values (3 gate blocks),
// its sums (3 blocks) and n's input part (1 block), each block gateRows floats. h has Hp
// values; the step writes its first gateRows, and lanes past H stay 0.
struct StepScratch {
    float* initial;
    float* sums;
    float* inputN;
};
inline StepScratch splitScratch(float* scratch, int rows) noexcept {
    return {scratch, scratch + rows, scratch + 2 * rows};
}

// The input side of a step, which does not wait for h. r and z take their whole input part
// (biases included) as the starting value of the recurrent sum, so no add follows it; n keeps
// b_in + W_in x apart (inputN) because r scales only the recurrent part, which starts at b_hn.
// One input (audio) is the common case and gets its own loop: a run-time inner loop here cost
// a third of the step at H40 (measured).
// PaddedInput: x is another layer's padded state (readable in whole vectors, written by
// vector stores).
// OneInput: the caller knows g.inputs == 1 (the run kernels, gru_run_kernel_impl.h).
template <bool PaddedInput, bool OneInput = false>
GS_ALWAYS_INLINE void inputProjection(const PackedGru& g, int rows, const float* __restrict x,
                                      const StepScratch& s) noexcept {
    const float* __restrict weightIh = g.weightIh.data();
    const float* __restrict biasInput = g.biasInput.data();
    const float* __restrict biasHidden = g.biasHidden.data();
    float* __restrict initial = s.initial;
    float* __restrict inputN = s.inputN;
    const int nStart = 2 * (rows / 3);
    if (OneInput || (g.inputs == 1 && !PaddedInput)) {
        const Vec x0 = broadcast(x[0]);
        for (int v = 0; v < nStart; v += lanes)
            store(initial + v, load(biasInput + v) + x0 * load(weightIh + v));
        for (int v = nStart; v < rows; v += lanes) {
            store(inputN + v - nStart, load(biasInput + v) + x0 * load(weightIh + v));
            store(initial + v, load(biasHidden + v));
        }
    } else {  // several inputs: the same register-tiled product as the recurrent part
        accumulateRows<0, PaddedInput>(biasInput, weightIh, rows, x, g.inputs, initial,
                                       g.tileRows / lanes);
        for (int v = nStart; v < rows; v += lanes) {
            store(inputN + v - nStart, load(initial + v));
            store(initial + v, load(biasHidden + v));
        }
    }
}

// The gates from the sums, and the new h in place. The sums come pre-scaled into exponents of
// two (packed_gru.h): sr = -log2e x (r's pre-activation), sz likewise for z, hn = 2 log2e x
// (W_hn h + b_hn), inputN = 2 log2e x (W_in x + b_in). Written so that the chain from the sums
// to h' (which the next step waits for) is as short as it can be:
//   r = 1 / (1 + 2^sr)
//   n = tanh(u) = 1 - 2 / (1 + 2^(2u log2e)), 2u log2e = inputN + hn / (1 + 2^sr)
//   h' = (1 - z) n + z h = (1 + z (h - 1)) - 2 (1 - z) / (1 + 2^(2u log2e))
// so after each exponential (onePlusExp2 gives 1 + 2^t in one go) there is one division and
// one add or subtract; z's terms are ready by then. updateVector does it for one vector;
// tanhDenominator and updatedState are its last two steps, apart so that the pair's run
// kernel can take two channels through them side by side (gru_run_kernel_impl.h).
// ShortChain: onePlusExp2's (simd.h), the same numbers either way. Single steps with one vector
// per gate take it (Zen 4, blocks of 64, 20 alternating rounds, minimum ns: H12 2410 -> 2306,
// H16 2621 -> 2535); larger single steps (H24-48 6-18 % slower) and the pair's (bound by
// their FMAs: H12 3273 -> 3376, H16 3724 -> 3911) do not. On AVX2 it is another clamp of 2^k's
// exponent (simd.h; Zen 5, H8 one sample at a time 26.7 -> 25.6 ns), which the pair's run
// kernel takes too; gruStepPair and gruStepPairHead keep the other (not measured).
// 1 + 2^(2u log2e), tanh's denominator, from n's sums and r's denominator.
template <bool ShortChain>
GS_INLINE_MATH Vec tanhDenominator(Vec inputN, Vec recurrentN, Vec resetDenominator) noexcept {
    return onePlusExp2<ShortChain>(inputN + recurrentN / resetDenominator);
}
// h' from z, h and tanh's denominator.
GS_INLINE_MATH Vec updatedState(Vec z, Vec h, Vec onePlusEn) noexcept {
    const Vec keep = z * (h - 1.0f) + 1.0f;
    const Vec blend = 2.0f - 2.0f * z;
    return keep - blend / onePlusEn;
}
// The new h in place, and returned too, for a head that reads it from the register
// (gruStepPairHead).
template <bool ShortChain>
GS_INLINE_MATH Vec updateVector(int gateRows, int v, const float* __restrict sums,
                                const float* __restrict inputN, float* __restrict h) noexcept {
    const Vec resetDenominator = onePlusExp2<ShortChain>(load(sums + v));
    const Vec z = 1.0f / onePlusExp2<ShortChain>(load(sums + gateRows + v));
    const Vec onePlusEn = tanhDenominator<ShortChain>(
        load(inputN + v), load(sums + 2 * gateRows + v), resetDenominator);
    const Vec updated = updatedState(z, load(h + v), onePlusEn);
    store(h + v, updated);
    return updated;
}

template <bool ShortChain>
GS_INLINE_MATH void updateState(int gateRows, const float* __restrict sums,
                                const float* __restrict inputN, float* __restrict h) noexcept {
    for (int v = 0; v < gateRows; v += lanes)
        updateVector<ShortChain>(gateRows, v, sums, inputN, h);
}

// x, h and scratch never overlap: saying so (__restrict) lets the compiler interleave the
// gate blocks, which took H40 from 123 to 91 ns per step on the benchmark machine.
// Reversed: the product's tiles last to first (alternatesTiles).
// With one vector per gate the product sums its gates in the order r, n, z (0, 2, 1), the
// order updateVector needs them: r starts the chain to h', n's recurrent part waits for r
// alone, z comes last. The numbers do not change, but the out-of-order core starts r's
// exponential sooner (Zen 4, processFrame: H8 27.0 -> 26.6 ns, H12 39.9 -> 39.5, H16 45.3 ->
// 43.9). In this order at every single-tile size it was slower from two vectors per gate on
// (H24 65 -> 81 ns, H40 147 -> 170; measured).
template <int Hidden, bool PaddedInput, bool Reversed = false>
void gruStep(const PackedGru& g, const float* __restrict x, float* __restrict h,
             float* __restrict scratch) noexcept {
    const int hidden = Hidden > 0 ? Hidden : g.hidden;
    const int gateRows = Hidden > 0 ? gateRowsFor(Hidden) : g.gateRows;
    // packed for this kernel
    assert(g.gateRows == gateRowsFor(g.hidden) && g.tileRows == gruTileVectors(g.hidden) * lanes);
    assert(Hidden == 0 || Hidden == g.hidden);
    const int rows = 3 * gateRows;
    const StepScratch s = splitScratch(scratch, rows);
    inputProjection<PaddedInput>(g, rows, x, s);
    recurrentProduct<3, Hidden, gruTileVectors(Hidden), Reversed, 0, 2, 1>(
        s.initial, g.weightHh.data(), rows, h, hidden, g.tileRows / lanes, s.sums);
    if (gateRows == lanes)  // one vector per gate: the step waits on its gates' chain
        updateVector<true>(gateRows, 0, s.sums, s.inputN, h);
    else
        updateState<false>(gateRows, s.sums, s.inputN, h);
}

// Two channels of the same layer, one time step each: the same numbers as two gruStep calls.
// Reversed: the tiles last to first, as gruStep's.
template <int Hidden, bool PaddedInput, bool Reversed = false>
void gruStepPair(const PackedGru& g, const float* __restrict x0, const float* __restrict x1,
                 float* __restrict h0, float* __restrict h1, float* __restrict scratch0,
                 float* __restrict scratch1) noexcept {
    const int hidden = Hidden > 0 ? Hidden : g.hidden;
    const int gateRows = Hidden > 0 ? gateRowsFor(Hidden) : g.gateRows;
    assert(g.gateRows == gateRowsFor(g.hidden) && g.tileRows == gruTileVectors(g.hidden) * lanes);
    const int rows = 3 * gateRows;
    const StepScratch s0 = splitScratch(scratch0, rows), s1 = splitScratch(scratch1, rows);
    inputProjection<PaddedInput>(g, rows, x0, s0);
    inputProjection<PaddedInput>(g, rows, x1, s1);
    constexpr int vectors = Hidden > 0 ? 3 * gateRowsFor(Hidden) / lanes : 0;
    if constexpr (Hidden > 0 && vectors <= gruTileVectors(Hidden))  // one tile: its passes inlined
        accumulatePairPasses<vectors, setsFor(vectors), Hidden>(
            s0.initial, s1.initial, g.weightHh.data(), rows, h0, h1, s0.sums, s1.sums);
    // Several tiles (AVX2 H64-128), or one cut in two (gruTileVectors): compile-time tiles
    // rather than accumulateRowsPair's loop (Zen 5, AVX2 stereo blocks of 64, us: H96 98.4 ->
    // 95.2, H128 172.1 -> 166.0).
    else if constexpr (Hidden > 0)
        accumulateTilesPair<vectors, Hidden, gruTileVectors(Hidden), Reversed>(
            s0.initial, s1.initial, g.weightHh.data(), h0, h1, s0.sums, s1.sums);
    else
        accumulateRowsPair<Hidden>(s0.initial, s1.initial, g.weightHh.data(), rows, h0, h1, hidden,
                                   g.tileRows / lanes, Reversed, s0.sums, s1.sums);
    // One vector per gate: both channels' gate chains side by side (H8: 31 against 37 ns one
    // after the other). More: one channel, then the other (H24: 68 against 107 interleaved;
    // measured, kernel alone).
    if (gateRows == lanes) {
        updateVector<false>(gateRows, 0, s0.sums, s0.inputN, h0);
        updateVector<false>(gateRows, 0, s1.sums, s1.inputN, h1);
    } else {
        updateState<false>(gateRows, s0.sums, s0.inputN, h0);
        updateState<false>(gateRows, s1.sums, s1.inputN, h1);
    }
}

// One output of a dense layer, bias + dot(row, input) over `stride` padded values: denseRows'
// sum for each of its outputs, and the staggered pair's head (gru_run_kernel_impl.h), which
// give the same numbers by calling it.
GS_ALWAYS_INLINE float denseRow(const float* __restrict row, float bias, int stride,
                                const float* __restrict input) noexcept {
    Vec acc{};
    for (int i = 0; i < stride; i += lanes) acc += load(row + i) * load(input + i);
    return bias + sum(acc);
}

// A linear head of one output over h' in one vector: the same products, accumulator and
// horizontal sum as denseRow, so the same number.
GS_ALWAYS_INLINE float linearHead(const float* __restrict weights, const float* __restrict bias,
                                  Vec h) noexcept {
    Vec acc{};
    acc += load(weights) * h;
    return bias[0] + sum(acc);
}

// A pair step and then each channel's linear head of one output, y = bias + dot(weights, h'),
// for the sizes with one vector per gate (whose pair step takes one tile in passes): the head
// reads h' from the register the update leaves it in, and both channels' dot products
// overlap. The same numbers as gruStepPair and then denseRows. Zen 4, stereo blocks of 64: H8
// 2642 -> 2372 ns, H12 4014 -> 3603, H16 4476 -> 4202 (docs/benchmarks.md, thirteenth session).
// It repeats gruStepPair's calls for these sizes rather than sharing them through a helper,
// which changed GCC's code for other kernels in this file (measured there too).
template <int Hidden, bool PaddedInput>
void gruStepPairHead(const PackedGru& g, const float* __restrict x0, const float* __restrict x1,
                     float* __restrict h0, float* __restrict h1, float* __restrict scratch0,
                     float* __restrict scratch1, const float* __restrict headWeights,
                     const float* __restrict headBias, float* __restrict y0,
                     float* __restrict y1) noexcept {
    static_assert(Hidden > 0 && gateRowsFor(Hidden) == lanes);
    static_assert(3 <= gruTileVectors(Hidden));  // gruStepPair's one-tile case, as here
    assert(g.hidden == Hidden && g.gateRows == lanes &&
           g.tileRows == gruTileVectors(Hidden) * lanes);
    constexpr int rows = 3 * lanes;
    const StepScratch s0 = splitScratch(scratch0, rows), s1 = splitScratch(scratch1, rows);
    inputProjection<PaddedInput>(g, rows, x0, s0);
    inputProjection<PaddedInput>(g, rows, x1, s1);
    accumulatePairPasses<3, setsFor(3), Hidden>(s0.initial, s1.initial, g.weightHh.data(), rows, h0,
                                                h1, s0.sums, s1.sums);
    const Vec updated0 = updateVector<false>(lanes, 0, s0.sums, s0.inputN, h0);
    const Vec updated1 = updateVector<false>(lanes, 0, s1.sums, s1.inputN, h1);
    *y0 = linearHead(headWeights, headBias, updated0);
    *y1 = linearHead(headWeights, headBias, updated1);
}

}  // namespace

// The hidden sizes compiled into their own kernels: make(std::integral_constant<int, H>) for
// one of them, make(std::integral_constant<int, 0>) (the run-time-size kernel) for any other.
template <typename Make>
auto forCompiledSize(int hidden, Make make) noexcept {
    switch (hidden) {
    case 8: return make(std::integral_constant<int, 8>{});
    case 12: return make(std::integral_constant<int, 12>{});
    case 16: return make(std::integral_constant<int, 16>{});
    case 24: return make(std::integral_constant<int, 24>{});
    case 32: return make(std::integral_constant<int, 32>{});
    case 40: return make(std::integral_constant<int, 40>{});
    case 48: return make(std::integral_constant<int, 48>{});
    case 64: return make(std::integral_constant<int, 64>{});
    case 96: return make(std::integral_constant<int, 96>{});
    case 128: return make(std::integral_constant<int, 128>{});
    default: return make(std::integral_constant<int, 0>{});
    }
}

}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
