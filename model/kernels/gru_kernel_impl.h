#pragma once
// The GRU kernels' entry points for one instruction set (which kernel serves which size and
// input), the dense head and the vector maths for tests: included by gru_kernel_sse42.cpp,
// gru_kernel_avx2_128.cpp, gru_kernel_avx2.cpp and gru_kernel_avx512.cpp (and the generic
// one), each compiled with its own target flags, vector width and GS_KERNEL_NAMESPACE. The
// kernels themselves are in gru_step_impl.h.

#include "gru_step_impl.h"

namespace gs::kernels::GS_KERNEL_NAMESPACE {

template <bool PaddedInput>
GruStepFn gruStepForSize(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> GruStepFn {
        return &gruStep<decltype(size)::value, PaddedInput>;
    });
}

GruStepFn gruStepFor(int hidden, bool paddedInput) noexcept {
    return paddedInput ? gruStepForSize<true>(hidden) : gruStepForSize<false>(hidden);
}

GruStepFn gruStepDynamic(bool paddedInput) noexcept {
    return paddedInput ? &gruStep<0, true> : &gruStep<0, false>;
}

// kernel(size) for a size whose steps alternate (alternatesTiles), else nullptr; kernel is
// instantiated only for the compiled sizes that alternate and the run-time size, because a
// reversed kernel is a whole step's code.
template <typename Fn, typename Kernel>
Fn reversedKernelFor(int hidden, Kernel kernel) noexcept {
    if (!alternatesTiles(hidden)) return nullptr;
    return forCompiledSize(hidden, [kernel](auto size) -> Fn {
        if constexpr (decltype(size)::value == 0 || alternatesTiles(decltype(size)::value))
            return kernel(size);
        return nullptr;
    });
}

GruStepFn gruStepReversedFor(int hidden, bool paddedInput) noexcept {
    if (paddedInput)
        return reversedKernelFor<GruStepFn>(
            hidden, [](auto size) { return &gruStep<decltype(size)::value, true, true>; });
    return reversedKernelFor<GruStepFn>(
        hidden, [](auto size) { return &gruStep<decltype(size)::value, false, true>; });
}

int gruTileRows(int hidden) noexcept { return gruTileVectors(hidden) * lanes; }

template <bool PaddedInput>
GruStepPairFn gruStepPairForSize(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> GruStepPairFn {
        return &gruStepPair<decltype(size)::value, PaddedInput>;
    });
}

// Where the pair kernel beats two single steps (stereo blocks of 64, ns per frame, measured):
// - small products (4 x vectors <= tile, so both channels' two sets of accumulators would fit
//   the tile's registers: H8-32 on AVX-512, H8 on AVX2, which runs them in passes of 2 and 1
//   vectors, as fast as one pass of 3 with fewer spills; AVX-512's products of up to 3
//   vectors, H12-16, sum in four sets, in passes of 2 and 1): a step is latency-bound and the
//   pair runs both channels' chains side by side (AVX-512: H8 37 against 45, mono 29; H24 80
//   against 87. AVX2 on a Zen 4: H8 46.1 against 49.1, mono 29.2; on a Zen 1, sixth session:
//   no change);
// - weights that outgrow L1, where sharing each load halves the L2 traffic: on AVX-512 past a
//   32 KB L1 (H >= 64; Zen 4: H64 405 against 607, H128 1450 against 2380); on AVX2 past the
//   largest L1, a Zen 5's 48 KB (H >= 65; Zen 5, us per 64 frames, two single steps against
//   the pair: H96 128.4 against 97.5, H128 225.0 against 170.3; H64, 48 KB, 44.0 against 44.9,
//   so not there).
// In between (AVX-512 H40-48) a step is bound by FMA throughput and two single steps are as
// fast or faster (H40: 149 against 162). On AVX2 and SSE (16 registers) the pair measured no
// faster at H12-48 (up to 7 % slower). Where a CPU splits 256-bit operations (a Zen 1) AVX2's
// pair was slower at H64 and H128 too (single steps 146 against 152 us, 490 against 535; its
// half-tile passes stride through each tile's block, which single steps stream):
// selectGruStepPair drops it there. 4-float vectors keep single steps (SSE H128 on a Zen 1: 703
// against 716). nullptr: two single steps.
GruStepPairFn gruStepPairFor(int hidden, bool paddedInput) noexcept {
    const bool smallProduct = 4 * (3 * gateRowsFor(hidden) / lanes) <= tile;
    const bool compiledSize = gruStepPairForSize<false>(hidden) != &gruStepPair<0, false>;
    const long weightBytes = gruWeightBytes(hidden);
    const bool overflowsL1 =
        lanes == 16 ? weightBytes > l1Bytes : lanes == 8 && weightBytes > largestL1Bytes;
    if (!(smallProduct && compiledSize) && !overflowsL1) return nullptr;
    return gruStepPairKernel(hidden, paddedInput);
}

