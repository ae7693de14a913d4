// The SIMD kernels (GRU and LSTM) against the torch equations, across instruction sets and
// sizes, and the documented error of their sigmoid and tanh.

#include "model/gru_layer.h"
#include "model/kernels/cpu_traits.h"
#include "model/kernels/gru_kernels.h"
#include "model/kernels/packed_gru.h"
#include "model/kernels/packed_lstm.h"
#include "model/lstm_layer.h"
#include "model/recurrent_model.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace gs {
namespace {

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
std::vector<IsaKernels> supportedKernels() {
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

TEST(FastMath, TanhAndSigmoidStayWithinTheirDocumentedError) {
    std::vector<float> x;
    for (double v = -30.0; v <= 30.0; v += 1.0 / 4096.0) x.push_back(static_cast<float>(v));
    x.push_back(std::numeric_limits<float>::max());
    x.push_back(-std::numeric_limits<float>::max());
    std::vector<float> y(x.size());
    for (const auto& k : supportedKernels()) {
        double tanhError = 0.0, sigmoidError = 0.0;
        k.tanhArray(x.data(), y.data(), static_cast<int>(x.size()));
        for (std::size_t i = 0; i < x.size(); ++i) tanhError = std::max(tanhError, std::abs(y[i] - std::tanh(double(x[i]))));
        k.sigmoidArray(x.data(), y.data(), static_cast<int>(x.size()));
        for (std::size_t i = 0; i < x.size(); ++i)
            sigmoidError = std::max(sigmoidError, std::abs(y[i] - 1.0 / (1.0 + std::exp(-double(x[i])))));
        std::printf("%-8s tanh max abs error %.3g, sigmoid %.3g\n", kernelIsaName(k.isa), tanhError, sigmoidError);
        EXPECT_LT(tanhError, 2.5e-7) << kernelIsaName(k.isa);
        EXPECT_LT(sigmoidError, 1.5e-7) << kernelIsaName(k.isa);
    }
}

// Runs a kernel for `steps` steps from zero; returns the whole state trajectory.
std::vector<float> run(GruStepFn step, const PackedGru& packed, const std::vector<float>& inputs, int steps) {
    std::vector<float> h(static_cast<std::size_t>(packed.paddedHidden), 0.0f), scratch(gruScratchPerPaddedHidden * h.size()), all;
    for (int t = 0; t < steps; ++t) {
        step(packed, inputs.data() + static_cast<std::ptrdiff_t>(t) * packed.inputs, h.data(), scratch.data());
        all.insert(all.end(), h.begin(), h.end());
    }
    return all;
}

TEST(GruKernels, CompileTimeSizesGiveTheSameNumbersAsTheRunTimeKernelOnEveryInstructionSet) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    for (const int hidden : {8, 12, 16, 24, 32, 40, 48, 64, 96, 128, 5, 33, 100}) {
        for (const int inputs : {1, 6}) {
            const auto gru = test::randomGru(rng, inputs, hidden);
            std::vector<float> x(static_cast<std::size_t>(300 * inputs));
            for (float& v : x) v = signal(rng);
            std::vector<float> previousIsa;
            for (const auto& k : supportedKernels()) {
                const PackedGru packed(gru->weights(), k.vectorFloats(), k.tileRows());
                const auto fixed = run(k.stepFor(hidden, false), packed, x, 300);
                EXPECT_EQ(fixed, run(k.dynamic(false), packed, x, 300)) << kernelIsaName(k.isa) << " H" << hidden;
                // The padding lanes stay exactly zero.
                for (std::size_t i = 0; i < fixed.size(); ++i) {
                    if (static_cast<int>(i % static_cast<std::size_t>(packed.paddedHidden)) >= hidden) {
                        ASSERT_EQ(fixed[i], 0.0f);
                    }
                }
                // Instruction sets differ only in how sums are split and rounded (300 steps of
                // H128 at gate-saturating inputs: 2e-5 apart at most, measured).
                if (!previousIsa.empty()) {
                    for (std::size_t i = 0; i < fixed.size(); ++i)
                        ASSERT_NEAR(fixed[i], previousIsa[i], 1e-4) << kernelIsaName(k.isa) << " H" << hidden;
                }
                previousIsa = fixed;
            }
        }
    }
}

TEST(GruKernels, ThePairKernelGivesEachChannelExactlyTheSingleKernelsNumbers) {
    int pairsTested = 0;
    std::mt19937 rng(4);
    std::uniform_real_distribution<float> signal(-4.0f, 4.0f);
    for (const int hidden : {8, 16, 24, 32, 40, 64, 96, 128, 33, 100}) {  // 100: the run-time-size pair
        // paddedInput: the input is a layer's padded state (3 values in a whole vector).
        for (const bool paddedInput : {false, true}) {
            const int inputs = paddedInput ? 3 : 1, stride = paddedInput ? 16 : 1;
            const auto gru = test::randomGru(rng, inputs, hidden);
            std::vector<float> x0(static_cast<std::size_t>(200 * stride), 0.0f), x1(x0);
            for (int t = 0; t < 200; ++t)
                for (int i = 0; i < inputs; ++i) {
                    x0[static_cast<std::size_t>(t * stride + i)] = signal(rng);
                    x1[static_cast<std::size_t>(t * stride + i)] = signal(rng);
                }
            for (const auto& k : supportedKernels()) {
                const PackedGru packed(gru->weights(), k.vectorFloats(), k.tileRows());
                const auto hp = static_cast<std::size_t>(packed.paddedHidden);
                // Every instruction set's pair kernel is checked, chosen or not; where it is
                // chosen, it is this one. Only AVX-512 chooses it (gruStepPairFor says why).
                const auto pair = k.pairKernel(hidden, paddedInput);
                const auto chosen = k.pairFor(hidden, paddedInput);
                EXPECT_TRUE(chosen == nullptr || chosen == pair) << kernelIsaName(k.isa) << " H" << hidden;
                if (k.isa != KernelIsa::Avx512) {
                    EXPECT_EQ(chosen, nullptr) << kernelIsaName(k.isa) << " H" << hidden;
                }
                ASSERT_NE(pair, nullptr);
                ++pairsTested;
                const GruStepFn single = k.stepFor(hidden, paddedInput);
                std::vector<float> h0(hp, 0.0f), h1(h0), alone0(h0), alone1(h0), s0(gruScratchPerPaddedHidden * hp), s1(s0),
                    s2(s0);
                for (int t = 0; t < 200; ++t) {
                    const float* in0 = &x0[static_cast<std::size_t>(t * stride)];
                    const float* in1 = &x1[static_cast<std::size_t>(t * stride)];
                    pair(packed, in0, in1, h0.data(), h1.data(), s0.data(), s1.data());
                    single(packed, in0, alone0.data(), s2.data());
                    single(packed, in1, alone1.data(), s2.data());
                    ASSERT_EQ(h0, alone0) << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
                    ASSERT_EQ(h1, alone1) << kernelIsaName(k.isa) << " H" << hidden << " step " << t;
                }
            }
        }
    }
    EXPECT_EQ(pairsTested, 20 * static_cast<int>(supportedKernels().size()));  // 10 sizes x 2 input kinds each
}

// Weights for comparing float kernels with double references over 200 steps: torch's initial
// scale 1/sqrt(H) for the large sizes. At 0.5 a 200-unit GRU is chaotic, and float and double
// part ways (1.8 apart after 200 steps, measured); an LSTM of 128 drifts to 7e-6.
float weightScale(int hidden) { return hidden > 100 ? 1.0f / std::sqrt(static_cast<float>(hidden)) : 0.5f; }

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
                    for (int i = 0; i < 2; ++i) in += w.weightIh(row, i) * x[static_cast<std::size_t>(2 * t + i)];
                    for (int i = 0; i < hidden; ++i) rec += w.weightHh(row, i) * h[static_cast<std::size_t>(i)];
                    return std::pair{in, rec};
                };
                const auto [ir, hr] = gate(j);
                const auto [iz, hz] = gate(hidden + j);
                const auto [in, hn] = gate(2 * hidden + j);
                const double r = 1.0 / (1.0 + std::exp(-(ir + hr))), z = 1.0 / (1.0 + std::exp(-(iz + hz)));
                const double n = std::tanh(in + r * hn);
                next[static_cast<std::size_t>(j)] = n + z * (h[static_cast<std::size_t>(j)] - n);
            }
            h = next;
            reference.insert(reference.end(), h.begin(), h.end());
        }
        for (const auto& k : supportedKernels()) {
            const PackedGru packed(gru->weights(), k.vectorFloats(), k.tileRows());
            const auto got = run(k.stepFor(hidden, false), packed, x, 200);
            double worst = 0.0;
            for (int t = 0; t < 200; ++t)
                for (int j = 0; j < hidden; ++j)
                    worst = std::max(worst, std::abs(got[static_cast<std::size_t>(t * packed.paddedHidden + j)] -
                                                     reference[static_cast<std::size_t>(t * hidden + j)]));
            EXPECT_LT(worst, 2e-6) << kernelIsaName(k.isa) << " H" << hidden;
        }
    }
}

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
                for (int i = 0; i < inputs; ++i) sum += w.weightIh(row, i) * x[static_cast<std::size_t>(t * inputs + i)];
                for (int i = 0; i < hidden; ++i) sum += w.weightHh(row, i) * h[static_cast<std::size_t>(i)];
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
    // 128: 4 x 128 rows, two tiles even on AVX-512 (tiles of 384).
    for (const int hidden : {8, 40, 65, 128}) {
        for (const int inputs : {1, 2}) {
            const float scale = weightScale(hidden);
            const LstmLayer lstm(test::randomMatrix(rng, 4 * hidden, inputs, scale), test::randomMatrix(rng, 4 * hidden, hidden, scale),
                                 test::randomVector(rng, 4 * hidden, scale), test::randomVector(rng, 4 * hidden, scale));
            std::vector<float> x(static_cast<std::size_t>(200 * inputs));
            for (float& v : x) v = signal(rng);
            const auto reference = lstmReference(lstm.weights(), x, 200);
            for (const auto& k : supportedKernels()) {
                const PackedLstm packed(lstm.weights(), k.vectorFloats(), k.tileRows());
                const int hp = packed.paddedHidden;
                for (const bool paddedInput : {false, true}) {
                    std::vector<float> state(static_cast<std::size_t>(2 * hp), 0.0f),
                        scratch(static_cast<std::size_t>(lstmScratchPerPaddedHidden * hp));
                    std::vector<float> frame(16, 0.0f);  // a padded input: whole vectors, zeros past `inputs`
                    double worst = 0.0;
                    for (int t = 0; t < 200; ++t) {
                        std::copy_n(x.begin() + t * inputs, inputs, frame.begin());
                        k.lstmFor(paddedInput)(packed, frame.data(), state.data(), scratch.data());
                        for (int j = 0; j < hp; ++j) {
                            const float value = state[static_cast<std::size_t>(j)];
                            if (j >= hidden) ASSERT_EQ(value, 0.0f) << "padding lane " << j;
                            else worst = std::max(worst, std::abs(value - reference[static_cast<std::size_t>(t * hidden + j)]));
                        }
                        for (int j = hidden; j < hp; ++j) ASSERT_EQ(state[static_cast<std::size_t>(hp + j)], 0.0f);
                    }
                    EXPECT_LT(worst, 2e-6) << kernelIsaName(k.isa) << " H" << hidden << " inputs " << inputs
                                           << (paddedInput ? " padded" : "");
                    ++checked;
                }
            }
        }
    }
    EXPECT_GE(checked, 16);
}

