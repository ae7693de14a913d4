// The GRU kernels against the torch equations across instruction sets and sizes (compiled
// and run-time sizes, single and pair steps, whole models per instruction set), and the
// documented error of the kernels' sigmoid and tanh.

#include "dsp/denormal_guard.h"
#include "isa_kernels.h"
#include "model/gru_layer.h"
#include "model/kernels/packed_gru.h"
#include "model/lstm_layer.h"
#include "model/recurrent_model.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace gs {
namespace {

using test::eightFloatKernels;
using test::eightFloatUnits;
using test::ScopedKernelOverrides;
using test::supportedKernels;
using test::weightScale;

// The largest |y - exact| over x; a NaN in y counts as an infinite error (std::max would skip it).
template <typename Exact>
double maxAbsError(const std::vector<float>& x, const std::vector<float>& y, Exact exact) {
    double error = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double e = std::abs(y[i] - exact(double(x[i])));
        error = std::isnan(e) ? std::numeric_limits<double>::infinity() : std::max(error, e);
    }
    return error;
}

TEST(FastMath, TanhAndSigmoidStayWithinTheirDocumentedError) {
    std::vector<float> x;
    for (double v = -30.0; v <= 30.0; v += 1.0 / 4096.0) x.push_back(static_cast<float>(v));
    for (float extreme : {std::numeric_limits<float>::max(), std::numeric_limits<float>::infinity(),
                          1e30f, 200.0f}) {
        x.push_back(extreme);
        x.push_back(-extreme);
    }
    std::vector<float> y(x.size());
    for (const auto& k : supportedKernels()) {
        k.tanhArray(x.data(), y.data(), static_cast<int>(x.size()));
        const double tanhError = maxAbsError(x, y, [](double v) { return std::tanh(v); });
        k.sigmoidArray(x.data(), y.data(), static_cast<int>(x.size()));
        const double sigmoidError =
            maxAbsError(x, y, [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
        std::printf("%-8s tanh max abs error %.3g, sigmoid %.3g\n", kernelIsaName(k.isa), tanhError,
                    sigmoidError);
        EXPECT_LT(tanhError, 3e-7) << kernelIsaName(k.isa);
        EXPECT_LT(sigmoidError, 1.5e-7) << kernelIsaName(k.isa);
        const float nan = std::numeric_limits<float>::quiet_NaN();
        float out = 0.0f;
        k.tanhArray(&nan, &out, 1);
        EXPECT_TRUE(std::isnan(out))
            << kernelIsaName(k.isa) << ": a NaN must stay visible to the output guard";
        k.sigmoidArray(&nan, &out, 1);
        EXPECT_TRUE(std::isnan(out)) << kernelIsaName(k.isa);
    }
}

// A host may leave any rounding mode in MXCSR (the DenormalGuard keeps it): the kernels'
// exponentials must not depend on it beyond the last bits (1 + 2^t takes k from an explicitly
// rounded t, not from a rounding add).
TEST(FastMath, TanhAndSigmoidHoldUnderEveryRoundingMode) {
    std::vector<float> x;
    for (double v = -20.0; v <= 20.0; v += 1.0 / 512.0) x.push_back(static_cast<float>(v));
    std::vector<float> y(x.size());
    const int initialMode = std::fegetround();
    for (const int mode : {FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO}) {
        for (const auto& k : supportedKernels()) {
            ASSERT_EQ(std::fesetround(mode), 0);
            k.tanhArray(x.data(), y.data(), static_cast<int>(x.size()));
            std::fesetround(initialMode);
            const double tanhError = maxAbsError(x, y, [](double v) { return std::tanh(v); });
            std::fesetround(mode);
            k.sigmoidArray(x.data(), y.data(), static_cast<int>(x.size()));
            std::fesetround(initialMode);
            const double sigmoidError =
                maxAbsError(x, y, [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
            EXPECT_LT(tanhError, 2e-6) << kernelIsaName(k.isa) << " rounding mode " << mode;
            EXPECT_LT(sigmoidError, 2e-6) << kernelIsaName(k.isa) << " rounding mode " << mode;
        }
    }
}

// simd.h's two forms of 1 + 2^t (the short chain for single steps with one vector per gate,
// the other for the pair kernels) must give the same bits, or a stereo stream's channels would
// not sound like mono ones: over t from -160 to 160, every exponent edge, the extremes and
// NaN, in every rounding mode, with and without flush-to-zero. One known exception: flushing
// to zero and rounding upwards, t in [-126, -125.5] differs in the last bit (simd.h).
TEST(FastMath, BothFormsOfOnePlusExp2GiveTheSameBits) {
    std::vector<float> t;
    for (double v = -160.0; v <= 160.0; v += 1.0 / 256.0) t.push_back(static_cast<float>(v));
    // each edge and its 3 neighbours below and above, an ulp apart
    for (const float edge : {127.5f, 128.0f, 128.5f, 127.0f, -125.5f, -126.0f, -126.5f, -127.0f,
                             -149.0f, -150.0f, 0.0f}) {
        t.push_back(edge);
        float below = edge, above = edge;
        for (int i = 0; i < 3; ++i) {
            below = std::nextafter(below, -1e9f);
            above = std::nextafter(above, 1e9f);
            t.push_back(below);
            t.push_back(above);
        }
    }
    for (const float extreme : {std::numeric_limits<float>::max(),
                                std::numeric_limits<float>::infinity(), 1e30f, 1e-40f}) {
        t.push_back(extreme);
        t.push_back(-extreme);
    }
    t.push_back(std::numeric_limits<float>::quiet_NaN());
    std::vector<float> longer(t.size()), shorter(t.size());
    const int initialMode = std::fegetround();
    int compared = 0;
    for (const bool flushToZero : {false, true})
        for (const int mode : {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO})
            for (const auto& k : supportedKernels()) {
                {
                    std::optional<DenormalGuard> flush;
                    if (flushToZero) flush.emplace();
                    ASSERT_EQ(std::fesetround(mode), 0);
                    k.onePlusExp2Array(t.data(), longer.data(), static_cast<int>(t.size()), false);
                    k.onePlusExp2Array(t.data(), shorter.data(), static_cast<int>(t.size()), true);
                    std::fesetround(initialMode);
                }
                for (std::size_t i = 0; i < t.size(); ++i) {
                    if (flushToZero && mode == FE_UPWARD && t[i] >= -126.0f && t[i] <= -125.5f) {
                        EXPECT_LE(std::abs(shorter[i] - longer[i]), 0x1p-23f) << t[i];
                        continue;
                    }
                    if (std::isnan(t[i])) {
                        EXPECT_TRUE(std::isnan(longer[i]) && std::isnan(shorter[i]));
                        continue;
                    }
                    ASSERT_EQ(std::bit_cast<std::uint32_t>(shorter[i]),
                              std::bit_cast<std::uint32_t>(longer[i]))
                        << kernelIsaName(k.isa) << " t " << t[i] << ": " << shorter[i]
                        << " against " << longer[i] << ", rounding mode " << mode << ", flush "
                        << flushToZero;
                    ++compared;
                }
            }
    EXPECT_GT(compared, 8 * 80000);
}

// The 8-float kernels built for AVX-512 take 2^k from vscalefps where AVX2's build its exponent
// field and clamp it (simd.h): below the clamp, |t| <= 125.5, the same bits in the default
// rounding mode; past it, 2^t overflows to +inf from t = 127.5 on (1 + 2^t with f = 0 too, not
// NaN) and underflows to 1, where AVX2's clamped values saturate a sigmoid or tanh all the same.
TEST(FastMath, TheEightFloatAvx512ExponentialGivesAvx2sBitsBelowTheClamp) {
#if defined(__x86_64__)
    if (activeKernelIsa() < KernelIsa::Avx512x256) GTEST_SKIP() << "needs AVX-512";
    std::vector<float> t;
    for (double v = -125.5; v <= 125.5; v += 1.0 / 1024.0) t.push_back(static_cast<float>(v));
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> anywhere(-125.5f, 125.5f);
    for (int i = 0; i < 100000; ++i) t.push_back(anywhere(rng));
    std::vector<float> avx2(t.size()), eightFloats(t.size());
    for (const bool shortChain : {false, true}) {
        kernels::avx2::onePlusExp2Array(t.data(), avx2.data(), static_cast<int>(t.size()),
                                        shortChain);
        kernels::avx512_256::onePlusExp2Array(t.data(), eightFloats.data(),
                                              static_cast<int>(t.size()), shortChain);
        for (std::size_t i = 0; i < t.size(); ++i)
            ASSERT_EQ(std::bit_cast<std::uint32_t>(eightFloats[i]),
                      std::bit_cast<std::uint32_t>(avx2[i]))
                << "t " << t[i] << ": " << eightFloats[i] << " against " << avx2[i];
    }
    const std::vector<float> past{127.5f,  128.0f,  200.0f,   1000.0f, 1e30f,
                                  -128.0f, -200.0f, -1000.0f, -1e30f,  -3e38f};
    std::vector<float> out(past.size());
    kernels::avx512_256::onePlusExp2Array(past.data(), out.data(), static_cast<int>(past.size()),
                                          false);
    for (std::size_t i = 0; i < past.size(); ++i)
        EXPECT_EQ(out[i], past[i] > 0 ? std::numeric_limits<float>::infinity() : 1.0f) << past[i];
#else
    GTEST_SKIP() << "x86 only";
#endif
}

// Runs kernels for `steps` steps from zero, `first` on even steps and `second` on odd ones
// (as a layer whose steps alternate their tile order does); returns the whole state
// trajectory. Frame t of the input starts at t x stride (packed.inputs, or a padded state's
// paddedSize).
std::vector<float> runAlternating(GruStepFn first, GruStepFn second, const PackedGru& packed,
                                  const std::vector<float>& inputs, int steps, int stride) {
    std::vector<float> h(static_cast<std::size_t>(packed.paddedHidden), 0.0f),
        scratch(gruScratchPerPaddedHidden * h.size()), all;
    for (int t = 0; t < steps; ++t) {
        (t % 2 == 0 ? first : second)(packed,
                                      inputs.data() + static_cast<std::ptrdiff_t>(t) * stride,
                                      h.data(), scratch.data());
        all.insert(all.end(), h.begin(), h.end());
    }
    return all;
}

// One kernel throughout.
std::vector<float> run(GruStepFn step, const PackedGru& packed, const std::vector<float>& inputs,
                       int steps, int stride) {
    return runAlternating(step, step, packed, inputs, steps, stride);
}

TEST(GruKernels, CompileTimeSizesGiveTheSameNumbersAsTheRunTimeKernelOnEveryInstructionSet) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    struct Input {
        int count;
        bool padded;  // another layer's padded state (frames of paddedSize(count) floats)
    };
    int alternationsTested = 0;
    for (const int hidden : {8, 12, 16, 24, 32, 40, 48, 64, 96, 128, 5, 33, 60, 100, 136}) {
        for (const Input input : {Input{1, false}, Input{6, false}, Input{6, true}}) {
            const int stride = input.padded ? PackedGates::paddedSize(input.count) : input.count;
            const auto gru = test::randomGru(rng, input.count, hidden, weightScale(hidden));
            std::vector<float> x(static_cast<std::size_t>(300 * stride), 0.0f);
            for (std::size_t i = 0; i < x.size(); ++i)
                if (static_cast<int>(i % static_cast<std::size_t>(stride)) < input.count)
                    x[i] = signal(rng);
            std::vector<float> previousIsa;
            for (const auto& k : supportedKernels()) {
                const PackedGru packed(gru->weights(), k.vectorFloats(), k.gruTileRows(hidden));
                const std::string where = std::string(kernelIsaName(k.isa)) + " H" +
                                          std::to_string(hidden) +
                                          (input.padded ? " padded input" : "");
                const auto fixed = run(k.stepFor(hidden, input.padded), packed, x, 300, stride);
                EXPECT_EQ(fixed, run(k.dynamic(input.padded), packed, x, 300, stride)) << where;
                // Where steps alternate their tile order, the reversed order gives the same
                // numbers.
                if (const GruStepFn reversed = k.stepReversedFor(hidden, input.padded)) {
                    EXPECT_EQ(fixed, runAlternating(k.stepFor(hidden, input.padded), reversed,
                                                    packed, x, 300, stride))
                        << where;
                    ++alternationsTested;
                }
                // The padding lanes stay exactly zero.
                for (std::size_t i = 0; i < fixed.size(); ++i) {
                    if (static_cast<int>(i % static_cast<std::size_t>(packed.paddedHidden)) >=
                        hidden) {
                        ASSERT_EQ(fixed[i], 0.0f);
                    }
                }
                // Instruction sets differ only in how sums are split and rounded (300 steps at
                // gate-saturating inputs: 5.2e-6 apart at most on a Zen 1, measured; H128 takes
                // torch's weight scale, at which it is not chaotic: at 0.5 it drifts 1e-4 apart).
                if (!previousIsa.empty()) {
                    for (std::size_t i = 0; i < fixed.size(); ++i)
                        ASSERT_NEAR(fixed[i], previousIsa[i], 1e-4) << where;
                }
                previousIsa = fixed;
            }
        }
    }
    // H64 (compiled) and H60 (run-time size): 43-48 KB of recurrent weights on every
    // instruction set, so both alternate everywhere.
    EXPECT_EQ(alternationsTested, 2 * 3 * static_cast<int>(supportedKernels().size()));
}

// Huge but finite inputs drive the gates far past saturation (exponents far outside
// [-126, 126], sums no longer exact integers): h saturates, stays finite and agrees with
// the double-precision equations' saturated values on every instruction set, in every
// rounding mode a host may leave set. The pair kernel, whose exponentials take the other
// form at the sizes with one vector per gate (gru_step_impl.h), gives the same numbers there
// too.
TEST(GruKernels, HugeFiniteInputsSaturateTheGates) {
    std::mt19937 rng(9);
    const int initialMode = std::fegetround();
    for (const int hidden : {8, 16, 40}) {
        const auto gru = test::randomGru(rng, 1, hidden);
        const std::vector<float> x{1e30f, -1e30f, 3e6f, -3e6f, 1e30f, 0.5f, -1e30f, 200.0f};
        for (const auto& k : supportedKernels()) {
            const PackedGru packed(gru->weights(), k.vectorFloats(), k.gruTileRows(hidden));
            const auto nearest =
                run(k.stepFor(hidden, false), packed, x, static_cast<int>(x.size()), 1);
            const auto hp = static_cast<std::size_t>(packed.paddedHidden);
            std::vector<float> h0(hp, 0.0f), h1(h0), s0(gruScratchPerPaddedHidden * hp), s1(s0);
            for (std::size_t t = 0; t < x.size(); ++t) {
                k.pairKernel(hidden, false)(packed, &x[t], &x[t], h0.data(), h1.data(), s0.data(),
                                            s1.data());
                const std::vector<float> expected(
                    nearest.begin() + static_cast<std::ptrdiff_t>(t * hp),
                    nearest.begin() + static_cast<std::ptrdiff_t>((t + 1) * hp));
                ASSERT_EQ(h0, expected) << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
                ASSERT_EQ(h1, expected) << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
            }
            for (const int mode : {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO}) {
                ASSERT_EQ(std::fesetround(mode), 0);
                const auto states =
                    run(k.stepFor(hidden, false), packed, x, static_cast<int>(x.size()), 1);
                std::fesetround(initialMode);
                for (std::size_t i = 0; i < states.size(); ++i) {
                    ASSERT_TRUE(std::isfinite(states[i]))
                        << kernelIsaName(k.isa) << " H" << hidden << " mode " << mode;
                    ASSERT_LE(std::abs(states[i]), 1.0f) << kernelIsaName(k.isa) << " H" << hidden;
                    // Saturated gates round to the same values in any mode, within a few ulp.
                    ASSERT_NEAR(states[i], nearest[i], 1e-5)
                        << kernelIsaName(k.isa) << " H" << hidden << " mode " << mode;
                }
            }
        }
    }
}

// Steps alternate their tile order where the recurrent weights take more than one 32 KB L1
// and at most two; a product that would be one tile is cut into two (AVX-512 at H64).
TEST(GruKernels, StepsAlternateTheirTileOrderOnlyWhereTheWeightsOutgrowL1) {
    for (const auto& k : supportedKernels()) {
        const std::string isa = kernelIsaName(k.isa);
        for (const int hidden : {8, 40, 48, 96, 128}) {
            EXPECT_EQ(k.stepReversedFor(hidden, false), nullptr) << isa << " H" << hidden;
            EXPECT_EQ(k.gruTileRows(hidden), k.tileRows()) << isa << " H" << hidden;
        }
        for (const int hidden : {60, 64}) {
            EXPECT_NE(k.stepReversedFor(hidden, false), nullptr) << isa << " H" << hidden;
            EXPECT_NE(k.stepReversedFor(hidden, true), nullptr) << isa << " H" << hidden;
            EXPECT_EQ(kernelGruTileRows(k.isa, hidden), k.gruTileRows(hidden)) << isa;
            EXPECT_EQ(selectGruStepReversed(k.isa, hidden, false), k.stepReversedFor(hidden, false))
                << isa;
        }
        // 12 vectors: 6 + 6
        const int expectedH64 = k.isa == KernelIsa::Avx512 ? 6 * 16 : k.tileRows();
        EXPECT_EQ(k.gruTileRows(64), expectedH64) << isa;
    }
}

// One channel's input to the pair kernel tests, `steps` steps: a value per step, or
// (paddedInput) pairTestInputs values per step in a whole vector, as a layer's padded state.
constexpr int pairTestInputs = 3, pairTestStride = 16;
std::vector<float> pairTestInput(std::mt19937& rng, int steps, bool paddedInput) {
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    const int inputs = paddedInput ? pairTestInputs : 1, stride = paddedInput ? pairTestStride : 1;
    std::vector<float> x(static_cast<std::size_t>(steps * stride), 0.0f);
    for (int t = 0; t < steps; ++t)
        for (int i = 0; i < inputs; ++i) x[static_cast<std::size_t>(t * stride + i)] = signal(rng);
    return x;
}

TEST(GruKernels, ThePairKernelGivesEachChannelExactlyTheSingleKernelsNumbers) {
    int pairsTested = 0, reversedPairsTested = 0;
    std::mt19937 rng(4);
    // 100: the run-time-size pair; 60: a run-time size whose steps alternate their tile order;
    // 136: a run-time size whose last tile has 3 vectors on AVX-512 (summed in four sets, as
    // H12's and H16's one tile is); 72: one whose steps alternate and whose pair is chosen on
    // AVX2 (62 KB of weights).
    for (const int hidden : {8, 12, 16, 24, 32, 40, 64, 96, 128, 33, 100, 60, 136, 72}) {
        // paddedInput: the input is a layer's padded state (3 values in a whole vector).
        for (const bool paddedInput : {false, true}) {
            const int stride = paddedInput ? pairTestStride : 1;
            const auto gru = test::randomGru(rng, paddedInput ? pairTestInputs : 1, hidden);
            const std::vector<float> x0 = pairTestInput(rng, 200, paddedInput);
            const std::vector<float> x1 = pairTestInput(rng, 200, paddedInput);
            for (const auto& k : supportedKernels()) {
                const PackedGru packed(gru->weights(), k.vectorFloats(), k.gruTileRows(hidden));
                const auto hp = static_cast<std::size_t>(packed.paddedHidden);
                // Every instruction set's pair kernel is checked, chosen or not; where it is
                // chosen, it is this one. Off AVX-512 only the 8-float kernels choose it, at H8
                // and for weights past 48 KB (H64's are 48 KB; gruStepPairFor says why).
                const auto pair = k.pairKernel(hidden, paddedInput);
                const auto chosen = k.pairFor(hidden, paddedInput);
                EXPECT_TRUE(chosen == nullptr || chosen == pair)
                    << kernelIsaName(k.isa) << " H" << hidden;
                if (k.isa != KernelIsa::Avx512) {
                    const bool expected =
                        eightFloatKernels(k.isa) && (hidden == 8 || hidden == 72 || hidden >= 96);
                    EXPECT_EQ(chosen != nullptr, expected)
                        << kernelIsaName(k.isa) << " H" << hidden;
                }
                ASSERT_NE(pair, nullptr);
                ++pairsTested;
                const GruStepFn single = k.stepFor(hidden, paddedInput);
                // Where steps alternate their tile order, the chosen pair does too (every other
                // step).
                const auto reversed = k.pairReversedFor(hidden, paddedInput);
                if (reversed != nullptr) ++reversedPairsTested;
                std::vector<float> h0(hp, 0.0f), h1(h0), alone0(h0), alone1(h0),
                    s0(gruScratchPerPaddedHidden * hp), s1(s0), s2(s0);
                for (int t = 0; t < 200; ++t) {
                    const float* in0 = &x0[static_cast<std::size_t>(t * stride)];
                    const float* in1 = &x1[static_cast<std::size_t>(t * stride)];
                    (reversed != nullptr && t % 2 == 1 ? reversed : pair)(
                        packed, in0, in1, h0.data(), h1.data(), s0.data(), s1.data());
                    single(packed, in0, alone0.data(), s2.data());
                    single(packed, in1, alone1.data(), s2.data());
                    ASSERT_EQ(h0, alone0)
                        << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
                    ASSERT_EQ(h1, alone1)
                        << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
                }
            }
        }
    }
    // 14 sizes x 2 input kinds each
    EXPECT_EQ(pairsTested, 28 * static_cast<int>(supportedKernels().size()));
    // Where steps alternate and the pair is chosen, x 2 input kinds: AVX-512 at H64 and H60
    // (45-48 KB), each 8-float unit at H72.
    const KernelIsa best = activeKernelIsa();
    EXPECT_EQ(reversedPairsTested, (best == KernelIsa::Avx512 ? 4 : 0) + 2 * eightFloatUnits());
}

// The fused pair-and-head kernel exists exactly where a pair kernel is chosen with one vector
// per gate, and gives each channel the pair step's state and the dense kernel's output, bit for
// bit.
TEST(GruKernels, TheFusedHeadGivesThePairStepAndTheDenseKernelsNumbers) {
    int fusedTested = 0;
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    for (const auto& k : supportedKernels())
        for (const int hidden : {8, 12, 16, 24, 32})
            for (const bool paddedInput : {false, true}) {
                const auto fused = k.pairHeadFor(hidden, paddedInput);
                const bool expected = (k.isa == KernelIsa::Avx512 && hidden <= 16) ||
                                      (eightFloatKernels(k.isa) && hidden == 8);
                ASSERT_EQ(fused != nullptr, expected) << kernelIsaName(k.isa) << " H" << hidden;
                if (fused == nullptr) continue;
                ++fusedTested;
                const auto pair = k.pairFor(hidden, paddedInput);
                ASSERT_NE(pair, nullptr);
                const auto gru = test::randomGru(rng, paddedInput ? pairTestInputs : 1, hidden);
                const PackedGru packed(gru->weights(), k.vectorFloats(), k.gruTileRows(hidden));
                const auto hp = static_cast<std::size_t>(packed.paddedHidden);
                // the head's row padded to one vector, as DenseLayer packs it
                std::vector<float> row(static_cast<std::size_t>(packed.gateRows), 0.0f);
                for (int i = 0; i < hidden; ++i) row[static_cast<std::size_t>(i)] = signal(rng);
                const float bias = signal(rng);
                const std::vector<float> x0 = pairTestInput(rng, 100, paddedInput);
                const std::vector<float> x1 = pairTestInput(rng, 100, paddedInput);
                const int stride = paddedInput ? pairTestStride : 1;
                std::vector<float> h0(hp, 0.0f), h1(h0), alone0(h0), alone1(h0),
                    s0(gruScratchPerPaddedHidden * hp), s1(s0), s2(s0), s3(s0);
                for (int t = 0; t < 100; ++t) {
                    const float* in0 = &x0[static_cast<std::size_t>(t * stride)];
                    const float* in1 = &x1[static_cast<std::size_t>(t * stride)];
                    float y0 = 0.0f, y1 = 0.0f, expected0 = 0.0f, expected1 = 0.0f;
                    fused(packed, in0, in1, h0.data(), h1.data(), s0.data(), s1.data(), row.data(),
                          &bias, &y0, &y1);
                    pair(packed, in0, in1, alone0.data(), alone1.data(), s2.data(), s3.data());
                    k.denseRows(row.data(), &bias, 1, packed.gateRows, alone0.data(), &expected0);
                    k.denseRows(row.data(), &bias, 1, packed.gateRows, alone1.data(), &expected1);
                    ASSERT_EQ(h0, alone0)
                        << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
                    ASSERT_EQ(h1, alone1)
                        << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
                    ASSERT_EQ(y0, expected0) << kernelIsaName(k.isa) << " H" << hidden;
                    ASSERT_EQ(y1, expected1) << kernelIsaName(k.isa) << " H" << hidden;
                }
            }
    // AVX-512 at H8, H12 and H16, each 8-float unit at H8: x 2 input kinds
    const KernelIsa best = activeKernelIsa();
    EXPECT_EQ(fusedTested, (best == KernelIsa::Avx512 ? 6 : 0) + 2 * eightFloatUnits());
}

// The run kernels exist for the compiled sizes with one vector per gate (the pair's where the
// pair kernel is chosen), and the staggered pair's for AVX-512's H24-48 and AVX2's H12-16 (one
// tile of at most 9 or 6 vectors, more than one vector per gate); over runs of 1, 7, 0, 1, 41 and
// 50 frames (a run of one is processFrame's, which steps h in place) they give, each frame, the
// single step's state and the dense kernel's output, bit for bit; the state they leave between runs
// is the step's too.
TEST(GruKernels, RunsOfFramesGiveTheStepAndTheDenseKernelsNumbers) {
    int runsTested = 0, pairRunsTested = 0, staggeredTested = 0;
    std::mt19937 rng(6);
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    for (const auto& k : supportedKernels())
        for (const int hidden : {8, 12, 16, 24, 32, 40, 48, 64}) {
            const std::string label =
                std::string(kernelIsaName(k.isa)) + " H" + std::to_string(hidden);
            const auto run = k.runHeadFor(hidden);
            const auto pairRunOfPairKernel = k.runPairHeadFor(hidden);
            const auto staggeredRun = k.runPairStaggeredFor(hidden);
            const bool oneVectorPerGate = hidden <= k.vectorFloats();
            const bool staggered = (k.isa == KernelIsa::Avx512 && hidden >= 24 && hidden <= 48) ||
                                   (eightFloatKernels(k.isa) && (hidden == 12 || hidden == 16));
            ASSERT_EQ(run != nullptr, oneVectorPerGate) << label;
            ASSERT_EQ(pairRunOfPairKernel != nullptr,
                      oneVectorPerGate && k.pairFor(hidden, false) != nullptr)
                << label;
            ASSERT_EQ(staggeredRun != nullptr, staggered) << label;
            const auto pairRun = staggered ? staggeredRun : pairRunOfPairKernel;
            if (run == nullptr && pairRun == nullptr) continue;
            const auto gru = test::randomGru(rng, 1, hidden, weightScale(hidden));
            const PackedGru packed(gru->weights(), k.vectorFloats(), k.gruTileRows(hidden));
            const auto hp = static_cast<std::size_t>(packed.paddedHidden);
            std::vector<float> row(static_cast<std::size_t>(packed.gateRows), 0.0f);
            for (int i = 0; i < hidden; ++i) row[static_cast<std::size_t>(i)] = signal(rng);
            const float bias = signal(rng);
            constexpr int frames = 100;
            const std::vector<float> x0 = pairTestInput(rng, frames, false);
            const std::vector<float> x1 = pairTestInput(rng, frames, false);
            std::vector<float> h0(hp, 0.0f), h1(h0), p0(h0), p1(h0), alone0(h0), alone1(h0),
                s0(gruScratchPerPaddedHidden * hp), s1(s0), s2(s0), s3(s0), s4(s0);
            std::vector<float> y0(frames), y1(frames), pairY0(frames), pairY1(frames);
            const GruStepFn step = k.stepFor(hidden, false);
            int done = 0;
            for (const int length : {1, 7, 0, 1, 41, 50}) {
                if (run != nullptr)
                    run(packed, &x0[done], length, h0.data(), s0.data(), row.data(), &bias,
                        &y0[done]);
                if (pairRun != nullptr)
                    pairRun(packed, &x0[done], &x1[done], length, p0.data(), p1.data(), s1.data(),
                            s2.data(), row.data(), &bias, &pairY0[done], &pairY1[done]);
                for (int t = done; t < done + length; ++t) {
                    float expected0 = 0.0f, expected1 = 0.0f;
                    step(packed, &x0[static_cast<std::size_t>(t)], alone0.data(), s3.data());
                    step(packed, &x1[static_cast<std::size_t>(t)], alone1.data(), s4.data());
                    k.denseRows(row.data(), &bias, 1, packed.gateRows, alone0.data(), &expected0);
                    k.denseRows(row.data(), &bias, 1, packed.gateRows, alone1.data(), &expected1);
                    if (run != nullptr) {
                        ASSERT_EQ(y0[static_cast<std::size_t>(t)], expected0)
                            << label << " frame " << t;
                    }
                    if (pairRun == nullptr) continue;
                    ASSERT_EQ(pairY0[static_cast<std::size_t>(t)], expected0)
                        << label << " frame " << t;
                    ASSERT_EQ(pairY1[static_cast<std::size_t>(t)], expected1)
                        << label << " frame " << t;
                }
                done += length;
                if (run != nullptr) {
                    ASSERT_EQ(h0, alone0) << label << " after frame " << done;
                }
                if (pairRun == nullptr) continue;
                ASSERT_EQ(p0, alone0) << label << " after frame " << done;
                ASSERT_EQ(p1, alone1) << label << " after frame " << done;
            }
            ASSERT_EQ(done, frames);
            if (run != nullptr) ++runsTested;
            if (pairRun != nullptr) ++pairRunsTested;
            if (staggered) ++staggeredTested;
        }
    // AVX-512 at H8, H12 and H16, each 8-float unit at H8; the pair at each of them (its kernel
    // is chosen wherever a product has one vector per gate), and the staggered pair at
    // AVX-512's H24-48 and the 8-float units' H12-16
    const KernelIsa best = activeKernelIsa();
    EXPECT_EQ(runsTested, (best == KernelIsa::Avx512 ? 3 : 0) + eightFloatUnits());
    EXPECT_EQ(staggeredTested, (best == KernelIsa::Avx512 ? 4 : 0) + 2 * eightFloatUnits());
    EXPECT_EQ(pairRunsTested, runsTested + staggeredTested);
}

TEST(GruKernels, EveryInstructionSetFollowsTheTorchEquations) {
    std::mt19937 rng(8);
    std::uniform_real_distribution<float> signal(-3.0f, 3.0f);
    // 200: a run-time size of two tiles even on AVX-512 (3 x 208 rows, tiles of 384).
    for (const int hidden : {8, 40, 65, 200}) {
        const auto gru = test::randomGru(rng, 2, hidden, weightScale(hidden));
        std::vector<float> x(400);
        for (float& v : x) v = signal(rng);
        // Double-precision reference of the same equations.
        const GatedWeights& w = gru->weights();
        std::vector<double> h(static_cast<std::size_t>(hidden), 0.0), reference;
        for (int t = 0; t < 200; ++t) {
            std::vector<double> next(h.size());
            for (int j = 0; j < hidden; ++j) {
                auto gate = [&](int row) {
                    double in = w.biasIh(row), rec = w.biasHh(row);
                    for (int i = 0; i < 2; ++i)
                        in += w.weightIh(row, i) * x[static_cast<std::size_t>(2 * t + i)];
                    for (int i = 0; i < hidden; ++i)
                        rec += w.weightHh(row, i) * h[static_cast<std::size_t>(i)];
                    return std::pair{in, rec};
                };
                const auto [ir, hr] = gate(j);
                const auto [iz, hz] = gate(hidden + j);
                const auto [in, hn] = gate(2 * hidden + j);
                const double r = 1.0 / (1.0 + std::exp(-(ir + hr))),
                             z = 1.0 / (1.0 + std::exp(-(iz + hz)));
                const double n = std::tanh(in + r * hn);
                next[static_cast<std::size_t>(j)] = n + z * (h[static_cast<std::size_t>(j)] - n);
            }
            h = next;
            reference.insert(reference.end(), h.begin(), h.end());
        }
        for (const auto& k : supportedKernels()) {
            const PackedGru packed(gru->weights(), k.vectorFloats(), k.gruTileRows(hidden));
            const auto got = run(k.stepFor(hidden, false), packed, x, 200, packed.inputs);
            double worst = 0.0;
            for (int t = 0; t < 200; ++t)
                for (int j = 0; j < hidden; ++j)
                    worst = std::max(
                        worst, std::abs(got[static_cast<std::size_t>(t * packed.paddedHidden + j)] -
                                        reference[static_cast<std::size_t>(t * hidden + j)]));
            EXPECT_LT(worst, 2e-6) << kernelIsaName(k.isa) << " H" << hidden;
        }
    }
}

// Layers pack their weights for the kernel they select (gate blocks padded to its vector
// width, tile blocks of its height): a whole model built under each instruction set, an LSTM
// feeding a GRU feeding a dense head, gives the same outputs within rounding, and every
// state's padding lanes stay 0. The sizes take several tiles on SSE and AVX2 (LSTM 4 x 28
// rows, GRU 3 x 44, a run-time size) and leave padding lanes in both states.
TEST(GruKernels, AModelBuiltUnderEachInstructionSetGivesTheSameOutputs) {
    constexpr int frames = 300, hidden = 44, cells = 28;
    const int lstmStride = PackedGates::paddedSize(cells),
              gruStride = PackedGates::paddedSize(hidden);
    std::vector<float> x(2 * frames);
    std::mt19937 signalRng(22);
    std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
    for (float& v : x) v = signal(signalRng);
    std::vector<float> firstIsa;
    int built = 0;
    for (const auto& k : supportedKernels()) {
        const ScopedKernelOverrides only(k.isa, 512);  // no layer takes other kernels by its size
        std::mt19937 rng(21);                          // the same weights every time
        std::vector<std::unique_ptr<const RecurrentLayer>> stack;
        stack.push_back(std::make_unique<LstmLayer>(
            test::randomMatrix(rng, 4 * cells, 2), test::randomMatrix(rng, 4 * cells, cells),
            test::randomVector(rng, 4 * cells), test::randomVector(rng, 4 * cells)));
        stack.push_back(test::randomGru(rng, cells, hidden));
        ModelInfo info;
        info.inputNames = {"a", "b"};
        info.outputNames = {"y0", "y1", "y2"};
        const RecurrentModel model(std::move(stack),
                                   DenseLayer(test::randomMatrix(rng, 3, hidden),
                                              test::randomVector(rng, 3), Activation::None),
                                   0, info);
        EXPECT_EQ(static_cast<const LstmLayer&>(*model.layers()[0]).kernelIsa(), k.isa);
        EXPECT_EQ(static_cast<const GruLayer&>(*model.layers()[1]).kernelIsa(), k.isa);
        EXPECT_EQ(model.head().kernelIsa(), k.isa);
        EXPECT_EQ(kernelVectorFloats(k.isa), k.vectorFloats());
        EXPECT_EQ(kernelTileRows(k.isa), k.tileRows());
        ModelState state(model);
        std::vector<float> outputs(3 * frames);
        for (int t = 0; t < frames; ++t) {
            model.processFrame(&x[static_cast<std::size_t>(2 * t)],
                               &outputs[static_cast<std::size_t>(3 * t)], state);
            const float* lstm = state.layerState(0);  // h then c, lstmStride floats each
            const float* gru = state.layerState(1);
            for (int j = cells; j < lstmStride; ++j)
                ASSERT_EQ(lstm[j], 0.0f) << kernelIsaName(k.isa) << " LSTM h lane " << j;
            for (int j = lstmStride + cells; j < 2 * lstmStride; ++j)
                ASSERT_EQ(lstm[j], 0.0f) << kernelIsaName(k.isa) << " LSTM c lane " << j;
            for (int j = hidden; j < gruStride; ++j)
                ASSERT_EQ(gru[j], 0.0f) << kernelIsaName(k.isa) << " GRU lane " << j;
        }
        if (firstIsa.empty()) {
            firstIsa = outputs;
        } else {
            for (std::size_t i = 0; i < outputs.size(); ++i)
                ASSERT_NEAR(outputs[i], firstIsa[i], 1e-4) << kernelIsaName(k.isa);
        }
        ++built;
    }
    // at least two to compare, unless GS_KERNEL_ISA=generic leaves one
    EXPECT_GE(built, activeKernelIsa() > KernelIsa::Generic ? 2 : 1);
}

TEST(GruKernels, TheEnvironmentCanOnlyNarrowTheChoice) {
    const KernelIsa best = activeKernelIsa();
    overrideKernelIsaForTesting(KernelIsa::Generic);
    EXPECT_EQ(activeKernelIsa(), KernelIsa::Generic);
    overrideKernelIsaForTesting(KernelIsa::Avx512);
    EXPECT_LE(activeKernelIsa(), best);  // never above what the CPU has
    overrideKernelIsaForTesting(std::nullopt);
    EXPECT_EQ(activeKernelIsa(), best);
    EXPECT_EQ(kernelIsaFromName("avx2"), KernelIsa::Avx2);
    EXPECT_EQ(kernelIsaFromName("avx2-128"), KernelIsa::Avx2x128);
    EXPECT_EQ(kernelIsaFromName("avx512-256"), KernelIsa::Avx512x256);
    EXPECT_FALSE(kernelIsaFromName("neon").has_value());
}

}  // namespace
}  // namespace gs
