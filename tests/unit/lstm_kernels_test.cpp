// The LSTM kernels against torch.nn.LSTM's equations, on every instruction set this CPU runs,
// and compiled sizes against the run-time kernel.

#include "isa_kernels.h"
#include "model/kernels/cpu_traits.h"
#include "model/kernels/packed_lstm.h"
#include "model/lstm_layer.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace gs {
namespace {

using test::eightFloatKernels;
using test::supportedKernels;
using test::weightScale;

// torch.nn.LSTM's equations in double precision: h (H values) after each of `steps` steps.
std::vector<double> lstmReference(const GatedWeights& w, const std::vector<float>& x, int steps) {
    const int hidden = w.hiddenSize(), inputs = w.inputSize();
    std::vector<double> h(static_cast<std::size_t>(hidden), 0.0), c(h), all;
    for (int t = 0; t < steps; ++t) {
        std::vector<double> next(h.size());
        for (int j = 0; j < hidden; ++j) {
            auto gate = [&](int block) {
                const int row = block * hidden + j;
                double sum = double(w.biasIh(row)) + double(w.biasHh(row));
                for (int i = 0; i < inputs; ++i)
                    sum += w.weightIh(row, i) * x[static_cast<std::size_t>(t * inputs + i)];
                for (int i = 0; i < hidden; ++i)
                    sum += w.weightHh(row, i) * h[static_cast<std::size_t>(i)];
                return sum;
            };
            auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
            const auto k = static_cast<std::size_t>(j);
            c[k] = sigmoid(gate(1)) * c[k] + sigmoid(gate(0)) * std::tanh(gate(2));
            next[k] = sigmoid(gate(3)) * std::tanh(c[k]);
        }
        h = next;
        all.insert(all.end(), h.begin(), h.end());
    }
    return all;
}

TEST(LstmKernels, EveryInstructionSetFollowsTheTorchEquations) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> signal(-3.0f, 3.0f);
    int checked = 0;
    double worstOfAll = 0.0;
    // 128: 4 x 128 rows, two tiles even on AVX-512 (tiles of 384).
    for (const int hidden : {8, 40, 65, 128}) {
        for (const int inputs : {1, 2}) {
            const float scale = weightScale(hidden);
            const LstmLayer lstm(test::randomMatrix(rng, 4 * hidden, inputs, scale),
                                 test::randomMatrix(rng, 4 * hidden, hidden, scale),
                                 test::randomVector(rng, 4 * hidden, scale),
                                 test::randomVector(rng, 4 * hidden, scale));
            std::vector<float> x(static_cast<std::size_t>(200 * inputs));
            for (float& v : x) v = signal(rng);
            const auto reference = lstmReference(lstm.weights(), x, 200);
            for (const auto& k : supportedKernels()) {
                const PackedLstm packed(lstm.weights(), k.vectorFloats(), k.tileRows());
                const int hp = packed.paddedHidden;
                for (const bool paddedInput : {false, true}) {
                    std::vector<float> state(static_cast<std::size_t>(2 * hp), 0.0f),
                        scratch(static_cast<std::size_t>(lstmScratchPerPaddedHidden * hp));
                    // a padded input: whole vectors, zeros past `inputs`
                    std::vector<float> frame(16, 0.0f);
                    double worst = 0.0;
                    for (int t = 0; t < 200; ++t) {
                        std::copy_n(x.begin() + t * inputs, inputs, frame.begin());
                        k.lstmFor(hidden, paddedInput)(packed, frame.data(), state.data(),
                                                       scratch.data());
                        for (int j = 0; j < hp; ++j) {
                            const float value = state[static_cast<std::size_t>(j)];
                            if (j >= hidden)
                                ASSERT_EQ(value, 0.0f) << "padding lane " << j;
                            else
                                worst = std::max(
                                    worst,
                                    std::abs(value -
                                             reference[static_cast<std::size_t>(t * hidden + j)]));
                        }
                        for (int j = hidden; j < hp; ++j)
                            ASSERT_EQ(state[static_cast<std::size_t>(hp + j)], 0.0f);
                    }
                    worstOfAll = std::max(worstOfAll, worst);
                    EXPECT_LT(worst, 2e-6) << kernelIsaName(k.isa) << " H" << hidden << " inputs "
                                           << inputs << (paddedInput ? " padded" : "");
                    ++checked;
                }
            }
        }
    }
    EXPECT_GE(checked, 16);
    std::printf("largest difference from torch's equations in double: %.3g\n", worstOfAll);
}

// Runs an LSTM kernel for `steps` steps from zero; returns the whole state (h then c) after
// each. Frame t of the input starts at t x stride.
std::vector<float> runLstm(LstmStepFn step, const PackedLstm& packed,
                           const std::vector<float>& inputs, int steps, int stride) {
    const auto hp = static_cast<std::size_t>(packed.paddedHidden);
    std::vector<float> state(2 * hp, 0.0f), scratch(lstmScratchPerPaddedHidden * hp), all;
    for (int t = 0; t < steps; ++t) {
        step(packed, inputs.data() + static_cast<std::ptrdiff_t>(t) * stride, state.data(),
             scratch.data());
        all.insert(all.end(), state.begin(), state.end());
    }
    return all;
}