TEST(PackedGates, EachGateBlockIsPaddedToTheKernelsVectorOnlyAndTheStateTo16) {
    std::mt19937 rng(12);
    const auto gru = test::randomGru(rng, 2, 8);
    struct Case { int align, gateRows; };
    for (const Case c : {Case{4, 8}, Case{8, 8}, Case{16, 16}}) {
        const PackedGru packed(gru->weights(), c.align, 12 * c.align);  // one tile
        EXPECT_EQ(packed.gateRows, c.gateRows) << "alignment " << c.align;
        EXPECT_EQ(packed.rows, 3 * c.gateRows);
        EXPECT_EQ(packed.paddedHidden, 16);  // the state layout does not depend on the kernel
        // z's first weight sits right after r's block: torch row H (z, unit 0), column 0,
        // scaled by -log2(e).
        EXPECT_FLOAT_EQ(packed.weightHh[static_cast<std::size_t>(c.gateRows)],
                        static_cast<float>(gru->weights().weightHh(8, 0) * -1.4426950408889634));
        for (int row = 8; row < c.gateRows; ++row) EXPECT_EQ(packed.weightHh[static_cast<std::size_t>(row)], 0.0f);
    }
    const auto odd = test::randomGru(rng, 1, 5);
    EXPECT_EQ(PackedGru(odd->weights(), 4, 48).gateRows, 8);
    EXPECT_EQ(PackedGru(odd->weights(), 8, 96).gateRows, 8);
    const LstmLayer lstm(test::randomMatrix(rng, 20, 1), test::randomMatrix(rng, 20, 5), test::randomVector(rng, 20),
                         test::randomVector(rng, 20));
    EXPECT_EQ(PackedLstm(lstm.weights(), 4, 48).rows, 4 * 8);  // four gate blocks of 5 rounded up to 8
    EXPECT_THROW(PackedGru(gru->weights(), 3, 48), std::invalid_argument);  // must divide the state's 16
    EXPECT_THROW(PackedGru(gru->weights(), 32, 64), std::invalid_argument);
    const KernelIsa active = activeKernelIsa();
    EXPECT_EQ(kernelVectorFloats(active), active == KernelIsa::Avx512 ? 16 : active == KernelIsa::Avx2 ? 8 : 4);
}