GruStepPairFn gruStepPairKernel(int hidden, bool paddedInput) noexcept {
    return paddedInput ? gruStepPairForSize<true>(hidden) : gruStepPairForSize<false>(hidden);
}

// The chosen pair kernel with its tiles last to first, where steps alternate; else nullptr.
GruStepPairFn gruStepPairReversedFor(int hidden, bool paddedInput) noexcept {
    if (gruStepPairFor(hidden, paddedInput) == nullptr) return nullptr;
    if (paddedInput)
        return reversedKernelFor<GruStepPairFn>(
            hidden, [](auto size) { return &gruStepPair<decltype(size)::value, true, true>; });
    return reversedKernelFor<GruStepPairFn>(
        hidden, [](auto size) { return &gruStepPair<decltype(size)::value, false, true>; });
}

// The fused pair-and-head kernel where gruStepPairFor chooses a pair kernel for a compiled size
// with one vector per gate (AVX-512: H8, H12, H16; AVX2: H8); else nullptr. Such sizes never
// alternate tile orders.
GruStepPairHeadFn gruStepPairHeadFor(int hidden, bool paddedInput) noexcept {
    if (gruStepPairFor(hidden, paddedInput) == nullptr) return nullptr;
    return forCompiledSize(hidden, [paddedInput](auto size) -> GruStepPairHeadFn {
        constexpr int compiled = decltype(size)::value;
        if constexpr (compiled > 0 && gateRowsFor(compiled) == lanes)
            return paddedInput ? &gruStepPairHead<compiled, true>
                               : &gruStepPairHead<compiled, false>;
        return nullptr;
    });
}

// output[o] = bias[o] + sum_i weights[o * stride + i] * input[i], for stride-padded rows.
void denseRows(const float* weights, const float* bias, int outputs, int stride, const float* input,
               float* output) noexcept {
    for (int o = 0; o < outputs; ++o)
        output[o] = denseRow(weights + o * stride, bias[o], stride, input);
}

template <Vec (*Function)(Vec)>
void applyToArray(const float* input, float* output, int count) noexcept {
    for (int i = 0; i < count; i += lanes) {
        float in[lanes]{}, out[lanes];
        const int n = std::min(lanes, count - i);
        std::copy(input + i, input + i + n, in);
        store(out, Function(load(in)));
        std::copy(out, out + n, output + i);
    }
}

int vectorFloats() noexcept { return lanes; }
int tileRows() noexcept { return tile * lanes; }

void tanhArray(const float* input, float* output, int count) noexcept {
    applyToArray<&simd::tanh>(input, output, count);
}
void sigmoidArray(const float* input, float* output, int count) noexcept {
    applyToArray<&simd::sigmoid>(input, output, count);
}
void onePlusExp2Array(const float* input, float* output, int count, bool shortChain) noexcept {
    if (shortChain)
        applyToArray<&simd::onePlusExp2<true>>(input, output, count);
    else
        applyToArray<&simd::onePlusExp2<false>>(input, output, count);
}

}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
