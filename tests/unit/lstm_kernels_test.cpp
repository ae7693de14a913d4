// The LSTM kernels against torch.nn.LSTM's equations, on every instruction set this CPU runs,
// and compiled sizes against the run-time kernel.

#include "isa_kernels.h"
#include "model/kernels/packed_lstm.h"
#include "model/lstm_layer.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace gs {
namespace {

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

}  // namespace
}  // namespace gs
