// CPU identification for the kernel choice: CPUID signatures, the table of cores that run
// their widest vectors as two halves, and the test override.
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
    expect(0x00A10F11, 0x19, 0x11);  // EPYC 9004 (Zen 4)
    expect(0x00B00F21, 0x1A, 0x02);  // Zen 5
    expect(0x00050654, 0x06, 0x55);  // Skylake-SP
    expect(0x000006F6, 0x06, 0x0F);  // Core 2: no extended parts
    expect(0x00010571, 0x05, 0x07);  // base family 5: the extended model bits do not count
}

TEST(CpuTraits, CoresThatRunVectorsAsHalvesAreKnownByVendorFamilyAndModel) {
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x17, 0x01), 128);  // Zen (EPYC 7001)
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x17, 0x08), 128);  // Zen+
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x15, 0x60), 128);  // Excavator
    EXPECT_EQ(nativeVectorBits("HygonGenuine", 0x18, 0x00), 128);
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x17, 0x31), 512);  // Zen 2: no AVX-512 to split
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x19, 0x01), 256);  // Zen 3: no AVX-512 either
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x19, 0x11), 256);  // Zen 4 (EPYC 9004)
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x19, 0x61), 256);  // Zen 4 (Ryzen 7000)
    EXPECT_EQ(nativeVectorBits("AuthenticAMD", 0x1A, 0x02), 512);  // Zen 5 (EPYC 9005)
    EXPECT_EQ(nativeVectorBits("GenuineIntel", 0x06, 0x55), 512);  // Skylake-SP
    EXPECT_EQ(nativeVectorBits("GenuineIntel", 0x17, 0x01), 512);
}

TEST(CpuTraits, TheOverridePretendsAndIsUndone) {
    const int actual = thisCpuNativeVectorBits();
    for (const int bits : {128, 256, 512}) {
        overrideNativeVectorBitsForTesting(bits);
        EXPECT_EQ(thisCpuNativeVectorBits(), bits);
    }
    overrideNativeVectorBitsForTesting(actual == 128 ? 256 : 128);  // not what this CPU says
    overrideNativeVectorBitsForTesting(std::nullopt);
    EXPECT_EQ(thisCpuNativeVectorBits(), actual);
}

}  // namespace
}  // namespace gs
