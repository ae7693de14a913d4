#pragma once
// The per-instruction-set kernels a test can call directly, for every instruction set this
// CPU runs, and a scope that sets the kernel choice's test overrides.

#include "model/kernels/cpu_traits.h"
#include "model/kernels/gru_kernels.h"

#include <optional>
#include <vector>

namespace gs::test {

struct IsaKernels {
    KernelIsa isa;
    GruStepFn (*stepFor)(int, bool) noexcept;
    GruStepFn (*dynamic)(bool) noexcept;
    GruStepFn (*stepReversedFor)(int, bool) noexcept;  // nullptr where steps keep one tile order
    GruStepPairFn (*pairFor)(int, bool) noexcept;      // the pair when it is chosen, else nullptr
    GruStepPairFn (*pairKernel)(int, bool) noexcept;   // the pair kernel, chosen or not
    // the chosen one, tiles reversed, or nullptr
    GruStepPairFn (*pairReversedFor)(int, bool) noexcept;
    GruStepPairHeadFn (*pairHeadFor)(int, bool) noexcept;  // the fused pair and head, or nullptr
    GruRunHeadFn (*runHeadFor)(int) noexcept;          // runs of frames with the head, or nullptr
    GruRunPairHeadFn (*runPairHeadFor)(int) noexcept;  // the same for two channels, or nullptr
    // the staggered pair's, for its sizes whatever the CPU, or nullptr
    GruRunPairHeadFn (*runPairStaggeredFor)(int) noexcept;
    DenseRowsFn denseRows;
    LstmStepFn (*lstmFor)(int, bool) noexcept;
    LstmStepFn (*lstmDynamic)(bool) noexcept;
    LstmStepPairFn (*lstmPairFor)(int, bool) noexcept;  // the pair when it is chosen, else nullptr
    LstmStepPairFn (*lstmPairKernel)(int, bool) noexcept;  // the pair kernel, chosen or not
    void (*tanhArray)(const float*, float*, int) noexcept;
    void (*sigmoidArray)(const float*, float*, int) noexcept;
    void (*onePlusExp2Array)(const float*, float*, int, bool) noexcept;  // either form (simd.h)
    int (*vectorFloats)() noexcept;    // the gate alignment its packed weights need
    int (*tileRows)() noexcept;        // and their tile blocks' height (the LSTM's)
    int (*gruTileRows)(int) noexcept;  // a GRU's, by hidden size
};

// Sets the kernel choice's test overrides for one scope and undoes them however it ends.
struct ScopedKernelOverrides {
    ScopedKernelOverrides(std::optional<KernelIsa> isa, std::optional<int> nativeVectorBits) {
        overrideKernelIsaForTesting(isa);
        overrideNativeVectorBitsForTesting(nativeVectorBits);
    }
    ~ScopedKernelOverrides() {
        overrideKernelIsaForTesting(std::nullopt);
        overrideNativeVectorBitsForTesting(std::nullopt);
    }
    ScopedKernelOverrides(const ScopedKernelOverrides&) = delete;
    ScopedKernelOverrides& operator=(const ScopedKernelOverrides&) = delete;
};

// One instruction set's entry points, all taken from its kernel namespace.
#define GS_ISA_KERNELS(isaValue, ns)                                                               \
    IsaKernels {                                                                                   \
        isaValue, kernels::ns::gruStepFor, kernels::ns::gruStepDynamic,                            \
            kernels::ns::gruStepReversedFor, kernels::ns::gruStepPairFor,                          \
            kernels::ns::gruStepPairKernel, kernels::ns::gruStepPairReversedFor,                   \
            kernels::ns::gruStepPairHeadFor, kernels::ns::gruRunHeadFor,                           \
            kernels::ns::gruRunPairHeadFor, kernels::ns::gruRunPairStaggeredFor,                   \
            kernels::ns::denseRows, kernels::ns::lstmStepFor, kernels::ns::lstmStepDynamic,        \
            kernels::ns::lstmStepPairFor, kernels::ns::lstmStepPairKernel, kernels::ns::tanhArray, \
            kernels::ns::sigmoidArray, kernels::ns::onePlusExp2Array, kernels::ns::vectorFloats,   \
            kernels::ns::tileRows, kernels::ns::gruTileRows                                        \
    }

// The 8-float kernels: AVX2's, and the same built for a CPU with AVX-512 (Avx512x256), which
// serve the same sizes with the same choices.
inline bool eightFloatKernels(KernelIsa isa) {
    return isa == KernelIsa::Avx2 || isa == KernelIsa::Avx512x256;
}

// Every instruction set this CPU can run.
inline std::vector<IsaKernels> supportedKernels() {
    std::vector<IsaKernels> all{GS_ISA_KERNELS(KernelIsa::Generic, generic)};
#if defined(__x86_64__)
    const KernelIsa best = activeKernelIsa();
    if (best >= KernelIsa::Sse42) all.push_back(GS_ISA_KERNELS(KernelIsa::Sse42, sse42));
    if (best >= KernelIsa::Avx2x128) all.push_back(GS_ISA_KERNELS(KernelIsa::Avx2x128, avx2_128));
    if (best >= KernelIsa::Avx2) all.push_back(GS_ISA_KERNELS(KernelIsa::Avx2, avx2));
    if (best >= KernelIsa::Avx512x256)
        all.push_back(GS_ISA_KERNELS(KernelIsa::Avx512x256, avx512_256));
    if (best >= KernelIsa::Avx512) all.push_back(GS_ISA_KERNELS(KernelIsa::Avx512, avx512));
#endif
    return all;
}

#undef GS_ISA_KERNELS

// How many of supportedKernels() have 8-float vectors (eightFloatKernels).
inline int eightFloatUnits() {
    int units = 0;
    for (const IsaKernels& k : supportedKernels()) units += eightFloatKernels(k.isa) ? 1 : 0;
    return units;
}

}  // namespace gs::test
