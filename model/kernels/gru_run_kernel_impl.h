#pragma once
// The GRU's run kernels for one instruction set: runs of frames through a layer with one input
// and a linear head of one output, h kept in a register between frames where each gate is one
// vector, and for two channels at some larger sizes one channel half a step ahead of the other
// (gruRunPairStaggered). Included by
// gru_run_kernel_<isa>.cpp, a translation unit of its own per instruction set (see there).

#include "gru_step_impl.h"

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

// Runs of frames with one input each (audio), for a layer alone in its model and a linear head
// of one output, at the sizes with one vector per gate: each frame's step and head as
// gruStep<Hidden> (or gruStepPairHead) and denseRows give them, so the same numbers, but h stays
// in a register from one frame to the next instead of going through memory (a store and a
// reload on the chain from one sample to the next), and there is one call per run instead of
// several per frame. Zen 4, ModelStream blocks of 64, minimum ns per block: mono H12 2714 ->
// 2439, the AVX-512 pair H12 3664 -> 3372 (docs/benchmarks.md, fourteenth and fifteenth
// sessions: every size, and why the AVX-512 pair lost until simd.h's broadcast changed).

// The loop would otherwise let GCC hoist every weight load out of it and spill the copies to
// the stack, to be read from there each frame (H16: all 48 of the recurrent product's).
// Hiding where the weights are from the optimiser, once per frame, keeps their loads inside
// the loop, as in the single step: mono H16 3132 -> 2826 ns per block of 64 (minimum of 20
// alternating rounds), AVX-512 pair H12 4248 -> 3988.
template <typename T>
GS_ALWAYS_INLINE T* reloadEachFrame(T* pointer) noexcept {
    asm("" : "+r"(pointer));
    return pointer;
}

// One frame of gruRunHead: h' in place, and the head's output from the register the update
// leaves h' in.
template <int Hidden>
GS_INLINE_MATH float stepWithHead(const PackedGru& g, const float* __restrict x,
                                  float* __restrict h, const StepScratch& s,
                                  const float* __restrict headWeights,
                                  const float* __restrict headBias) noexcept {
    constexpr int rows = 3 * lanes;
    inputProjection<false, true>(g, rows, x, s);
    recurrentProduct<3, Hidden, gruTileVectors(Hidden), false, 0, 2, 1>(
        s.initial, g.weightHh.data(), rows, h, Hidden, gruTileVectors(Hidden), s.sums);
    return linearHead(headWeights, headBias, updateVector<true>(lanes, 0, s.sums, s.inputN, h));
}

// A run of one frame (RecurrentModel::processFrame's, one sample at a time) steps h where it
// is: the copy into the loop's array and back would put two stores and reloads on that frame's
// chain. h's address is hidden there so that its loads are not shared with the loop's copy:
// GCC otherwise splatted AVX2's lanes from that one vector by two shuffles each instead of
// broadcasting them from memory, as the step does (H8 3 % slower). Zen 5, one sample at a time
// (processSample), 12 alternating rounds, minimum ns, against gruStep and then denseRows: H12
// 31.4 -> 30.2 (AVX-512), H8 28.1 -> 27.7 and H16 31.9 -> 32.1 (the noise); callgrind, AVX2
// H8: 311 -> 231 instructions per sample with processFrame's part, before simd.h's clamp
// (docs/benchmarks.md, twenty-first session).
template <int Hidden>
void gruRunHead(const PackedGru& g, const float* __restrict x, int frames, float* __restrict h,
                float* __restrict scratch, const float* __restrict headWeights,
                const float* __restrict headBias, float* __restrict y) noexcept {
    static_assert(Hidden > 0 && gateRowsFor(Hidden) == lanes);
    static_assert(3 <= gruTileVectors(Hidden));  // gruStep's one-tile, one-vector-per-gate case
    assert(g.hidden == Hidden && g.inputs == 1 && g.gateRows == lanes &&
           g.tileRows == gruTileVectors(Hidden) * lanes);
    const StepScratch s = splitScratch(scratch, 3 * lanes);
    if (frames == 1) {
        y[0] = stepWithHead<Hidden>(g, x, reloadEachFrame(h), s, headWeights, headBias);
        return;
    }
    alignas(sizeof(Vec)) float state[lanes];
    store(state, load(h));
    for (int k = 0; k < frames; ++k)
        y[k] = stepWithHead<Hidden>(*reloadEachFrame(&g), x + k, state, s,
                                    reloadEachFrame(headWeights), headBias);
    store(h, load(state));
}

