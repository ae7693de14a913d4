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
    GruStepPairFn (*pairFor)(int, bool) noexcept;     // the pair when it is chosen, else nullptr
    GruStepPairFn (*pairKernel)(int, bool) noexcept;  // the pair kernel, chosen or not
    LstmStepFn (*lstmFor)(bool) noexcept;
    void (*tanhArray)(const float*, float*, int) noexcept;
    void (*sigmoidArray)(const float*, float*, int) noexcept;
    int (*vectorFloats)() noexcept;  // the gate alignment its packed weights need
    int (*tileRows)() noexcept;      // and their tile blocks' height
};

// Sets the kernel choice's test overrides for one scope and undoes them however it ends.
struct ScopedKernelOverrides {
    ScopedKernelOverrides(std::optional<KernelIsa> isa, std::optional<bool> splitsWide) {
        overrideKernelIsaForTesting(isa);
        overrideSplitsWideVectorsForTesting(splitsWide);
    }
    ~ScopedKernelOverrides() {
        overrideKernelIsaForTesting(std::nullopt);
        overrideSplitsWideVectorsForTesting(std::nullopt);
    }
    ScopedKernelOverrides(const ScopedKernelOverrides&) = delete;
    ScopedKernelOverrides& operator=(const ScopedKernelOverrides&) = delete;
};

// Every instruction set this CPU can run.
inline std::vector<IsaKernels> supportedKernels() {
    std::vector<IsaKernels> all{
        {KernelIsa::Generic, kernels::generic::gruStepFor, kernels::generic::gruStepDynamic, kernels::generic::gruStepPairFor, kernels::generic::gruStepPairKernel, kernels::generic::lstmStepFor, kernels::generic::tanhArray,
         kernels::generic::sigmoidArray, kernels::generic::vectorFloats, kernels::generic::tileRows}};
#if defined(__x86_64__)
    const KernelIsa best = activeKernelIsa();
    if (best >= KernelIsa::Sse42)
        all.push_back({KernelIsa::Sse42, kernels::sse42::gruStepFor, kernels::sse42::gruStepDynamic, kernels::sse42::gruStepPairFor, kernels::sse42::gruStepPairKernel, kernels::sse42::lstmStepFor,
                       kernels::sse42::tanhArray, kernels::sse42::sigmoidArray, kernels::sse42::vectorFloats, kernels::sse42::tileRows});
    if (best >= KernelIsa::Avx2x128)
        all.push_back({KernelIsa::Avx2x128, kernels::avx2_128::gruStepFor, kernels::avx2_128::gruStepDynamic, kernels::avx2_128::gruStepPairFor, kernels::avx2_128::gruStepPairKernel, kernels::avx2_128::lstmStepFor,
                       kernels::avx2_128::tanhArray, kernels::avx2_128::sigmoidArray, kernels::avx2_128::vectorFloats, kernels::avx2_128::tileRows});
    if (best >= KernelIsa::Avx2)
        all.push_back({KernelIsa::Avx2, kernels::avx2::gruStepFor, kernels::avx2::gruStepDynamic, kernels::avx2::gruStepPairFor, kernels::avx2::gruStepPairKernel, kernels::avx2::lstmStepFor,
                       kernels::avx2::tanhArray, kernels::avx2::sigmoidArray, kernels::avx2::vectorFloats, kernels::avx2::tileRows});
    if (best >= KernelIsa::Avx512)
        all.push_back({KernelIsa::Avx512, kernels::avx512::gruStepFor, kernels::avx512::gruStepDynamic, kernels::avx512::gruStepPairFor, kernels::avx512::gruStepPairKernel, kernels::avx512::lstmStepFor,
                       kernels::avx512::tanhArray, kernels::avx512::sigmoidArray, kernels::avx512::vectorFloats, kernels::avx512::tileRows});
#endif
    return all;
}

} // namespace gs::test
