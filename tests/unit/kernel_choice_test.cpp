// Which kernels a layer takes on a CPU that splits 256-bit operations, and that layers on
// different vector widths still form one model.

#include "isa_kernels.h"
#include "model/dense_layer.h"
#include "model/gru_layer.h"
#include "model/lstm_layer.h"
#include "model/recurrent_model.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <vector>

namespace gs {
namespace {

using test::ScopedKernelOverrides;

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