// Rows cut into tiles, each tile's rows column by column: H40 at AVX2's gate alignment (3
// blocks of 40 rows) with tiles of 48 rows gives blocks of 48, 48 and 24 rows.
TEST(PackedGates, EachTilesRowsAreStoredColumnByColumnInOneBlock) {
    std::mt19937 rng(13);
    constexpr int hidden = 40, inputs = 3;
    const auto gru = test::randomGru(rng, inputs, hidden);
    const PackedGru packed(gru->weights(), 8, 48);
    ASSERT_EQ(packed.rows, 120);
    EXPECT_EQ(packed.tileRows, 48);
    // n's unit 20 (packed row 100, torch row 100) in the last block (rows 96..119, 24 high):
    // column 7 sits at 96 x 40 + 7 x 24 + 4.
    EXPECT_EQ(packed.indexOf(100, 7, hidden), static_cast<std::size_t>(96 * 40 + 7 * 24 + 4));
    EXPECT_FLOAT_EQ(packed.weightHh[96 * 40 + 7 * 24 + 4],
                    static_cast<float>(gru->weights().weightHh(100, 7) * 2.0 * 1.4426950408889634));
    // z's unit 10 (packed row 50) in the second block, input column 2: 48 x 3 + 2 x 48 + 2.
    EXPECT_FLOAT_EQ(packed.weightIh[48 * 3 + 2 * 48 + 2],
                    static_cast<float>(gru->weights().weightIh(50, 2) * -1.4426950408889634));
    // Every (row, column) has a place of its own, and together they fill the matrix.
    std::vector<int> used(static_cast<std::size_t>(packed.rows * hidden), 0);
    for (int row = 0; row < packed.rows; ++row)
        for (int column = 0; column < hidden; ++column) ++used.at(packed.indexOf(row, column, hidden));
    EXPECT_TRUE(std::all_of(used.begin(), used.end(), [](int n) { return n == 1; }));
    // A tile must hold whole vectors.
    EXPECT_THROW(PackedGru(gru->weights(), 8, 20), std::invalid_argument);
    EXPECT_THROW(PackedGru(gru->weights(), 8, 0), std::invalid_argument);
    EXPECT_EQ(kernelTileRows(activeKernelIsa()) % kernelVectorFloats(activeKernelIsa()), 0);
}

