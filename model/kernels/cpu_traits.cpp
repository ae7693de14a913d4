#include "cpu_traits.h"

#if defined(GS_KERNELS_X86)
#include <cpuid.h>
#include <cstring>
#endif

namespace gs {
namespace {

std::optional<int>& bitsOverride() noexcept {
    static std::optional<int> bits;
    return bits;
}

int cpuidNativeVectorBits() noexcept {
#if defined(GS_KERNELS_X86)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0) return 512;
    char vendor[12];
    std::memcpy(vendor, &ebx, 4);
    std::memcpy(vendor + 4, &edx, 4);
    std::memcpy(vendor + 8, &ecx, 4);
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return 512;
    const CpuFamilyModel cpu = cpuFamilyModel(eax);
    return nativeVectorBits(std::string_view(vendor, sizeof vendor), cpu.family, cpu.model);
#else
    return 512;
#endif
}

}  // namespace

CpuFamilyModel cpuFamilyModel(unsigned leaf1Eax) noexcept {
    const int baseFamily = static_cast<int>((leaf1Eax >> 8) & 0xF);
    const int extendedFamily = static_cast<int>((leaf1Eax >> 20) & 0xFF);
    const int baseModel = static_cast<int>((leaf1Eax >> 4) & 0xF);
    const int extendedModel = static_cast<int>((leaf1Eax >> 16) & 0xF);
    const bool extended = baseFamily == 0x6 || baseFamily == 0xF;
    return {baseFamily == 0xF ? baseFamily + extendedFamily : baseFamily,
            extended ? (extendedModel << 4) | baseModel : baseModel};
}

int nativeVectorBits(std::string_view vendor, int family, int model) noexcept {
    if (vendor == "AuthenticAMD") {
        if (family == 0x15 || (family == 0x17 && model < 0x30)) return 128;
        if (family == 0x19) return 256;
    }
    if (vendor == "HygonGenuine" && family == 0x18) return 128;
    return 512;
}

int thisCpuNativeVectorBits() noexcept {
    static const int bits = cpuidNativeVectorBits();
    if (const auto& pretend = bitsOverride(); pretend) return *pretend;
    return bits;
}

void overrideNativeVectorBitsForTesting(std::optional<int> bits) noexcept { bitsOverride() = bits; }

}  // namespace gs
