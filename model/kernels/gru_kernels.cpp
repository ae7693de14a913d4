#include "gru_kernels.h"

#include "cpu_traits.h"
#include "packed_gates.h"

#include <cstdlib>

namespace gs {
namespace {

KernelIsa detectBestIsa() noexcept {
#if defined(GS_KERNELS_X86)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw"))
        return KernelIsa::Avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return KernelIsa::Avx2;
    if (__builtin_cpu_supports("sse4.2")) return KernelIsa::Sse42;
#endif
    return KernelIsa::Generic;
}

KernelIsa cappedByEnvironment(KernelIsa best) noexcept {
    const char* requested = std::getenv("GS_KERNEL_ISA");
    if (requested == nullptr) return best;
    const auto isa = kernelIsaFromName(requested);
    return isa && *isa < best ? *isa : best;
}

std::optional<KernelIsa>& testOverride() noexcept {
    static std::optional<KernelIsa> isa;
    return isa;
}

}  // namespace

const char* kernelIsaName(KernelIsa isa) noexcept {
    switch (isa) {
    case KernelIsa::Generic: return "generic";
    case KernelIsa::Sse42: return "sse4.2";
    case KernelIsa::Avx2x128: return "avx2-128";
    case KernelIsa::Avx2: return "avx2";
    case KernelIsa::Avx512x256: return "avx512-256";
    case KernelIsa::Avx512: return "avx512";
    }
    return "generic";
}

std::optional<KernelIsa> kernelIsaFromName(const std::string& name) noexcept {
    for (const KernelIsa isa : {KernelIsa::Generic, KernelIsa::Sse42, KernelIsa::Avx2x128,
                                KernelIsa::Avx2, KernelIsa::Avx512x256, KernelIsa::Avx512})
        if (name == kernelIsaName(isa)) return isa;
    return std::nullopt;
}

KernelIsa activeKernelIsa() noexcept {
    static const KernelIsa best = detectBestIsa();
    static const KernelIsa chosen = cappedByEnvironment(best);
    if (const auto& isa = testOverride(); isa) return *isa < chosen ? *isa : chosen;
    return chosen;
}

void overrideKernelIsaForTesting(std::optional<KernelIsa> isa) noexcept { testOverride() = isa; }

KernelIsa kernelIsaForSize(KernelIsa active, int nativeBits, int size) noexcept {
    KernelIsa isa = active;
    // Sizes up to 8 fill at most half of a 16-float vector: 8-float kernels run them faster even
    // where 512-bit operations run whole (a Zen 5: GRU H8 on AVX2's 3-12 % faster, the LSTM's 2 %
    // slower by minimum; docs/benchmarks.md), and those built for AVX-512 faster still
    // (Avx512x256: more registers and instructions; Zen 5, GRU H8 one sample at a time, 10
    // alternating rounds, minimum: 25.5 -> 23.8 ns; on a Zen 4 not measured). Larger sizes that
    // pad less on 8 floats (a Zen 4's) keep AVX2's: forced on every size on a Zen 5,
    // Avx512x256 ran H24 5 % faster but H40 22 % slower (docs/benchmarks.md).
    if (isa == KernelIsa::Avx512 && size <= 8) isa = KernelIsa::Avx512x256;
    if (isa == KernelIsa::Avx512 && nativeBits < 512 &&
        roundUpToMultiple(size, 8) < roundUpToMultiple(size, 16))
        isa = KernelIsa::Avx2;
    if ((isa == KernelIsa::Avx2 || isa == KernelIsa::Avx512x256) && nativeBits < 256 &&
        roundUpToMultiple(size, 4) < roundUpToMultiple(size, 8))
        isa = KernelIsa::Avx2x128;
    return isa;
}

KernelIsa kernelIsaForSize(int size) noexcept {
    return kernelIsaForSize(activeKernelIsa(), thisCpuNativeVectorBits(), size);
}

#if defined(GS_KERNELS_X86)
#define GS_BY_ISA(isa, call)                                                                       \
    switch (isa) {                                                                                 \
    case KernelIsa::Avx512: return kernels::avx512::call;                                          \
    case KernelIsa::Avx512x256: return kernels::avx512_256::call;                                  \
    case KernelIsa::Avx2: return kernels::avx2::call;                                              \
    case KernelIsa::Avx2x128: return kernels::avx2_128::call;                                      \
    case KernelIsa::Sse42: return kernels::sse42::call;                                            \
    case KernelIsa::Generic: break;                                                                \
    }                                                                                              \
    return kernels::generic::call
#else
#define GS_BY_ISA(isa, call)                                                                       \
    static_cast<void>(isa);                                                                        \
    return kernels::generic::call
#endif

GruStepFn selectGruStep(KernelIsa isa, int hidden, bool paddedInput) noexcept {
    GS_BY_ISA(isa, gruStepFor(hidden, paddedInput));
}
GruStepFn selectGruStepReversed(KernelIsa isa, int hidden, bool paddedInput) noexcept {
    GS_BY_ISA(isa, gruStepReversedFor(hidden, paddedInput));
}
namespace {
GruStepPairFn gruPairFor(KernelIsa isa, int hidden, bool paddedInput) noexcept {
    GS_BY_ISA(isa, gruStepPairFor(hidden, paddedInput));
}
GruStepPairFn gruPairReversedFor(KernelIsa isa, int hidden, bool paddedInput) noexcept {
    GS_BY_ISA(isa, gruStepPairReversedFor(hidden, paddedInput));
}

// Whether a pair kernel its unit chooses stays with two single steps on this CPU: AVX2's pair
// for weights past L1 where the CPU splits 256-bit operations (a Zen 1, where the GRU's was
// slower than two single steps; gru_kernel_impl.h). Its pair with one vector per gate stays.
bool splitCpuKeepsSingleSteps(KernelIsa isa, int hidden, int nativeBits) noexcept {
    const int lanes = kernelVectorFloats(isa);
    return lanes == 8 && nativeBits < 256 && roundUpToMultiple(hidden, lanes) != lanes;
}
}  // namespace

GruStepPairFn selectGruStepPair(KernelIsa isa, int hidden, bool paddedInput,
                                int nativeBits) noexcept {
    if (splitCpuKeepsSingleSteps(isa, hidden, nativeBits)) return nullptr;
    return gruPairFor(isa, hidden, paddedInput);
}
GruStepPairFn selectGruStepPairReversed(KernelIsa isa, int hidden, bool paddedInput,
                                        int nativeBits) noexcept {
    if (splitCpuKeepsSingleSteps(isa, hidden, nativeBits)) return nullptr;
    return gruPairReversedFor(isa, hidden, paddedInput);
}
GruStepPairHeadFn selectGruStepPairHead(KernelIsa isa, int hidden, bool paddedInput) noexcept {
    GS_BY_ISA(isa, gruStepPairHeadFor(hidden, paddedInput));
}
GruRunHeadFn selectGruRunHead(KernelIsa isa, int hidden) noexcept {
    GS_BY_ISA(isa, gruRunHeadFor(hidden));
}
namespace {
GruRunPairHeadFn runPairHeadFor(KernelIsa isa, int hidden) noexcept {
    GS_BY_ISA(isa, gruRunPairHeadFor(hidden));
}
GruRunPairHeadFn runPairStaggeredFor(KernelIsa isa, int hidden) noexcept {
    GS_BY_ISA(isa, gruRunPairStaggeredFor(hidden));
}
}  // namespace

// The staggered pair overlaps one channel's gate chain with the other's FMAs, and loads each
// weight once per channel where the pair kernel loads it once for both. It was measured where
// 512-bit (and 256-bit) operations run whole (a Zen 5). Where the CPU splits the kernel's
// vectors into halves (AVX-512 on a Zen 4, AVX2 on a Zen 1) its FMA and load ports bound a
// stereo frame more, and it was not measured: there the choices measured before stay (a Zen 4's
// AVX-512 pair at H32, two single steps at H48).
GruRunPairHeadFn selectGruRunPairHead(KernelIsa isa, int hidden, int nativeBits) noexcept {
    if (const GruRunPairHeadFn pair = runPairHeadFor(isa, hidden)) return pair;
    if (nativeBits < kernelVectorFloats(isa) * 32) return nullptr;
    return runPairStaggeredFor(isa, hidden);
}
DenseRowsFn selectDenseRows(KernelIsa isa) noexcept { GS_BY_ISA(isa, denseRows); }
LstmStepFn selectLstmStep(KernelIsa isa, int hidden, bool paddedInput) noexcept {
    GS_BY_ISA(isa, lstmStepFor(hidden, paddedInput));
}
namespace {
LstmStepPairFn lstmPairFor(KernelIsa isa, int hidden, bool paddedInput) noexcept {
    GS_BY_ISA(isa, lstmStepPairFor(hidden, paddedInput));
}
}  // namespace

// The LSTM's pair where its unit chooses it, except where the GRU's stays with single steps
// (splitCpuKeepsSingleSteps; the LSTM's pair was measured on a Zen 5 only). AVX-512's pair at
// those sizes was faster on a Zen 4 too (the GRU's).
LstmStepPairFn selectLstmStepPair(KernelIsa isa, int hidden, bool paddedInput,
                                  int nativeBits) noexcept {
    if (splitCpuKeepsSingleSteps(isa, hidden, nativeBits)) return nullptr;
    return lstmPairFor(isa, hidden, paddedInput);
}
int kernelVectorFloats(KernelIsa isa) noexcept { GS_BY_ISA(isa, vectorFloats()); }
int kernelTileRows(KernelIsa isa) noexcept { GS_BY_ISA(isa, tileRows()); }
int kernelGruTileRows(KernelIsa isa, int hidden) noexcept { GS_BY_ISA(isa, gruTileRows(hidden)); }

}  // namespace gs