// Layers pack their weights for the kernel they select (gate blocks padded to its vector
// width, tile blocks of its height): a whole model built under each instruction set, an LSTM
// feeding a GRU feeding a dense head, gives the same outputs within rounding, and every
// state's padding lanes stay 0. The sizes take several tiles on SSE and AVX2 (LSTM 4 x 28
// rows, GRU 3 x 44, a run-time size) and leave padding lanes in both states.
TEST(GruKernels, AModelBuiltUnderEachInstructionSetGivesTheSameOutputs) {
    constexpr int frames = 300, hidden = 44, cells = 28;
    const int lstmStride = PackedGates::paddedSize(cells), gruStride = PackedGates::paddedSize(hidden);
    std::vector<float> x(2 * frames);
    std::mt19937 signalRng(22);
    std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
    for (float& v : x) v = signal(signalRng);
    std::vector<float> firstIsa;
    int built = 0;
    for (const auto& k : supportedKernels()) {
        const ScopedKernelOverrides only(k.isa, false);  // no layer takes other kernels by its size
        std::mt19937 rng(21);  // the same weights every time
        std::vector<std::unique_ptr<const RecurrentLayer>> stack;
        stack.push_back(std::make_unique<LstmLayer>(test::randomMatrix(rng, 4 * cells, 2), test::randomMatrix(rng, 4 * cells, cells),
                                                    test::randomVector(rng, 4 * cells), test::randomVector(rng, 4 * cells)));
        stack.push_back(test::randomGru(rng, cells, hidden));
        ModelInfo info;
        info.inputNames = {"a", "b"};
        info.outputNames = {"y0", "y1", "y2"};
        const RecurrentModel model(std::move(stack), DenseLayer(test::randomMatrix(rng, 3, hidden), test::randomVector(rng, 3), Activation::None),
                                   0, info);
        EXPECT_EQ(static_cast<const LstmLayer&>(*model.layers()[0]).kernelIsa(), k.isa);
        EXPECT_EQ(static_cast<const GruLayer&>(*model.layers()[1]).kernelIsa(), k.isa);
        EXPECT_EQ(model.head().kernelIsa(), k.isa);
        EXPECT_EQ(kernelVectorFloats(k.isa), k.vectorFloats());
        EXPECT_EQ(kernelTileRows(k.isa), k.tileRows());
        ModelState state(model);
        std::vector<float> outputs(3 * frames);
        for (int t = 0; t < frames; ++t) {
            model.processFrame(&x[static_cast<std::size_t>(2 * t)], &outputs[static_cast<std::size_t>(3 * t)], state);
            const float* lstm = state.layerState(0);  // h then c, lstmStride floats each
            const float* gru = state.layerState(1);
            for (int j = cells; j < lstmStride; ++j) ASSERT_EQ(lstm[j], 0.0f) << kernelIsaName(k.isa) << " LSTM h lane " << j;
            for (int j = lstmStride + cells; j < 2 * lstmStride; ++j)
                ASSERT_EQ(lstm[j], 0.0f) << kernelIsaName(k.isa) << " LSTM c lane " << j;
            for (int j = hidden; j < gruStride; ++j) ASSERT_EQ(gru[j], 0.0f) << kernelIsaName(k.isa) << " GRU lane " << j;
        }
        if (firstIsa.empty()) {
            firstIsa = outputs;
        } else {
            for (std::size_t i = 0; i < outputs.size(); ++i) ASSERT_NEAR(outputs[i], firstIsa[i], 1e-4) << kernelIsaName(k.isa);
        }
        ++built;
    }
    EXPECT_GE(built, 2);
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
    EXPECT_FALSE(kernelIsaFromName("neon").has_value());
}

