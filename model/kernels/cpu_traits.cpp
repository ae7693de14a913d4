#include "cpu_traits.h"

#if defined(GS_KERNELS_X86)
#include <cpuid.h>
#include <cstring>
#endif

namespace gs {
namespace {

std::optional<bool>& splitsOverride() noexcept {
    static std::optional<bool> splits;
    return splits;
}

bool cpuidSaysSplitsWideVectors() noexcept {
#if defined(GS_KERNELS_X86)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0) return false;
    char vendor[12];
    std::memcpy(vendor, &ebx, 4);
    std::memcpy(vendor + 4, &edx, 4);
    std::memcpy(vendor + 8, &ecx, 4);
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
    const CpuFamilyModel cpu = cpuFamilyModel(eax);
    return splitsWideVectors(std::string_view(vendor, sizeof vendor), cpu.family, cpu.model);
#else
    return false;
#endif
}

} // namespace

CpuFamilyModel cpuFamilyModel(unsigned leaf1Eax) noexcept {
    const int baseFamily = static_cast<int>((leaf1Eax >> 8) & 0xF);
    const int extendedFamily = static_cast<int>((leaf1Eax >> 20) & 0xFF);
    const int baseModel = static_cast<int>((leaf1Eax >> 4) & 0xF);
    const int extendedModel = static_cast<int>((leaf1Eax >> 16) & 0xF);
    const bool extended = baseFamily == 0x6 || baseFamily == 0xF;
    return {baseFamily == 0xF ? baseFamily + extendedFamily : baseFamily,
            extended ? (extendedModel << 4) | baseModel : baseModel};
}

bool splitsWideVectors(std::string_view vendor, int family, int model) noexcept {
    if (vendor == "AuthenticAMD") return family == 0x15 || (family == 0x17 && model < 0x30);
    if (vendor == "HygonGenuine") return family == 0x18;
    return false;
}

bool thisCpuSplitsWideVectors() noexcept {
    static const bool splits = cpuidSaysSplitsWideVectors();
    if (const auto& pretend = splitsOverride(); pretend) return *pretend;
    return splits;
}

void overrideSplitsWideVectorsForTesting(std::optional<bool> splits) noexcept { splitsOverride() = splits; }

} // namespace gs
