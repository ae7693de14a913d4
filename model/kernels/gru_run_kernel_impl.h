#pragma once
// The GRU's run kernels for one instruction set: runs of frames through a layer with one input
// and a linear head of one output, h kept in a register between frames. Included by
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
GS_ALWAYS_INLINE const T* reloadEachFrame(const T* pointer) noexcept {
    asm("" : "+r"(pointer));
    return pointer;
}

template <int Hidden>
void gruRunHead(const PackedGru& g, const float* __restrict x, int frames, float* __restrict h,
                float* __restrict scratch, const float* __restrict headWeights,
                const float* __restrict headBias, float* __restrict y) noexcept {
    static_assert(Hidden > 0 && gateRowsFor(Hidden) == lanes);
    static_assert(3 <= gruTileVectors(Hidden));  // gruStep's one-tile, one-vector-per-gate case
    assert(g.hidden == Hidden && g.inputs == 1 && g.gateRows == lanes &&
           g.tileRows == gruTileVectors(Hidden) * lanes);
    constexpr int rows = 3 * lanes;
    const StepScratch s = splitScratch(scratch, rows);
    alignas(sizeof(Vec)) float state[lanes];
    store(state, load(h));
    for (int k = 0; k < frames; ++k) {
        const PackedGru& weights = *reloadEachFrame(&g);
        inputProjection<false, true>(weights, rows, x + k, s);
        recurrentProduct<3, Hidden, gruTileVectors(Hidden), false, 0, 2, 1>(
            s.initial, weights.weightHh.data(), rows, state, Hidden, gruTileVectors(Hidden),
            s.sums);
        const Vec updated = updateVector<true>(lanes, 0, s.sums, s.inputN, state);
        y[k] = linearHead(reloadEachFrame(headWeights), headBias, updated);
    }
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
        // AVX-512's H12 and H16 the same within the noise.
        const Vec resetDenominator0 = onePlusExp2(load(s0.sums));
        const Vec resetDenominator1 = onePlusExp2(load(s1.sums));
        const Vec z0 = 1.0f / onePlusExp2(load(s0.sums + lanes));
        const Vec z1 = 1.0f / onePlusExp2(load(s1.sums + lanes));
        const Vec onePlusEn0 =
            tanhDenominator<false>(load(s0.inputN), load(s0.sums + 2 * lanes), resetDenominator0);
        const Vec onePlusEn1 =
            tanhDenominator<false>(load(s1.inputN), load(s1.sums + 2 * lanes), resetDenominator1);
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

}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
