#pragma once
// What the kernel choice needs to know about the CPU beyond its instruction sets: the widest
// vector it runs as one operation. Wider ones run as two halves (two operations), so a kernel
// of half the width costs the same per value and may pad less (kernelIsaForSize). Read from
// CPUID once.

#include <optional>
#include <string_view>

namespace gs {

// Bits of the widest vector operation a CPU runs whole, as far as the kernel choice needs to
// know (it only compares this with the active instruction set's width): 128 for AMD's family
// 15h (the Bulldozer line), family 17h below model 30h (Zen, Zen+) and Hygon's family 18h (a
// Zen), which run 256-bit operations as two 128-bit halves; 256 for AMD's family 19h, whose
// AVX-512 cores (Zen 4) run 512-bit operations as two 256-bit halves (its Zen 3 cores have no
// AVX-512, so 256 changes nothing for them); 512 where no narrower limit is known here
// (Intel's, AMD's Zen 5 of family 1Ah as measured on an EPYC; mobile Zen 5 parts may split
// 512-bit operations too, not measured, not listed).
// vendor: CPUID's 12-character string; family and model as cpuFamilyModel decodes them.
int nativeVectorBits(std::string_view vendor, int family, int model) noexcept;

// CPUID leaf 1's EAX as family and model, extended parts added where Intel's and AMD's
// manuals say: the extended family when the base family is 0xF, the extended model when it is
// 6 or 0xF.
struct CpuFamilyModel {
    int family;
    int model;
};
CpuFamilyModel cpuFamilyModel(unsigned leaf1Eax) noexcept;

int thisCpuNativeVectorBits() noexcept;  // read once
// Tests: pretend this CPU runs vectors of `bits` whole (128, 256 or 512); nullopt undoes.
// Not thread-safe: call before building models.
void overrideNativeVectorBitsForTesting(std::optional<int> bits) noexcept;

}  // namespace gs
