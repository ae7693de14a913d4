#pragma once
// Portable SIMD for the kernel translation units, with GCC/Clang vector extensions. Each
// kernel TU is compiled for one instruction set and defines GS_SIMD_LANES (4: SSE4.2,
// 8: AVX2+FMA, 16: AVX-512) and GS_SIMD_TILE (accumulators kept in registers). Only kernel
// TUs include this.

#include <cstdint>
#include <cstring>

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
inline Vec broadcast(float x) noexcept { return Vec{} + x; }
inline Vec min(Vec a, Vec b) noexcept { return a < b ? a : b; }
inline Vec max(Vec a, Vec b) noexcept { return a > b ? a : b; }
inline float sum(Vec v) noexcept {
    float total = 0.0f;
    for (int i = 0; i < lanes; ++i) total += v[i];
    return total;
}

// e^y for y in [-87.3, 88] (clamped): y = k ln2 + r with |r| <= ln2 / 2 (ln2 split in two so
// k ln2 is exact), e^r by its Taylor series to r^7 (truncation < 5e-9 relative), times 2^k
// built in the exponent bits. Relative error a few float ulps.
inline Vec exp(Vec y) noexcept {
    y = max(min(y, broadcast(88.0f)), broadcast(-87.3f));
    const Vec shifter = broadcast(12582912.0f);  // 1.5 * 2^23: adding it rounds to an integer
    const Vec k = (y * 1.44269504088896341f + shifter) - shifter;
    Vec r = y - k * 0.693359375f;  // ln2 high part: 9 bits, so k * it is exact
    r = r - k * -2.12194440e-4f;   // ln2 low part
    Vec p = broadcast(1.0f / 5040.0f);
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const IVec bits = (__builtin_convertvector(k, IVec) + 127) << 23;
    Vec scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

// 1 / (1 + e^-x): max abs error 8.9e-8 (measured by tests/unit/gru_kernels_test.cpp).
inline Vec sigmoid(Vec x) noexcept { return 1.0f / (1.0f + exp(-x)); }

// 1 - 2 / (1 + e^2x): max abs error 1.8e-7 (measured likewise); near 0 it loses relative
// accuracy, not absolute, which is what the golden tolerance bounds.
inline Vec tanh(Vec x) noexcept { return 1.0f - 2.0f / (1.0f + exp(x + x)); }

} // namespace gs::simd