TEST(LstmKernels, CompileTimeSizesGiveTheSameNumbersAsTheRunTimeKernelOnEveryInstructionSet) {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    struct Input {
        int count;
        bool padded;  // another layer's padded state (frames of paddedSize(count) floats)
    };
    int compared = 0;
    const std::vector<int> compiledSizes{8, 12, 16, 24, 32, 40, 48, 64, 96, 128};
    for (const int hidden : {8, 12, 16, 24, 32, 40, 48, 64, 96, 128, 5, 33, 100}) {
        const bool compiled = std::count(compiledSizes.begin(), compiledSizes.end(), hidden) == 1;
        for (const Input input :
             {Input{1, false}, Input{1, true}, Input{6, false}, Input{6, true}}) {
            const int stride = input.padded ? PackedGates::paddedSize(input.count) : input.count;
            const float scale = weightScale(hidden);
            const LstmLayer lstm(test::randomMatrix(rng, 4 * hidden, input.count, scale),
                                 test::randomMatrix(rng, 4 * hidden, hidden, scale),
                                 test::randomVector(rng, 4 * hidden, scale),
                                 test::randomVector(rng, 4 * hidden, scale));
            std::vector<float> x(static_cast<std::size_t>(200 * stride), 0.0f);
            for (std::size_t i = 0; i < x.size(); ++i)
                if (static_cast<int>(i % static_cast<std::size_t>(stride)) < input.count)
                    x[i] = signal(rng);
            for (const auto& k : supportedKernels()) {
                // A listed size has its own kernel; any other takes the run-time one.
                EXPECT_EQ(k.lstmFor(hidden, input.padded) != k.lstmDynamic(input.padded), compiled)
                    << hidden;
                const PackedLstm packed(lstm.weights(), k.vectorFloats(), k.tileRows());
                const auto fixed = runLstm(k.lstmFor(hidden, input.padded), packed, x, 200, stride);
                EXPECT_EQ(fixed, runLstm(k.lstmDynamic(input.padded), packed, x, 200, stride))
                    << kernelIsaName(k.isa) << " H" << hidden << " inputs " << input.count
                    << (input.padded ? " padded" : "");
                ++compared;
            }
        }
    }
    EXPECT_GE(compared, 52);  // 13 sizes x 4 inputs, generic kernels at least
}

// Two channels through the pair kernel: each gets what the single-step kernel gives it, bit
// for bit, at compiled and run-time sizes, one tile and several (one pass or several), one
// input and six, padded or not.
TEST(LstmKernels, ThePairGivesEachChannelTheSingleStepsNumbersOnEveryInstructionSet) {
    std::mt19937 rng(17);
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    int compared = 0;
    for (const int hidden : {8, 12, 16, 24, 32, 40, 48, 64, 96, 128, 5, 33, 100}) {
        for (const int inputs : {1, 6}) {
            for (const bool padded : {false, true}) {
                const int stride = padded ? PackedGates::paddedSize(inputs) : inputs;
                const float scale = weightScale(hidden);
                const LstmLayer lstm(test::randomMatrix(rng, 4 * hidden, inputs, scale),
                                     test::randomMatrix(rng, 4 * hidden, hidden, scale),
                                     test::randomVector(rng, 4 * hidden, scale),
                                     test::randomVector(rng, 4 * hidden, scale));
                std::vector<float> x0(static_cast<std::size_t>(60 * stride), 0.0f), x1(x0);
                for (std::size_t i = 0; i < x0.size(); ++i) {
                    if (static_cast<int>(i % static_cast<std::size_t>(stride)) >= inputs) continue;
                    x0[i] = signal(rng);
                    x1[i] = signal(rng);
                }
                for (const auto& k : supportedKernels()) {
                    const PackedLstm packed(lstm.weights(), k.vectorFloats(), k.tileRows());
                    const auto hp = static_cast<std::size_t>(packed.paddedHidden);
                    const LstmStepFn single = k.lstmFor(hidden, padded);
                    const auto expected0 = runLstm(single, packed, x0, 60, stride);
                    const auto expected1 = runLstm(single, packed, x1, 60, stride);
                    std::vector<float> state0(2 * hp, 0.0f), state1(state0),
                        scratch0(lstmScratchPerPaddedHidden * hp), scratch1(scratch0), all0, all1;
                    const LstmStepPairFn pair = k.lstmPairKernel(hidden, padded);
                    for (int t = 0; t < 60; ++t) {
                        const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(t) * stride;
                        pair(packed, x0.data() + at, x1.data() + at, state0.data(), state1.data(),
                             scratch0.data(), scratch1.data());
                        all0.insert(all0.end(), state0.begin(), state0.end());
                        all1.insert(all1.end(), state1.begin(), state1.end());
                    }
                    const std::string label = std::string(kernelIsaName(k.isa)) + " H" +
                                              std::to_string(hidden) + " inputs " +
                                              std::to_string(inputs) + (padded ? " padded" : "");
                    EXPECT_EQ(all0, expected0) << label;
                    EXPECT_EQ(all1, expected1) << label;
                    EXPECT_NE(expected0, expected1) << label;  // the channels differ
                    ++compared;
                }
            }
        }
    }
    EXPECT_GE(compared, 52);  // 13 sizes x 4 inputs, generic kernels at least
}

