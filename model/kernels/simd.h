#pragma once
// Portable SIMD for the kernel translation units, with GCC/Clang vector extensions. Each
// kernel TU is compiled for one instruction set and defines GS_SIMD_LANES (4: SSE4.2 or
// AVX2+FMA on 128-bit vectors, 8: AVX2+FMA, 16: AVX-512) and GS_SIMD_TILE (accumulators
// kept in registers). Only kernel TUs include this.

#include <cstdint>
#include <cstring>
#include <numbers>
#include <utility>

#if defined(__AVX512F__) || defined(__AVX2__) || defined(__SSE4_1__)
// GCC 12's AVX-512 headers trip -Wuninitialized on their own _mm512_undefined_ps().
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

#if !defined(GS_SIMD_LANES) || !defined(GS_KERNEL_NAMESPACE)
#error "simd.h is for the kernel translation units, which set GS_SIMD_LANES and GS_KERNEL_NAMESPACE"
#endif

// GS_ALWAYS_INLINE (the input projection and the pair kernel's tiles): with AVX-512's 32
// registers the step's helpers must inline into it: a call spills the accumulators to memory
// and puts a store and reload on the recurrence's critical path (H8 40 -> 36 ns). With 16
// registers (AVX2, SSE) forcing a multi-tile product inline spilled instead and made larger
// sizes slower (AVX2 H40 200 against 155 ns), so there the compiler decides. GS_INLINE_MATH
// (below) is forced everywhere. Sanitizer builds skip both: speed does not matter there, and
// build time does.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GS_SANITIZED_BUILD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GS_SANITIZED_BUILD 1
#endif
#if GS_SIMD_LANES == 16 && !defined(GS_SANITIZED_BUILD)
#define GS_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define GS_ALWAYS_INLINE inline
#endif
// The gate maths (onePlusExp2, the GRU update) and a step's single product tile are inlined on
// every instruction set: left to itself GCC made AVX2's exp2 a call, three per vector, each
// spilling registers to a realigned stack, and the tile a call whose sums went through
// memory (AVX2 on a Zen 1, one sample at a time: H8 101 -> 83 ns, H16 167 -> 149, H24
// 248 -> 239; measured).
#if !defined(GS_SANITIZED_BUILD)
#define GS_INLINE_MATH inline __attribute__((always_inline))
#else
#define GS_INLINE_MATH inline
#endif

