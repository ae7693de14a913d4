// CPU identification for the kernel choice: CPUID signatures, the table of cores that split
// 256-bit operations, and the test override.
#include "model/kernels/cpu_traits.h"

#include <gtest/gtest.h>

#include <ios>

namespace gs {
namespace {

// Signatures from the vendors' documents: the extended family counts only above base 0xF,
// the extended model only for base families 6 and 0xF.
TEST(CpuTraits, CpuidSignaturesDecodeToFamilyAndModel) {
    const auto expect = [](unsigned eax, int family, int model) {
        const CpuFamilyModel cpu = cpuFamilyModel(eax);
        EXPECT_EQ(cpu.family, family) << std::hex << eax;
        EXPECT_EQ(cpu.model, model) << std::hex << eax;
    };
    expect(0x00800F12, 0x17, 0x01);  // EPYC 7001 (Zen)
    expect(0x00830F10, 0x17, 0x31);  // EPYC 7002 (Zen 2)
    expect(0x00660F01, 0x15, 0x60);  // Excavator
    expect(0x00B00F21, 0x1A, 0x02);  // Zen 5
    expect(0x00050654, 0x06, 0x55);  // Skylake-SP
    expect(0x000006F6, 0x06, 0x0F);  // Core 2: no extended parts
    expect(0x00010571, 0x05, 0x07);  // base family 5: the extended model bits do not count
}

TEST(CpuTraits, CoresThatSplitWideVectorsAreKnownByVendorFamilyAndModel) {
    EXPECT_TRUE(splitsWideVectors("AuthenticAMD", 0x17, 0x01));   // Zen (EPYC 7001)
    EXPECT_TRUE(splitsWideVectors("AuthenticAMD", 0x17, 0x08));   // Zen+
    EXPECT_FALSE(splitsWideVectors("AuthenticAMD", 0x17, 0x31));  // Zen 2
    EXPECT_FALSE(splitsWideVectors("AuthenticAMD", 0x19, 0x01));  // Zen 3
    EXPECT_FALSE(splitsWideVectors("AuthenticAMD", 0x1A, 0x02));  // Zen 5
    EXPECT_TRUE(splitsWideVectors("AuthenticAMD", 0x15, 0x60));   // Excavator
    EXPECT_TRUE(splitsWideVectors("HygonGenuine", 0x18, 0x00));
    EXPECT_FALSE(splitsWideVectors("GenuineIntel", 0x06, 0x55));  // Skylake-SP
    EXPECT_FALSE(splitsWideVectors("GenuineIntel", 0x17, 0x01));
}

TEST(CpuTraits, TheOverridePretendsAndIsUndone) {
    const bool actual = thisCpuSplitsWideVectors();
    overrideSplitsWideVectorsForTesting(true);
    EXPECT_TRUE(thisCpuSplitsWideVectors());
    overrideSplitsWideVectorsForTesting(false);
    EXPECT_FALSE(thisCpuSplitsWideVectors());
    overrideSplitsWideVectorsForTesting(std::nullopt);
    EXPECT_EQ(thisCpuSplitsWideVectors(), actual);
}

} // namespace
} // namespace gs