// Where lstmStepPairFor takes the pair: each gate one vector, or recurrent weights past 48 KB
// (4 x gate rows x H floats), on 8- and 16-float vectors; two single steps elsewhere.
TEST(LstmKernels, ThePairIsChosenWithOneVectorPerGateAndForWeightsPastL1) {
    const std::vector<int> sizes{8, 12, 16, 24, 32, 40, 48, 49, 54, 55, 64, 96, 100, 128};
    const std::vector<int> avx2{8, 55, 64, 96, 100, 128};  // 8 lanes: H55's 49280 bytes
    const std::vector<int> avx512{8, 12, 16, 49, 54, 55, 64, 96, 100, 128};  // H49: 50176
    for (const auto& k : supportedKernels()) {
        const std::vector<int> none;
        const std::vector<int>& chosen = k.isa == KernelIsa::Avx512 ? avx512
                                         : eightFloatKernels(k.isa) ? avx2
                                                                    : none;
        for (const int hidden : sizes) {
            const bool expected = std::count(chosen.begin(), chosen.end(), hidden) == 1;
            for (const bool padded : {false, true}) {
                const LstmStepPairFn pair = k.lstmPairFor(hidden, padded);
                EXPECT_EQ(pair != nullptr, expected) << kernelIsaName(k.isa) << " H" << hidden;
                if (pair != nullptr) {
                    EXPECT_EQ(pair, k.lstmPairKernel(hidden, padded));
                }
            }
        }
    }
}

LstmLayer randomLstm(std::mt19937& rng, int hidden) {
    return {test::randomMatrix(rng, 4 * hidden, 1), test::randomMatrix(rng, 4 * hidden, hidden),
            test::randomVector(rng, 4 * hidden), test::randomVector(rng, 4 * hidden)};
}

// A layer asks for the pair of the instruction set its steps run on (kernelIsaForSize), on
// pretend CPUs where that differs from the best one: AVX2 split in 128-bit halves (a Zen 1)
// runs H4 on 4-float vectors, which have no pair, where AVX2's would take one; AVX-512 split
// in halves (a Zen 4) runs H50 on AVX2 (44 KB of weights: no pair) where AVX-512 pads it to
// 64 rows per gate (50 KB: a pair).
TEST(LstmKernels, ALayerTakesThePairOfTheInstructionSetItRunsOn) {
    std::mt19937 rng(3);
    if (activeKernelIsa() >= KernelIsa::Avx2) {
        const test::ScopedKernelOverrides zen1(KernelIsa::Avx2, 128);
        const LstmLayer h4 = randomLstm(rng, 4), h8 = randomLstm(rng, 8);
        EXPECT_EQ(h4.kernelIsa(), KernelIsa::Avx2x128);
        EXPECT_FALSE(h4.stepsPairsTogether());
        EXPECT_NE(selectLstmStepPair(KernelIsa::Avx2, 4, false, 128), nullptr);
        EXPECT_EQ(h8.kernelIsa(), KernelIsa::Avx2);
        EXPECT_TRUE(h8.stepsPairsTogether());
        // and AVX2's pair for weights past L1 needs 256-bit operations run whole
        EXPECT_FALSE(randomLstm(rng, 64).stepsPairsTogether());
        EXPECT_NE(selectLstmStepPair(KernelIsa::Avx2, 64, false, 256), nullptr);
        EXPECT_EQ(selectLstmStepPair(KernelIsa::Avx2, 128, true, 128), nullptr);
    }
    if (activeKernelIsa() >= KernelIsa::Avx512) {
        const test::ScopedKernelOverrides zen4(KernelIsa::Avx512, 256);
        const LstmLayer h50 = randomLstm(rng, 50), h64 = randomLstm(rng, 64);
        EXPECT_EQ(h50.kernelIsa(), KernelIsa::Avx2);
        EXPECT_FALSE(h50.stepsPairsTogether());
        EXPECT_NE(selectLstmStepPair(KernelIsa::Avx512, 50, false, 256), nullptr);
        EXPECT_EQ(h64.kernelIsa(), KernelIsa::Avx512);
        EXPECT_TRUE(h64.stepsPairsTogether());  // AVX-512's pair stays where it is split
    }
    if (activeKernelIsa() < KernelIsa::Avx2) GTEST_SKIP() << "needs AVX2";
}

}  // namespace
}  // namespace gs
