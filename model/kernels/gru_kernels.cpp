#include "gru_kernels.h"

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

} // namespace

const char* kernelIsaName(KernelIsa isa) noexcept {
    switch (isa) {
    case KernelIsa::Generic: return "generic";
    case KernelIsa::Sse42: return "sse4.2";
    case KernelIsa::Avx2: return "avx2";
    case KernelIsa::Avx512: return "avx512";
    }
    return "generic";
}

std::optional<KernelIsa> kernelIsaFromName(const std::string& name) noexcept {
    for (const KernelIsa isa : {KernelIsa::Generic, KernelIsa::Sse42, KernelIsa::Avx2, KernelIsa::Avx512})
        if (name == kernelIsaName(isa)) return isa;
    return std::nullopt;
}

KernelIsa activeKernelIsa() noexcept {
    static const KernelIsa best = detectBestIsa();
    static const KernelIsa chosen = cappedByEnvironment(best);
    if (const auto& isa = testOverride(); isa) return *isa < best ? *isa : best;
    return chosen;
}

void overrideKernelIsaForTesting(std::optional<KernelIsa> isa) noexcept { testOverride() = isa; }

#if defined(GS_KERNELS_X86)
#define GS_BY_ISA(call)                                                         \
    switch (activeKernelIsa()) {                                                \
    case KernelIsa::Avx512: return kernels::avx512::call;                       \
    case KernelIsa::Avx2: return kernels::avx2::call;                           \
    case KernelIsa::Sse42: return kernels::sse42::call;                         \
    case KernelIsa::Generic: break;                                             \
    }                                                                           \
    return kernels::generic::call
#else
#define GS_BY_ISA(call) return kernels::generic::call
#endif

GruStepFn selectGruStep(int hidden, bool paddedInput) noexcept { GS_BY_ISA(gruStepFor(hidden, paddedInput)); }
GruStepFn selectDynamicGruStep(bool paddedInput) noexcept { GS_BY_ISA(gruStepDynamic(paddedInput)); }
GruStepPairFn selectGruStepPair(int hidden, bool paddedInput) noexcept { GS_BY_ISA(gruStepPairFor(hidden, paddedInput)); }
DenseRowsFn selectDenseRows() noexcept { GS_BY_ISA(denseRows); }
LstmStepFn selectLstmStep(bool paddedInput) noexcept { GS_BY_ISA(lstmStepFor(paddedInput)); }
int kernelVectorFloats() noexcept { GS_BY_ISA(vectorFloats()); }
int kernelTileRows() noexcept { GS_BY_ISA(tileRows()); }

} // namespace gs