template <int Hidden>
void gruRunPairHead(const PackedGru& g, const float* __restrict x0, const float* __restrict x1,
                    int frames, float* __restrict h0, float* __restrict h1,
                    float* __restrict scratch0, float* __restrict scratch1,
                    const float* __restrict headWeights, const float* __restrict headBias,
                    float* __restrict y0, float* __restrict y1) noexcept {
    static_assert(Hidden > 0 && gateRowsFor(Hidden) == lanes);
    static_assert(3 <= gruTileVectors(Hidden));  // gruStepPairHead's case
    assert(g.hidden == Hidden && g.inputs == 1 && g.gateRows == lanes &&
           g.tileRows == gruTileVectors(Hidden) * lanes);
    constexpr int rows = 3 * lanes;
    const StepScratch s0 = splitScratch(scratch0, rows), s1 = splitScratch(scratch1, rows);
    alignas(sizeof(Vec)) float state0[lanes], state1[lanes];
    store(state0, load(h0));
    store(state1, load(h1));
    for (int k = 0; k < frames; ++k) {
        const PackedGru& weights = *reloadEachFrame(&g);
        inputProjection<false, true>(weights, rows, x0 + k, s0);
        inputProjection<false, true>(weights, rows, x1 + k, s1);
        accumulatePairPasses<3, setsFor(3), Hidden>(s0.initial, s1.initial, weights.weightHh.data(),
                                                    rows, state0, state1, s0.sums, s1.sums);
        // updateVector's steps, the two channels side by side in the instruction stream rather
        // than one channel's update and then the other's: AVX2's H8, stereo blocks of 64 on a
        // Zen 4, 25 alternating rounds, minimum (median) ns 2287 (2756) -> 2087 (2614);
        // AVX-512's H12 and H16 the same within the noise. onePlusExp2's short chain where it is
        // AVX2's clamp (simd.h; Zen 5, H8, two runs of 12 alternating rounds, minimum ns: 1907 ->
        // 1861, 1918 -> 1862), not AVX-512's final FMA, which the pair lost with (gruStep).
        constexpr bool shortChain = lanes != 16;
        const Vec resetDenominator0 = onePlusExp2<shortChain>(load(s0.sums));
        const Vec resetDenominator1 = onePlusExp2<shortChain>(load(s1.sums));
        const Vec z0 = 1.0f / onePlusExp2<shortChain>(load(s0.sums + lanes));
        const Vec z1 = 1.0f / onePlusExp2<shortChain>(load(s1.sums + lanes));
        const Vec onePlusEn0 = tanhDenominator<shortChain>(
            load(s0.inputN), load(s0.sums + 2 * lanes), resetDenominator0);
        const Vec onePlusEn1 = tanhDenominator<shortChain>(
            load(s1.inputN), load(s1.sums + 2 * lanes), resetDenominator1);
        const Vec updated0 = updatedState(z0, load(state0), onePlusEn0);
        const Vec updated1 = updatedState(z1, load(state1), onePlusEn1);
        store(state0, updated0);
        store(state1, updated1);
        const float* head = reloadEachFrame(headWeights);
        y0[k] = linearHead(head, headBias, updated0);
        y1[k] = linearHead(head, headBias, updated1);
    }
    store(h0, load(state0));
    store(h1, load(state1));
}