// One inline namespace per kernel translation unit: the generic, SSE4.2 and AVX2-128 units
// share Vec's 4-float type, so an out-of-line copy of a helper (sanitizer builds do not force
// inlining) would otherwise be one weak symbol that the linker takes from any of them: a unit
// would run another's code, with or without FMA (different numbers) or with instructions its
// CPU may lack. An instruction set's run kernels' unit (gru_run_kernel_<isa>.cpp, with the
// same flags) nests one more, `run`: there splatLane is written differently (GS_RUN_KERNELS).
namespace gs::simd {
inline namespace GS_KERNEL_NAMESPACE {
#if defined(GS_RUN_KERNELS)
inline namespace run {
#endif

constexpr int lanes = GS_SIMD_LANES;
constexpr int tile = GS_SIMD_TILE;
// Tiles of at most this many vectors split their sums into two (or, below, four) sets of
// accumulators (setsFor in tiled_product.h): half the tile unless a kernel unit sets a lower
// limit beside its tile.
#ifndef GS_SIMD_SPLIT_VECTORS
#define GS_SIMD_SPLIT_VECTORS (GS_SIMD_TILE / 2)
#endif
constexpr int splitVectors = GS_SIMD_SPLIT_VECTORS;
// Tiles of at most this many vectors split their sums into four sets instead: none unless a
// kernel unit sets it beside its tile.
#ifndef GS_SIMD_FOUR_SET_VECTORS
#define GS_SIMD_FOUR_SET_VECTORS 0
#endif
constexpr int fourSetVectors = GS_SIMD_FOUR_SET_VECTORS;
using Vec = float __attribute__((vector_size(lanes * sizeof(float))));
using IVec = std::int32_t __attribute__((vector_size(lanes * sizeof(std::int32_t))));

inline Vec load(const float* p) noexcept {
    Vec v;
    std::memcpy(&v, p, sizeof v);  // unaligned load: states live in plain std::vectors
    return v;
}
inline void store(float* p, Vec v) noexcept { std::memcpy(p, &v, sizeof v); }
// The intrinsics where there are any: GCC builds the lane-by-lane form as one broadcast in a
// step, but inside the run kernels' loops (gru_run_kernel_impl.h) as a chain of inserts, one
// per lane (AVX-512: 16 merge-masked loads of x, each waiting for the one before).
inline Vec broadcast(float x) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    return _mm512_set1_ps(x);
#elif GS_SIMD_LANES == 8 && defined(__AVX__)
    return _mm256_set1_ps(x);
#elif GS_SIMD_LANES == 4 && defined(__SSE4_1__)
    return _mm_set1_ps(x);
#else
    Vec v;
    for (int i = 0; i < lanes; ++i) v[i] = x;
    return v;
#endif
}

// Lane i of v in every lane. Reading a value of a vector just stored through a scalar load
// defeats store-to-load forwarding (a stall of tens of cycles per value, measured); loading
// the whole vector and permuting in registers does not.
inline Vec splatLane(Vec v, int i) noexcept {
#if defined(GS_RUN_KERNELS) && GS_SIMD_LANES == 16 && defined(__AVX512F__)
    // The run kernels' unit: for a lane known at compile time, a permute within each 128-bit
    // block and a block shuffle, both by immediates (the all-lanes mask forms, as for min
    // below). vpermps needs an index vector in a register per lane: at H16 the pair's run kernel
    // spilled. The step kernels keep it: there the shuffles measured no clear gain
    // (docs/benchmarks.md, fifteenth session).
    if (__builtin_constant_p(i)) {
        Vec inBlock;
        switch (i & 3) {
        case 0: inBlock = _mm512_maskz_permute_ps(0xFFFF, v, 0x00); break;
        case 1: inBlock = _mm512_maskz_permute_ps(0xFFFF, v, 0x55); break;
        case 2: inBlock = _mm512_maskz_permute_ps(0xFFFF, v, 0xAA); break;
        default: inBlock = _mm512_maskz_permute_ps(0xFFFF, v, 0xFF); break;
        }
        switch (i >> 2) {
        case 0: return _mm512_maskz_shuffle_f32x4(0xFFFF, inBlock, inBlock, 0x00);
        case 1: return _mm512_maskz_shuffle_f32x4(0xFFFF, inBlock, inBlock, 0x55);
        case 2: return _mm512_maskz_shuffle_f32x4(0xFFFF, inBlock, inBlock, 0xAA);
        default: return _mm512_maskz_shuffle_f32x4(0xFFFF, inBlock, inBlock, 0xFF);
        }
    }
#endif
#if defined(__clang__)
    return broadcast(v[i]);  // clang has no variable-index __builtin_shuffle; it emits a permute
#else
    return __builtin_shuffle(v, IVec{} + i);
#endif
}

// Value j of an array written by vector stores (a layer's state), broadcast to every lane.
inline Vec broadcastStored(const float* values, int j) noexcept {
    return splatLane(load(values + (j / lanes) * lanes), j % lanes);
}

// Single instructions where the ISA has them; the generic forms are the same maths.
// (AVX-512: the all-lanes mask forms, as for vscalefps below: GCC 12's unmasked intrinsics
// warn on their own undefined input.)
inline Vec min(Vec a, Vec b) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    return _mm512_maskz_min_ps(0xFFFF, a, b);
#elif GS_SIMD_LANES == 8 && defined(__AVX__)
    return _mm256_min_ps(a, b);
#elif GS_SIMD_LANES == 4 && defined(__SSE4_1__)
    return _mm_min_ps(a, b);
#else
    return a < b ? a : b;
#endif
}
inline Vec max(Vec a, Vec b) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    return _mm512_maskz_max_ps(0xFFFF, a, b);
#elif GS_SIMD_LANES == 8 && defined(__AVX__)
    return _mm256_max_ps(a, b);
#elif GS_SIMD_LANES == 4 && defined(__SSE4_1__)
    return _mm_max_ps(a, b);
#else
    return a > b ? a : b;
#endif
}
// The ternaries' clamp (signed; hi where lo > hi) by one max and one min where the ISA has them:
// GCC 12 builds the ternary max as a compare and a blend, one more step.
inline IVec clampInt(IVec v, IVec lo, IVec hi) noexcept {
#if GS_SIMD_LANES == 8 && defined(__AVX2__)
    return (IVec)_mm256_min_epi32(_mm256_max_epi32((__m256i)v, (__m256i)lo), (__m256i)hi);
#elif GS_SIMD_LANES == 4 && defined(__SSE4_1__)
    return (IVec)_mm_min_epi32(_mm_max_epi32((__m128i)v, (__m128i)lo), (__m128i)hi);
#else
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
#endif
}
// Round to the nearest integer (ties to even, whatever the rounding mode; the generic form's
// ties depend on it), as a float.
inline Vec roundToInteger(Vec v) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    return _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#elif GS_SIMD_LANES == 8 && defined(__AVX__)
    return _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#elif GS_SIMD_LANES == 4 && defined(__SSE4_1__)
    return _mm_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#else
    // 1.5 x 2^23: adding it rounds to an integer in the rounding mode MXCSR (or the FPCR)
    // holds; a mode other than nearest can land one away, which the correction takes back, so
    // |v - result| <= 1/2 in every mode (exact ties may go either way). From 2^23 on every
    // float is an integer already and passes through (the add would round it).
    const Vec shifter = broadcast(12582912.0f);
    const Vec rounded = (v + shifter) - shifter;
    const Vec corrected = rounded + (v - rounded > 0.5f ? broadcast(1.0f) : Vec{}) -
                          (rounded - v > 0.5f ? broadcast(1.0f) : Vec{});
    return (v >= 8388608.0f || v <= -8388608.0f) ? v : corrected;
