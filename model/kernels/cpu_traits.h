#pragma once
// What the kernel choice needs to know about the CPU beyond its instruction sets: whether it
// runs 256-bit vector operations as two 128-bit halves (then 4-float vectors cost half an
// 8-float one, and kernelIsaForSize may prefer them). Read from CPUID once.

#include <optional>
#include <string_view>

namespace gs {

// Whether a CPU runs every 256-bit vector operation as two 128-bit halves: AMD's family 15h
// (the Bulldozer line) and family 17h below model 30h (Zen, Zen+), Hygon's family 18h (a Zen).
// vendor: CPUID's 12-character string; family and model as cpuFamilyModel decodes them.
bool splitsWideVectors(std::string_view vendor, int family, int model) noexcept;

// CPUID leaf 1's EAX as family and model, extended parts added where Intel's and AMD's
// manuals say: the extended family when the base family is 0xF, the extended model when it is
// 6 or 0xF.
struct CpuFamilyModel {
    int family;
    int model;
};
CpuFamilyModel cpuFamilyModel(unsigned leaf1Eax) noexcept;

bool thisCpuSplitsWideVectors() noexcept;  // read once
// Tests: pretend this CPU does or does not split them; nullopt undoes. Not thread-safe: call
// before building models.
void overrideSplitsWideVectorsForTesting(std::optional<bool> splits) noexcept;

} // namespace gs