// The stereo run kernel for compiled sizes of one tile with more than one vector per gate
// (AVX-512 H24-48, AVX2 H12-16: staggersPair). There a step's product keeps the FMA ports busy for
// a while and its gates' chain then leaves them mostly idle, and the pair kernel, which waits for
// both channels' h' before either channel's next product, runs the two phases one after the other.
// Here channel 0 runs half a step ahead of channel 1, so each channel's gates
// (updateBesideProduct's U) overlap the other channel's product (P) in the same stretch of
// instructions:
//   P0(0) | U0(0) P1(0) | U1(0) P0(1) | U0(1) P1(1) | ... | U1(last)
// Each P starts on an h stored half a step before, and each half-step's U and P are
// independent. The numbers are gruStep's and denseRows': TileInParts sums as accumulateTile
// does, and the gates are updateVector's expressions. Zen 5, stereo blocks of 64, minimum of 8
// alternating rounds, ns: H24 5658 -> 4518, H32 6955 -> 5575, H40 10694 -> 10161, H48 12140 ->
// 11962 (docs/benchmarks.md, eighteenth session).

// The largest product, in vectors, that gruRunPairStaggered takes: where its accumulators and
// the gates' values fit the registers. AVX-512 (32 registers): 9, H24-48. AVX2 (16): 6,
// H12-16 (Zen 5 with GS_KERNEL_ISA=avx2, stereo blocks of 64, minimum of 6 rounds: H12 4432 ->
// 3645 ns, H16 4711 -> 4249; at H24-40, 9-15 vectors, within 3 % either way). Not the 4-float
// kernels.
constexpr int staggeredVectors = lanes == 16 ? 9 : lanes == 8 ? 6 : 0;

// The sizes gruRunPairStaggered serves: compiled sizes with more than one vector per gate and
// a product of at most staggeredVectors vectors (AVX-512 H24-48, AVX2 H12-16; such products
// are one tile and never alternate tile orders: gruRunPairStaggered asserts both).
// selectGruRunPairHead adds the CPU's condition.
constexpr bool staggersPair(int hidden) {
    return hidden > 0 && gateRowsFor(hidden) > lanes &&
           3 * gateRowsFor(hidden) / lanes <= staggeredVectors;
}

// The weights' address, hidden from the optimiser once per half-step: it would otherwise keep
// the first product's weights in registers for the second and spill them all (H24: 144
// vectors). volatile: two identical plain asm statements are merged into one.
GS_ALWAYS_INLINE const float* reloadEachHalfStep(const float* weights) noexcept {
    asm volatile("" : "+r"(weights));
    return weights;
}

// One channel's gates, from its sums u to its h' in hu, with (WithProduct) the other channel's
// product from hp into p's sums between their stages: a part of the product after each stage,
// so that the FMAs that are ready fill the cycles in which the stage's chain waits. The parts
// (a quarter, a quarter, a half of the columns) measured faster than thirds (Zen 5, ns per
// stereo block of 64: H24 4520 -> 4399, H32 5533 -> 5437).
template <int Hidden, bool WithProduct>
GS_ALWAYS_INLINE void updateBesideProduct(const PackedGru& g, const StepScratch& u,
                                          float* __restrict hu, const StepScratch& p,
                                          const float* __restrict hp) noexcept {
    constexpr int gateRows = gateRowsFor(Hidden);
    constexpr int vectors = gateRows / lanes;
    TileInParts<3 * vectors, Hidden> product;
    const float* weights = reloadEachHalfStep(g.weightHh.data());
    if constexpr (WithProduct) product.start(p.initial);
    Vec resetDenominator[vectors], zDenominator[vectors], z[vectors], onePlusEn[vectors];
#pragma GCC unroll 8
    for (int v = 0; v < vectors; ++v) {
        resetDenominator[v] = onePlusExp2(load(u.sums + v * lanes));
        zDenominator[v] = onePlusExp2(load(u.sums + gateRows + v * lanes));
    }
    if constexpr (WithProduct) product.template addColumns<0, Hidden / 4>(weights, hp);
#pragma GCC unroll 8
    for (int v = 0; v < vectors; ++v) {
        z[v] = 1.0f / zDenominator[v];
        onePlusEn[v] =
            tanhDenominator<false>(load(u.inputN + v * lanes),
                                   load(u.sums + 2 * gateRows + v * lanes), resetDenominator[v]);
    }
    if constexpr (WithProduct) product.template addColumns<Hidden / 4, Hidden / 2>(weights, hp);
#pragma GCC unroll 8
    for (int v = 0; v < vectors; ++v)
        store(hu + v * lanes, updatedState(z[v], load(hu + v * lanes), onePlusEn[v]));
    if constexpr (WithProduct) {
        product.template addColumns<Hidden / 2, Hidden>(weights, hp);
        product.finish(p.sums);
    }
}