// AVX2's 128-bit kernels only where the CPU splits 256-bit operations and 4-float gate
// blocks pad less than 8-float ones.
TEST(KernelChoice, GatedLayersTake128BitKernelsOnlyWhereTheyPadLessOnASplittingCpu) {
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2, true, 12), KernelIsa::Avx2x128);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2, true, 20), KernelIsa::Avx2x128);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2, true, 1), KernelIsa::Avx2x128);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2, true, 14), KernelIsa::Avx2);  // both pad to 16
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2, true, 16), KernelIsa::Avx2);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2, true, 40), KernelIsa::Avx2);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2, false, 12), KernelIsa::Avx2);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx512, true, 12), KernelIsa::Avx512);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Sse42, true, 12), KernelIsa::Sse42);
    EXPECT_EQ(kernelIsaForSize(KernelIsa::Avx2x128, false, 16), KernelIsa::Avx2x128);
}

// On a CPU that splits 256-bit operations, an H12 GRU and LSTM run AVX2's 128-bit kernels
// while an H40 GRU and its dense head stay on 8-float vectors: the layers share the state
// layout (Hp = 16 per state), so the stacked model gives the generic kernels' outputs
// within rounding, and the padding lanes stay 0.
TEST(KernelChoice, LayersOnDifferentVectorWidthsShareOneModel) {
    if (activeKernelIsa() < KernelIsa::Avx2) GTEST_SKIP() << "needs AVX2";
    auto build = [] {
        std::mt19937 rng(31);
        std::vector<std::unique_ptr<const RecurrentLayer>> stack;
        stack.push_back(std::make_unique<LstmLayer>(test::randomMatrix(rng, 48, 2), test::randomMatrix(rng, 48, 12),
                                                    test::randomVector(rng, 48), test::randomVector(rng, 48)));
        stack.push_back(test::randomGru(rng, 12, 12));
        stack.push_back(test::randomGru(rng, 12, 40));
        ModelInfo info;
        info.inputNames = {"a", "b"};
        info.outputNames = {"y"};
        return std::make_unique<RecurrentModel>(std::move(stack), DenseLayer(test::randomMatrix(rng, 1, 40), test::randomVector(rng, 1), Activation::None), 0, info);
    };
    auto run = [](const RecurrentModel& model) {
        std::mt19937 signalRng(32);
        std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
        ModelState state(model);
        std::vector<float> outputs(300);
        for (float& y : outputs) {
            const float x[2] = {signal(signalRng), signal(signalRng)};
            model.processFrame(x, &y, state);
            for (int layer = 0; layer < 3; ++layer) {
                const int hidden = layer == 2 ? 40 : 12;
                const float* s = state.layerState(static_cast<std::size_t>(layer));
                for (int j = hidden; j < PackedGates::paddedSize(hidden); ++j)
                    EXPECT_EQ(s[j], 0.0f) << "layer " << layer << " lane " << j;
            }
        }
        return outputs;
    };
    auto buildWith = [&build](KernelIsa isa, bool splitsWide) {
        const ScopedKernelOverrides overrides(isa, splitsWide);
        return build();
    };
    const auto mixed = buildWith(KernelIsa::Avx2, true);
    const auto wide = buildWith(KernelIsa::Avx2, false);
    const auto generic = buildWith(KernelIsa::Generic, false);

    const auto& mixedLayers = mixed->layers();
    EXPECT_EQ(static_cast<const LstmLayer&>(*mixedLayers[0]).kernelIsa(), KernelIsa::Avx2x128);
    EXPECT_EQ(static_cast<const GruLayer&>(*mixedLayers[1]).kernelIsa(), KernelIsa::Avx2x128);
    EXPECT_EQ(static_cast<const GruLayer&>(*mixedLayers[2]).kernelIsa(), KernelIsa::Avx2);
    EXPECT_EQ(mixed->head().kernelIsa(), KernelIsa::Avx2);
    EXPECT_EQ(static_cast<const GruLayer&>(*wide->layers()[1]).kernelIsa(), KernelIsa::Avx2);

    const auto reference = run(*generic), fromMixed = run(*mixed), fromWide = run(*wide);
    for (std::size_t i = 0; i < reference.size(); ++i) {
        ASSERT_NEAR(fromMixed[i], reference[i], 1e-4) << "frame " << i;
        ASSERT_NEAR(fromWide[i], reference[i], 1e-4) << "frame " << i;
    }
}