#endif
}
// Horizontal sum by halving: log2(lanes) dependent adds instead of lanes. The halves are
// taken by register shuffles: going through memory made the dense head's accumulator live on
// the stack, and the half-width reloads of a full-width store stall (stereo H8: 7 ns of 41
// per frame, measured).
template <int First, typename V, int... I>
inline auto lanesFrom(V v, std::integer_sequence<int, I...>) noexcept {
    return __builtin_shufflevector(v, v, (First + I)...);
}
template <int N, typename V>
inline float sumOf(V v) noexcept {
    if constexpr (N == 2) {
        return v[0] + v[1];
    } else {
        constexpr auto half = std::make_integer_sequence<int, N / 2>{};
        return sumOf<N / 2>(lanesFrom<0>(v, half) + lanesFrom<N / 2>(v, half));
    }
}
inline float sum(Vec v) noexcept { return sumOf<lanes>(v); }

// t - round(t), exact, in [-1/2, 1/2]: one instruction with AVX-512DQ (and VL for 8 floats).
inline Vec fractionPart(Vec t) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512DQ__)
    return _mm512_maskz_reduce_ps(0xFFFF, t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#elif GS_SIMD_LANES == 8 && defined(__AVX512DQ__) && defined(__AVX512VL__)
    return _mm256_maskz_reduce_ps(0xFF, t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#else
    return t - roundToInteger(t);
#endif
}

// 1 + 2^t, the denominator of every sigmoid and tanh here (each caller divides by it).
// t = k + f with k = round(t) and |f| <= 1/2 both exact, 2^f by a degree-5 polynomial P
// fitted for relative error on [-1/2, 1/2] (constant term exactly 1; 1.1e-7 relative with
// the float coefficients before evaluation rounding; tools/bench/fit-exp2-polynomial.py
// prints them). The argument needs no extended-precision ln2 split: callers want absolute,
// not relative, accuracy of sigmoid and tanh, and t's rounding (|t| ulp) only matters where
// e^y is far from 1 and the result saturates. Pairs of terms in f, then Horner in f^2: 3
// dependent steps, as few as Estrin's scheme, with one multiply (f^2) where Estrin needs two;
// degree 5 instead of 7 (Taylor) saves two more: the FMA ports bound a Zen 1's step. All of
// it sits on the critical path of every GRU time step.
// ShortChain: for a step that waits on this chain rather than on its FMA ports, the same
// numbers in fewer steps (below: AVX-512 ends in one FMA, the others clamp 2^k's exponent by a
// max and a min; 8 floats with AVX-512's instructions have one form, short either way).
template <bool ShortChain = false>
GS_INLINE_MATH Vec onePlusExp2(Vec t) noexcept {
    const Vec f = fractionPart(t);
    const Vec f2 = f * f;
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    // 1 + P(f) 2^k with vscalefps: any t works, huge or infinite t give +inf or 1 (measured).
    // The all-lanes mask form: GCC 12's unmasked intrinsics warn on their own undefined input.
    // P m: P with every coefficient times m (1 or 2), so exactly m times P.
    const auto scaledPolynomial = [f, f2](float m) {
        const Vec p01 = f * (m * 0.693147004f) + m;
        const Vec p23 = f * (m * 0.0555073358f) + m * 0.240222424f;
        const Vec p45 = f * (m * 0.00132647273f) + m * 0.00967151299f;
        return (p45 * f2 + p23) * f2 + p01;
    };
    if constexpr (ShortChain) {
        // 2^k scaled beside the polynomial and P 2^k + 1 in one FMA: one step fewer after P,
        // as many instructions, and the same numbers: 2P 2^(k-1) is exactly the P 2^k of the
        // form below (which 2^k alone is not at k = 128, where it overflows), and the FMA
        // rounds it plus 1 once, as the add does (tests/unit/gru_kernels_test.cpp compares
        // the two forms over every rounding mode; with flush-to-zero and rounding upwards
        // they differ in the last bit for t in [-126, -125.5]). The final add moves from an
        // adder port to an FMA port (a Zen 4 has two of each): single steps with one vector
        // per gate, bound by this chain, gain; the pair, bound by its FMAs, lost
        // (gru_step_impl.h).
        return scaledPolynomial(2.0f) * _mm512_maskz_scalef_ps(0xFFFF, broadcast(0.5f), t - f) +
               1.0f;
    }
    return 1.0f + _mm512_maskz_scalef_ps(0xFFFF, scaledPolynomial(1.0f), t - f);
#elif GS_SIMD_LANES == 8 && defined(__AVX512DQ__) && defined(__AVX512VL__)
    // 8 floats with AVX-512's instructions (the avx512_256 unit): the form below, but f and k
    // each in one instruction from t, side by side (vreduceps, vroundps), and 2^k applied by
    // vscalefps, so no exponent field to build and clamp: after f come the polynomial's three
    // steps, as below, and 2^k is ready sooner. For |t| < 126 the same numbers as the form
    // below (2^k P(f)'s terms are the same products, and the halving there is exact); past
    // it, 2^t's overflow gives +inf and its underflow 0, which saturate a sigmoid or tanh as
    // the clamped values do. f^2 is scaled by vscalefps rather than multiplied by 2^k, so
    // that f = 0 with an infinite 2^k gives 0, not NaN. Zen 5, H8 one sample at a time, 10
    // alternating rounds, minimum: 25.2 -> 24.4 ns (docs/benchmarks.md, twenty-second session).
    const Vec k = roundToInteger(t);
    const Vec scale = _mm256_maskz_scalef_ps(0xFF, broadcast(1.0f), k);
    const Vec p01 = f * 0.693147004f + 1.0f;
    const Vec p23 = f * 0.0555073358f + 0.240222424f;
    const Vec p45 = f * 0.00132647273f + 0.00967151299f;
    return (p45 * f2 + p23) * _mm256_maskz_scalef_ps(0xFF, f2, k) + (p01 * scale + 1.0f);
#else
    // 1 + 2^k P(f) = q (f^2 2^k) + (p01 2^k + 1), with P = q f^2 + p01: 2^k is built from t
    // beside f, so after f come only the polynomial's three steps, with no exponent add and
    // no final add (Zen 4, AVX2 sizes, processFrame, against P(f) scaled by an exponent add
    // and then 1 added: H8 29.1 -> 27.4 ns, H24 66.0 -> 67.2, H40 150.8 -> 145.3; measured
    // side by side). The price: two roundings near 1 where there was one (tanh's max error
    // 1.8e-7 -> 2.7e-7, sigmoid's 9.4e-8 -> 1.4e-7; the golden tolerance is 1e-5). On AVX-512
    // this form was slower (H64 486 -> 510 ns), so vscalefps stays; its short chain above
    // keeps the numbers of the one rounding.
    // 2^k: round(t) plus 1.5 x 2^23 + 128 puts k + 128 in the low mantissa bits (exactly
    // while |k| + 128 < 2^22, so the rounding mode a host leaves in MXCSR cannot set k and f apart;
    // the rounding is fractionPart's). Clamped as integers to [2, 254] (a t so large that the sum
    // is inexact lands past one end or the other, as does NaN) and shifted up by 23, they are
    // the exponent field of 2^(k+1), always normal: the coefficients are halved to match
    // (exactly). Past the clamp, |t| > 126, k and f disagree, but 2^t is then below 2^-125 or
    // above 2^125 and a sigmoid or tanh saturates all the same. An infinite t (a sum that
    // overflowed) gives NaN (f = inf - inf), where AVX-512 gives +inf or 1: the stream
    // engine's output guard silences it and resets the state; sigmoid and tanh below limit x
    // first.
    const Vec shifted = roundToInteger(t) + (12582912.0f + 128.0f);
    IVec bits;
    std::memcpy(&bits, &shifted, sizeof bits);
    // 1.5 x 2^23 + 2, + 254
    const IVec lowest = IVec{} + (0x4B400000 + 2), highest = IVec{} + (0x4B400000 + 254);
    // ShortChain: clampInt, one step fewer on 2^k's way. Zen 5, AVX2's H8 (one vector per gate;
    // so are AVX2's run-time H1-7 and the 4-float units' H1-4, not measured), 16 alternating
    // rounds, minimum: one sample at a time 26.7 -> 25.6 ns, blocks of 64 1680 -> 1577; its
    // stereo run kernel takes it too (gru_run_kernel_impl.h). Everywhere, AVX2's H12-16 lost
    // 1.5-3.7 % (GCC then kept a division's operand on the stack, on the chain; H40 was 2.5 %
    // faster in one run of 6 rounds), so the other callers keep the comparisons.
    if constexpr (ShortChain) {
        bits = clampInt(bits, lowest, highest);
    } else {
        bits = bits < lowest ? lowest : bits;
        bits = bits > highest ? highest : bits;
    }
    bits <<= 23;
    Vec twiceScale;
    std::memcpy(&twiceScale, &bits, sizeof twiceScale);
    const Vec p01 = f * (0.5f * 0.693147004f) + 0.5f;
    const Vec p23 = f * (0.5f * 0.0555073358f) + (0.5f * 0.240222424f);
    const Vec p45 = f * (0.5f * 0.00132647273f) + (0.5f * 0.00967151299f);
    return (p45 * f2 + p23) * (f2 * twiceScale) + (p01 * twiceScale + 1.0f);
#endif
}

constexpr float log2e = std::numbers::log2e_v<float>;

// sigmoid: e^-x = 2^(-x log2e); tanh: e^2x = 2^(2x log2e).
// x limited to [-limit, limit], NaN kept (min and max return their second operand for NaN):
// for the activations below, which any finite or infinite x must saturate (onePlusExp2 takes
// no infinite t without AVX-512); the GRU and LSTM steps call onePlusExp2 directly.
inline Vec limited(Vec x, float limit) noexcept {
    return max(broadcast(-limit), min(broadcast(limit), x));
}

// 1 / (1 + e^-x): max abs error measured by tests/unit/gru_kernels_test.cpp (bound 1.5e-7).
// Beyond |x| = 100 it is 0 or 1 to float precision.
inline Vec sigmoid(Vec x) noexcept { return 1.0f / onePlusExp2(limited(x, 100.0f) * -log2e); }

// 1 - 2 / (1 + e^2x): max abs error measured likewise (bound 3e-7); near 0 it loses relative
// accuracy, not absolute, which is what the golden tolerance bounds. Beyond |x| = 50 it is +-1.
inline Vec tanh(Vec x) noexcept {
    return 1.0f - 2.0f / onePlusExp2(limited(x, 50.0f) * (2.0f * log2e));
}

#if defined(GS_RUN_KERNELS)
}  // namespace run
#endif
}  // namespace GS_KERNEL_NAMESPACE
}  // namespace gs::simd
