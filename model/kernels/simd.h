#pragma once
// Portable SIMD for the kernel translation units, with GCC/Clang vector extensions. Each
// kernel TU is compiled for one instruction set and defines GS_SIMD_LANES (4: SSE4.2,
// 8: AVX2+FMA, 16: AVX-512) and GS_SIMD_TILE (accumulators kept in registers). Only kernel
// TUs include this.

#include <cstdint>
#include <cstring>

#if defined(__AVX512F__) || defined(__AVX2__) || defined(__SSE4_1__)
// GCC 12's AVX-512 headers trip -Wuninitialized on their own _mm512_undefined_ps().
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

#ifndef GS_SIMD_LANES
#error "simd.h is for the kernel translation units, which set GS_SIMD_LANES"
#endif

namespace gs::simd {

constexpr int lanes = GS_SIMD_LANES;
constexpr int tile = GS_SIMD_TILE;
typedef float Vec __attribute__((vector_size(lanes * sizeof(float))));
typedef std::int32_t IVec __attribute__((vector_size(lanes * sizeof(std::int32_t))));

inline Vec load(const float* p) noexcept {
    Vec v;
    std::memcpy(&v, p, sizeof v);  // unaligned load: states live in plain std::vectors
    return v;
}
inline void store(float* p, Vec v) noexcept { std::memcpy(p, &v, sizeof v); }
inline Vec broadcast(float x) noexcept {
    Vec v;
    for (int i = 0; i < lanes; ++i) v[i] = x;  // recognised as one broadcast instruction
    return v;
}

// Lane i of v in every lane. Reading a value of a vector just stored through a scalar load
// defeats store-to-load forwarding (a stall of tens of cycles per value, measured); loading
// the whole vector and permuting in registers does not.
inline Vec splatLane(Vec v, int i) noexcept {
#if defined(__clang__)
    return broadcast(v[i]);  // clang has no variable-index __builtin_shuffle; it emits a permute
#else
    return __builtin_shuffle(v, IVec{} + i);
#endif
}

// Value j of an array written by vector stores (a GRU state), broadcast to every lane.
inline Vec broadcastStored(const float* values, int j) noexcept {
    return splatLane(load(values + (j / lanes) * lanes), j % lanes);
}

// Single instructions where the ISA has them; the generic forms are the same maths.
inline Vec min(Vec a, Vec b) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    return _mm512_min_ps(a, b);
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
    return _mm512_max_ps(a, b);
#elif GS_SIMD_LANES == 8 && defined(__AVX__)
    return _mm256_max_ps(a, b);
#elif GS_SIMD_LANES == 4 && defined(__SSE4_1__)
    return _mm_max_ps(a, b);
#else
    return a > b ? a : b;
#endif
}
// Round to the nearest integer (ties to even), as a float.
inline Vec roundToInteger(Vec v) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    return _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#elif GS_SIMD_LANES == 8 && defined(__AVX__)
    return _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#elif GS_SIMD_LANES == 4 && defined(__SSE4_1__)
    return _mm_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#else
    const Vec shifter = broadcast(12582912.0f);  // 1.5 * 2^23: adding it rounds to an integer
    return (v + shifter) - shifter;
#endif
}
// p * 2^k for integral k in [-126, 127].
inline Vec scaleByPowerOfTwo(Vec p, Vec k) noexcept {
#if GS_SIMD_LANES == 16 && defined(__AVX512F__)
    return _mm512_scalef_ps(p, k);
#else
    const IVec bits = (__builtin_convertvector(k, IVec) + 127) << 23;
    Vec scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
#endif
}

// Horizontal sum by halving: log2(lanes) dependent adds instead of lanes.
template <int N>
inline float sumOf(const float* values) noexcept {
    if constexpr (N == 1) {
        return values[0];
    } else {
        typedef float Half __attribute__((vector_size(N / 2 * sizeof(float))));
        Half low, high;
        std::memcpy(&low, values, sizeof low);
        std::memcpy(&high, values + N / 2, sizeof high);
        const Half folded = low + high;
        float next[N / 2];
        std::memcpy(next, &folded, sizeof folded);
        return sumOf<N / 2>(next);
    }
}
inline float sum(Vec v) noexcept {
    float values[lanes];
    std::memcpy(values, &v, sizeof v);
    return sumOf<lanes>(values);
}

// e^y for y in [-87.3, 88] (clamped): y = k ln2 + r with |r| <= ln2 / 2 (ln2 split in two so
// k ln2 is exact), e^r by its Taylor series to r^7 (truncation < 5e-9 relative), times 2^k.
// The polynomial is evaluated in Estrin's scheme: 4 dependent steps instead of Horner's 7,
// because in a GRU this exp sits on the critical path of every time step.
inline Vec exp(Vec y) noexcept {
    y = max(min(y, broadcast(88.0f)), broadcast(-87.3f));
    const Vec k = roundToInteger(y * 1.44269504088896341f);
    Vec r = y - k * 0.693359375f;  // ln2 high part: 9 bits, so k * it is exact
    r = r - k * -2.12194440e-4f;   // ln2 low part
    const Vec r2 = r * r;
    const Vec r4 = r2 * r2;
    const Vec p01 = r + 1.0f;                            // 1 + r
    const Vec p23 = r * (1.0f / 6.0f) + 0.5f;            // 1/2 + r/6
    const Vec p45 = r * (1.0f / 120.0f) + 1.0f / 24.0f;  // 1/24 + r/120
    const Vec p67 = r * (1.0f / 5040.0f) + 1.0f / 720.0f;
    const Vec low = p23 * r2 + p01;
    const Vec high = p67 * r2 + p45;
    return scaleByPowerOfTwo(high * r4 + low, k);
}

// 1 / (1 + e^-x): max abs error 8.9e-8 (measured by tests/unit/gru_kernels_test.cpp).
inline Vec sigmoid(Vec x) noexcept { return 1.0f / (1.0f + exp(-x)); }

// 1 - 2 / (1 + e^2x): max abs error 1.8e-7 (measured likewise); near 0 it loses relative
// accuracy, not absolute, which is what the golden tolerance bounds.
inline Vec tanh(Vec x) noexcept { return 1.0f - 2.0f / (1.0f + exp(x + x)); }

} // namespace gs::simd