template <int Hidden>
void gruRunPairStaggered(const PackedGru& g, const float* __restrict x0, const float* __restrict x1,
                         int frames, float* __restrict h0, float* __restrict h1,
                         float* __restrict scratch0, float* __restrict scratch1,
                         const float* __restrict headWeights, const float* __restrict headBias,
                         float* __restrict y0, float* __restrict y1) noexcept {
    constexpr int gateRows = gateRowsFor(Hidden);
    constexpr int rows = 3 * gateRows;
    static_assert(gateRows > lanes && rows / lanes <= gruTileVectors(Hidden) &&
                  !alternatesTiles(Hidden));
    assert(g.hidden == Hidden && g.inputs == 1 && g.gateRows == gateRows &&
           g.tileRows == gruTileVectors(Hidden) * lanes);
    if (frames <= 0) return;
    const StepScratch s0 = splitScratch(scratch0, rows), s1 = splitScratch(scratch1, rows);
    inputProjection<false, true>(g, rows, x0, s0);
    recurrentProduct<3, Hidden, gruTileVectors(Hidden)>(s0.initial, g.weightHh.data(), rows, h0,
                                                        Hidden, gruTileVectors(Hidden), s0.sums);
    for (int k = 0; k < frames; ++k) {
        const PackedGru& weights = *reloadEachFrame(&g);
        inputProjection<false, true>(weights, rows, x1 + k, s1);
        updateBesideProduct<Hidden, true>(g, s0, h0, s1, h1);
        y0[k] = denseRow(headWeights, headBias[0], gateRows, h0);
        if (k + 1 < frames) {
            inputProjection<false, true>(weights, rows, x0 + k + 1, s0);
            updateBesideProduct<Hidden, true>(g, s1, h1, s0, h0);
        } else {
            updateBesideProduct<Hidden, false>(g, s1, h1, s0, h0);
        }
        y1[k] = denseRow(headWeights, headBias[0], gateRows, h1);
    }
}

}  // namespace

// The run kernel for a compiled size with one vector per gate (AVX-512 H8-16, AVX2 H8; the
// 4-float kernels have none), else nullptr.
GruRunHeadFn gruRunHeadFor(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> GruRunHeadFn {
        constexpr int compiled = decltype(size)::value;
        if constexpr (compiled > 0 && gateRowsFor(compiled) == lanes) return &gruRunHead<compiled>;
        return nullptr;
    });
}

// The pair's where the pair kernel is chosen (gruStepPairFor), else nullptr.
GruRunPairHeadFn gruRunPairHeadFor(int hidden) noexcept {
    if (gruStepPairFor(hidden, false) == nullptr) return nullptr;
    return forCompiledSize(hidden, [](auto size) -> GruRunPairHeadFn {
        constexpr int compiled = decltype(size)::value;
        if constexpr (compiled > 0 && gateRowsFor(compiled) == lanes)
            return &gruRunPairHead<compiled>;
        return nullptr;
    });
}

// The staggered pair's for the sizes it serves (staggersPair), else nullptr.
GruRunPairHeadFn gruRunPairStaggeredFor(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> GruRunPairHeadFn {
        constexpr int compiled = decltype(size)::value;
        if constexpr (staggersPair(compiled)) return &gruRunPairStaggered<compiled>;
        return nullptr;
    });
}

}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