// A dense head over 12 inputs follows the same rule: three 4-float vectors on a splitting
// CPU instead of two 8-float ones, the same numbers within rounding.
TEST(KernelChoice, ADenseHeadOverTwelveInputsReadsThreeNarrowVectorsOnASplittingCpu) {
    if (activeKernelIsa() < KernelIsa::Avx2) GTEST_SKIP() << "needs AVX2";
    std::mt19937 rng(33);
    const Eigen::MatrixXf weight = test::randomMatrix(rng, 3, 12);
    const Eigen::VectorXf bias = test::randomVector(rng, 3);
    auto buildWith = [&](bool splitsWide) {
        const ScopedKernelOverrides overrides(KernelIsa::Avx2, splitsWide);
        return DenseLayer(weight, bias, Activation::None);
    };
    const DenseLayer narrow = buildWith(true);
    const DenseLayer wide = buildWith(false);
    EXPECT_EQ(narrow.kernelIsa(), KernelIsa::Avx2x128);
    EXPECT_EQ(narrow.paddedInputSize(), 12);
    EXPECT_EQ(wide.kernelIsa(), KernelIsa::Avx2);
    EXPECT_EQ(wide.paddedInputSize(), 16);
    std::vector<float> state(16, 0.0f);  // a padded state: lanes past 12 are 0
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    for (int i = 0; i < 12; ++i) state[static_cast<std::size_t>(i)] = value(rng);
    float exact[3], fromNarrow[3], fromWide[3];
    narrow.apply(state.data(), exact);
    narrow.applyPadded(state.data(), fromNarrow);
    wide.applyPadded(state.data(), fromWide);
    for (int o = 0; o < 3; ++o) {
        EXPECT_NEAR(fromNarrow[o], exact[o], 1e-5) << o;
        EXPECT_NEAR(fromWide[o], exact[o], 1e-5) << o;
    }
}

} // namespace
} // namespace gs
