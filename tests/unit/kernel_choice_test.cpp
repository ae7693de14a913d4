// Which kernels a layer takes on a CPU that runs its widest vectors as two halves, and for
// sizes up to 8 on every AVX-512 CPU, and that layers on different vector widths still form one
// model.

#include "isa_kernels.h"
#include "model/dense_layer.h"
#include "model/gru_layer.h"
#include "model/lstm_layer.h"
#include "model/recurrent_model.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gs {
namespace {

using test::ScopedKernelOverrides;

// LSTM(inputs -> narrow), GRU(narrow -> narrow), GRU(narrow -> wide), dense(wide -> 1): the
// layers of one model whose sizes may take kernels of different widths. Built under the
// current overrides, so each layer takes the kernels they make it choose.
std::unique_ptr<RecurrentModel> mixedWidthStack(unsigned seed, int inputs, int narrow, int wide) {
    std::mt19937 rng(seed);
    std::vector<std::unique_ptr<const RecurrentLayer>> stack;
    stack.push_back(std::make_unique<LstmLayer>(
        test::randomMatrix(rng, 4 * narrow, inputs), test::randomMatrix(rng, 4 * narrow, narrow),
        test::randomVector(rng, 4 * narrow), test::randomVector(rng, 4 * narrow)));
    stack.push_back(test::randomGru(rng, narrow, narrow));
    stack.push_back(test::randomGru(rng, narrow, wide));
    ModelInfo info;
    for (int i = 0; i < inputs; ++i) info.inputNames.push_back(std::to_string(i));
    info.outputNames = {"y"};
    DenseLayer head(test::randomMatrix(rng, 1, wide), test::randomVector(rng, 1), Activation::None);
    return std::make_unique<RecurrentModel>(std::move(stack), std::move(head), 0, info);
}

// Outputs of the same model on other kernels: equal to the reference within rounding.
void expectWithinRounding(const std::vector<float>& reference, const std::vector<float>& outputs,
                          const char* kernels) {
    ASSERT_EQ(outputs.size(), reference.size());
    for (std::size_t i = 0; i < reference.size(); ++i)
        ASSERT_NEAR(outputs[i], reference[i], 1e-4) << kernels << ", frame " << i;
}

// Half-width kernels where the CPU runs the active width as two halves and half-width gate
// blocks pad less: AVX2's 128-bit kernels on a Zen 1 (native 128 bits), AVX2's 256-bit ones
// instead of AVX-512 on a Zen 4 (native 256 bits); and the 8-float kernels built for AVX-512 on
// every AVX-512 CPU for sizes up to 8, which fill at most half of a 16-float vector.
TEST(KernelChoice, LayersTakeHalfWidthKernelsWhereTheyPadLessOnACpuThatRunsHalvesOrUpToSizeEight) {
    struct Case {
        KernelIsa active;
        int nativeBits;
        int size;
        KernelIsa expected;
    };
    const Case cases[] = {
        {KernelIsa::Avx2, 128, 12, KernelIsa::Avx2x128},
        {KernelIsa::Avx2, 128, 20, KernelIsa::Avx2x128},
        {KernelIsa::Avx2, 128, 1, KernelIsa::Avx2x128},
        {KernelIsa::Avx2, 128, 14, KernelIsa::Avx2},  // both pad to 16
        {KernelIsa::Avx2, 128, 16, KernelIsa::Avx2},
        {KernelIsa::Avx2, 128, 40, KernelIsa::Avx2},
        {KernelIsa::Avx2, 256, 12, KernelIsa::Avx2},
        {KernelIsa::Avx2, 512, 12, KernelIsa::Avx2},
        {KernelIsa::Avx512, 256, 8, KernelIsa::Avx512x256},
        {KernelIsa::Avx512, 256, 24, KernelIsa::Avx2},
        {KernelIsa::Avx512, 256, 40, KernelIsa::Avx2},
        {KernelIsa::Avx512, 256, 3, KernelIsa::Avx512x256},
        {KernelIsa::Avx512, 256, 4, KernelIsa::Avx512x256},  // no further: 256 bits run whole
        {KernelIsa::Avx512, 256, 12, KernelIsa::Avx512},     // both pad to 16
        {KernelIsa::Avx512, 256, 16, KernelIsa::Avx512},
        {KernelIsa::Avx512, 256, 64, KernelIsa::Avx512},
        {KernelIsa::Avx512, 512, 8, KernelIsa::Avx512x256},  // at most half of 16 floats
        {KernelIsa::Avx512, 512, 1, KernelIsa::Avx512x256},
        {KernelIsa::Avx512, 512, 9, KernelIsa::Avx512},
        {KernelIsa::Avx512, 512, 12, KernelIsa::Avx512},
        {KernelIsa::Avx512, 512, 24, KernelIsa::Avx512},  // pads less on AVX2, but runs whole
        {KernelIsa::Avx512, 512, 40, KernelIsa::Avx512},
        {KernelIsa::Avx512, 128, 4, KernelIsa::Avx2x128},  // halved twice: each step pads less
        {KernelIsa::Avx512, 128, 12, KernelIsa::Avx512},
        {KernelIsa::Avx512, 128, 8, KernelIsa::Avx512x256},  // 4-float vectors pad 8 no less
        {KernelIsa::Avx512x256, 512, 12, KernelIsa::Avx512x256},
        {KernelIsa::Avx512x256, 128, 12, KernelIsa::Avx2x128},
        {KernelIsa::Sse42, 128, 12, KernelIsa::Sse42},
        {KernelIsa::Avx2x128, 512, 16, KernelIsa::Avx2x128},
    };
    for (const Case& c : cases)
        EXPECT_EQ(kernelIsaForSize(c.active, c.nativeBits, c.size), c.expected)
            << kernelIsaName(c.active) << " on " << c.nativeBits << " bits, size " << c.size;
}

// On a CPU that splits 256-bit operations, an H12 GRU and LSTM run AVX2's 128-bit kernels
// while an H40 GRU and its dense head stay on 8-float vectors: the layers share the state
// layout (Hp = 16 per state), so the stacked model gives the generic kernels' outputs
// within rounding, and the padding lanes stay 0.
TEST(KernelChoice, LayersOnDifferentVectorWidthsShareOneModel) {
    if (activeKernelIsa() < KernelIsa::Avx2) GTEST_SKIP() << "needs AVX2";
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
    auto buildWith = [](KernelIsa isa, int nativeBits) {
        const ScopedKernelOverrides overrides(isa, nativeBits);
        return mixedWidthStack(31, 2, 12, 40);
    };
    const auto mixed = buildWith(KernelIsa::Avx2, 128);
    const auto wide = buildWith(KernelIsa::Avx2, 256);
    const auto generic = buildWith(KernelIsa::Generic, 512);

    const auto& mixedLayers = mixed->layers();
    EXPECT_EQ(static_cast<const LstmLayer&>(*mixedLayers[0]).kernelIsa(), KernelIsa::Avx2x128);
    EXPECT_EQ(static_cast<const GruLayer&>(*mixedLayers[1]).kernelIsa(), KernelIsa::Avx2x128);
    EXPECT_EQ(static_cast<const GruLayer&>(*mixedLayers[2]).kernelIsa(), KernelIsa::Avx2);
    EXPECT_EQ(mixed->head().kernelIsa(), KernelIsa::Avx2);
    EXPECT_EQ(static_cast<const GruLayer&>(*wide->layers()[1]).kernelIsa(), KernelIsa::Avx2);

    const auto reference = run(*generic);
    expectWithinRounding(reference, run(*mixed), "AVX2 on 128 and 256 bits");
    expectWithinRounding(reference, run(*wide), "AVX2 on 256 bits");
}

// One channel alone, and the same channel beside another through processFramesPair (the
// stereo path: the wide layer's pair kernel reads the narrow layers' state): the same numbers,
// and the narrow layers' padding lanes (from `narrow` to the padded size: the LSTM's h and c,
// the GRU's h) stay 0 in every state.
std::vector<float> runAloneAndInPairs(const RecurrentModel& model, int narrow) {
    std::mt19937 signalRng(35);
    std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
    ModelState alone(model), left(model), right(model);
    const int padded = PackedGates::paddedSize(narrow);
    std::vector<float> outputs(300);
    for (float& y : outputs) {
        const float x = signal(signalRng), other = signal(signalRng);
        float yLeft = 0.0f, yRight = 0.0f;
        model.processFrame(&x, &y, alone);
        model.processFramesPair(&x, &other, &yLeft, &yRight, 1, left, right);
        EXPECT_EQ(yLeft, y);
        for (const ModelState* state : {&alone, &left, &right})
            for (int j = narrow; j < padded; ++j) {
                EXPECT_EQ(state->layerState(0)[j], 0.0f) << "LSTM h lane " << j;
                EXPECT_EQ(state->layerState(0)[padded + j], 0.0f) << "LSTM c lane " << j;
                EXPECT_EQ(state->layerState(1)[j], 0.0f) << "GRU lane " << j;
            }
    }
    return outputs;
}

std::unique_ptr<RecurrentModel> buildUnder(KernelIsa isa, int nativeBits, int narrow, int wide) {
    const ScopedKernelOverrides overrides(isa, nativeBits);
    return mixedWidthStack(34, 1, narrow, wide);
}

// On a CPU that runs 512-bit operations as two halves (Zen 4), an H24 GRU and LSTM take the
// AVX2 kernels while an H32 GRU and its dense head stay on AVX-512: one model, the generic
// kernels' outputs within rounding.
TEST(KernelChoice, LayersOnAvx2AndAvx512ShareOneModelOnACpuThatRunsHalves) {
    if (activeKernelIsa() < KernelIsa::Avx512) GTEST_SKIP() << "needs AVX-512";
    const auto mixed = buildUnder(KernelIsa::Avx512, 256, 24, 32);
    const auto wide = buildUnder(KernelIsa::Avx512, 512, 24, 32);
    const auto generic = buildUnder(KernelIsa::Generic, 512, 24, 32);
    EXPECT_EQ(static_cast<const LstmLayer&>(*mixed->layers()[0]).kernelIsa(), KernelIsa::Avx2);
    EXPECT_EQ(static_cast<const GruLayer&>(*mixed->layers()[1]).kernelIsa(), KernelIsa::Avx2);
    EXPECT_EQ(static_cast<const GruLayer&>(*mixed->layers()[2]).kernelIsa(), KernelIsa::Avx512);
    EXPECT_EQ(mixed->head().kernelIsa(), KernelIsa::Avx512);
    EXPECT_EQ(static_cast<const GruLayer&>(*wide->layers()[1]).kernelIsa(), KernelIsa::Avx512);

    const auto reference = runAloneAndInPairs(*generic, 24);
    expectWithinRounding(reference, runAloneAndInPairs(*mixed, 24), "AVX2 and AVX-512");
    expectWithinRounding(reference, runAloneAndInPairs(*wide, 24), "AVX-512");
}

// On any AVX-512 CPU, 512-bit operations run whole or not, an H8 LSTM and GRU take 8 floats while
// an H16 GRU (its product in four sets) and its dense head stay on AVX-512: one model, the
// generic kernels' outputs within rounding, each channel the same alone and in a pair.
TEST(KernelChoice, LayersOfSizeEightTakeEightFloatsBesideAvx512OnEveryAvx512Cpu) {
    if (activeKernelIsa() < KernelIsa::Avx512) GTEST_SKIP() << "needs AVX-512";
    const auto generic = buildUnder(KernelIsa::Generic, 512, 8, 16);
    const auto reference = runAloneAndInPairs(*generic, 8);
    for (const int nativeBits : {256, 512}) {
        const auto model = buildUnder(KernelIsa::Avx512, nativeBits, 8, 16);
        const std::string label = "AVX-512 on " + std::to_string(nativeBits) + " bits";
        EXPECT_EQ(static_cast<const LstmLayer&>(*model->layers()[0]).kernelIsa(),
                  KernelIsa::Avx512x256)
            << label;
        EXPECT_EQ(static_cast<const GruLayer&>(*model->layers()[1]).kernelIsa(),
                  KernelIsa::Avx512x256)
            << label;
        EXPECT_EQ(static_cast<const GruLayer&>(*model->layers()[2]).kernelIsa(), KernelIsa::Avx512)
            << label;
        EXPECT_EQ(model->head().kernelIsa(), KernelIsa::Avx512) << label;
        expectWithinRounding(reference, runAloneAndInPairs(*model, 8), label.c_str());
    }
}

// A dense head over 12 inputs follows the same rule: three 4-float vectors on a splitting
// CPU instead of two 8-float ones, the same numbers within rounding.
TEST(KernelChoice, ADenseHeadOverTwelveInputsReadsThreeNarrowVectorsOnASplittingCpu) {
    if (activeKernelIsa() < KernelIsa::Avx2) GTEST_SKIP() << "needs AVX2";
    std::mt19937 rng(33);
    const Eigen::MatrixXf weight = test::randomMatrix(rng, 3, 12);
    const Eigen::VectorXf bias = test::randomVector(rng, 3);
    auto buildWith = [&](int nativeBits) {
        const ScopedKernelOverrides overrides(KernelIsa::Avx2, nativeBits);
        return DenseLayer(weight, bias, Activation::None);
    };
    const DenseLayer narrow = buildWith(128);
    const DenseLayer wide = buildWith(256);
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

}  // namespace
}  // namespace gs
