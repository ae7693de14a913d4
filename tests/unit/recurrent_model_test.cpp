#include "isa_kernels.h"
#include "model/gru_layer.h"
#include "model/model_limits.h"
#include "model/recurrent_model.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace gs {
namespace {

// Whether this GRU's size has the kernels of one vector per gate (the fused pair head, the run
// kernels): H8 wherever there is AVX2 (its 8-float vectors), H12 and H16 where the GRU runs on
// AVX-512.
bool hasOneVectorPerGateKernels(int hidden, const GruLayer& gru) {
    return hidden == 8 ? activeKernelIsa() >= KernelIsa::Avx2
                       : gru.kernelIsa() == KernelIsa::Avx512;
}

TEST(RecurrentModel, SkipAddsTheInputToTheOutput) {
    const auto withSkip = test::randomModel(3, 1, 8, 1, 1, 1);
    const auto withoutSkip = test::randomModel(3, 1, 8, 1, 1, 0);
    ModelState a(*withSkip), b(*withoutSkip);
    for (float x : {0.1f, -0.7f, 2.0f, 0.0f}) {
        float ya, yb;
        withSkip->processFrame(&x, &ya, a);
        withoutSkip->processFrame(&x, &yb, b);
        EXPECT_FLOAT_EQ(ya, yb + x);
    }
}

TEST(RecurrentModel, StatesAreIndependentSoOneModelServesManyStreams) {
    const auto model = test::randomModel(5, 1, 16, 2);
    ModelState first(*model), second(*model), fresh(*model);
    float y1, y2, y3;
    for (int i = 0; i < 100; ++i) {
        const float x = std::sin(0.1f * static_cast<float>(i));
        model->processFrame(&x, &y1, first);
    }
    const float x = 0.3f;
    model->processFrame(&x, &y2, second);
    model->processFrame(&x, &y3, fresh);
    EXPECT_EQ(y2, y3);  // second never saw what first processed
    second.reset();
    first.reset();
    model->processFrame(&x, &y1, first);
    model->processFrame(&x, &y2, second);
    EXPECT_EQ(y1, y2);  // reset returns to the zero state
}

// Two streams through processFramesPair in runs of 1, 7, 0 and 42 frames: each gets exactly
// what processFrame gives it frame by frame.
void expectPairRunsMatchSingleFrames(const RecurrentModel& model, const std::string& label) {
    const int inputs = model.inputSize(), outputs = model.outputSize(), frames = 50;
    std::mt19937 rng(13);
    std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
    std::vector<float> input0(static_cast<std::size_t>(inputs * frames)), input1(input0.size());
    for (float& x : input0) x = signal(rng);
    for (float& x : input1) x = signal(rng);
    ModelState pair0(model), pair1(model), alone0(model), alone1(model);
    std::vector<float> output0(static_cast<std::size_t>(outputs * frames)), output1(output0.size());
    int done = 0;
    for (const int run : {1, 7, 0, 42}) {
        model.processFramesPair(&input0[inputs * done], &input1[inputs * done],
                                &output0[outputs * done], &output1[outputs * done], run, pair0,
                                pair1);
        done += run;
    }
    ASSERT_EQ(done, frames);
    std::vector<float> expected0(static_cast<std::size_t>(outputs)), expected1(expected0);
    for (int k = 0; k < frames; ++k) {
        model.processFrame(&input0[inputs * k], expected0.data(), alone0);
        model.processFrame(&input1[inputs * k], expected1.data(), alone1);
        for (int o = 0; o < outputs; ++o) {
            EXPECT_EQ(output0[outputs * k + o], expected0[o]) << label << " frame " << k;
            EXPECT_EQ(output1[outputs * k + o], expected1[o]) << label << " frame " << k;
        }
    }
}

// One stream through processFrames in runs of 1, 7, 0 and 42 frames: exactly what
// processFrame gives it frame by frame.
void expectRunsMatchSingleFrames(const RecurrentModel& model, const std::string& label) {
    const int inputs = model.inputSize(), outputs = model.outputSize(), frames = 50;
    std::mt19937 rng(15);
    std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
    std::vector<float> input(static_cast<std::size_t>(inputs * frames));
    for (float& x : input) x = signal(rng);
    ModelState runs(model), alone(model);
    std::vector<float> output(static_cast<std::size_t>(outputs * frames));
    int done = 0;
    for (const int run : {1, 7, 0, 42}) {
        model.processFrames(&input[inputs * done], &output[outputs * done], run, runs);
        done += run;
    }
    ASSERT_EQ(done, frames);
    std::vector<float> expected(static_cast<std::size_t>(outputs));
    for (int k = 0; k < frames; ++k) {
        model.processFrame(&input[inputs * k], expected.data(), alone);
        for (int o = 0; o < outputs; ++o)
            EXPECT_EQ(output[outputs * k + o], expected[o]) << label << " frame " << k;
    }
    // and the state left for the next call (every layer's, from the first one's start)
    const auto size = static_cast<std::size_t>(model.stateSize());
    EXPECT_TRUE(std::equal(runs.layerState(0), runs.layerState(0) + size, alone.layerState(0)))
        << label;
}

// Through two layers, a skip and three outputs, at H8, H16, H24, H72 and H96 (the pair kernels
// or two single steps, depending on the CPU: AVX2 and AVX-512 pair H72, which alternates its
// tile order on AVX2, and H96, in several tiles on AVX2).
TEST(RecurrentModel, FramesInRunsGiveEachStreamWhatSingleFramesGive) {
    for (const int hidden : {8, 16, 24, 72, 96})
        expectPairRunsMatchSingleFrames(*test::randomModel(12, 2, hidden, 2, 3, 2),
                                        std::string("H").append(std::to_string(hidden)));
}

// Two-layer LSTMs in stereo, one input (audio) and two: where the pair kernel is chosen
// (selectLstmStepPair: H8 wherever there is AVX2, H12-16 on AVX-512, H64 on AVX-512 or on
// AVX2 run whole) it serves both layers, the second reading the first's padded state;
// elsewhere two single steps. Either way each stream gets its single-frame numbers.
TEST(RecurrentModel, LstmFramesInRunsGiveEachStreamWhatSingleFramesGive) {
    for (const int inputs : {1, 2})
        for (const int hidden : {8, 12, 16, 24, 64})
            expectPairRunsMatchSingleFrames(*test::randomLstmModel(21, inputs, hidden, 2, 2, 0.4f),
                                            "LSTM H" + std::to_string(hidden) + " inputs " +
                                                std::to_string(inputs));
}

// A linear head of one output after a GRU with one vector per gate is computed in the pair
// kernel (GruLayer::fusesPairHead): at H8 wherever there is AVX2, at H12 and H16 where the GRU
// runs on AVX-512. A tanh head never is. Either way, the same numbers as single frames.
TEST(RecurrentModel, AHeadFusedIntoThePairKernelGivesWhatSingleFramesGive) {
    for (const int hidden : {8, 12, 16})
        for (const int layers : {1, 2})
            for (const Activation activation : {Activation::None, Activation::Tanh}) {
                const auto model = test::randomModel(14, 1, hidden, layers, 1, 1, activation);
                const auto& gru = dynamic_cast<const GruLayer&>(*model->layers().back());
                const bool expected =
                    activation == Activation::None && hasOneVectorPerGateKernels(hidden, gru);
                std::string label = std::string("H").append(std::to_string(hidden));
                label += " layers " + std::to_string(layers);
                label += activation == Activation::None ? " linear" : " tanh";
                EXPECT_EQ(gru.fusesPairHead(model->head()), expected) << label;
                EXPECT_EQ(model->fusesPairHead(), expected) << label;  // and the model uses it
                expectPairRunsMatchSingleFrames(*model, label);
            }
}

// A GRU alone in its model, with one input and a linear head of one output, runs whole calls of
// processFrames in one kernel (GruLayer::runsWithHead) at the sizes with one vector per gate:
// H8 wherever there is AVX2, H12 and H16 where the GRU runs on AVX-512; processFramesPair too
// (the pair kernel is chosen wherever a gate takes one vector), and at H12 and H16 on AVX2 in
// the staggered pair kernel. Two layers, two inputs or a tanh head never do. Either way, the
// numbers of single frames.
TEST(RecurrentModel, ALoneGruWithALinearHeadRunsFramesInOneKernel) {
    for (const int hidden : {8, 12, 16})
        for (const int layers : {1, 2})
            for (const int inputs : {1, 2})
                for (const Activation activation : {Activation::None, Activation::Tanh}) {
                    const auto model =
                        test::randomModel(16, inputs, hidden, layers, 1, 1, activation);
                    const auto& gru = dynamic_cast<const GruLayer&>(*model->layers().back());
                    const bool expected = layers == 1 && inputs == 1 &&
                                          activation == Activation::None &&
                                          hasOneVectorPerGateKernels(hidden, gru);
                    std::string label = std::string("H").append(std::to_string(hidden));
                    label += " layers " + std::to_string(layers);
                    label += " inputs " + std::to_string(inputs);
                    label += activation == Activation::None ? " linear" : " tanh";
                    const bool staggered = layers == 1 && inputs == 1 &&
                                           activation == Activation::None && hidden >= 12 &&
                                           test::eightFloatKernels(gru.kernelIsa());
                    EXPECT_EQ(model->runsFramesInKernel(), expected) << label;
                    EXPECT_EQ(model->runsPairFramesInKernel(), expected || staggered) << label;
                    expectRunsMatchSingleFrames(*model, label);
                    expectPairRunsMatchSingleFrames(*model, label);
                }
}

// processFrame of such a model without a skip is a run of one frame in the same kernel: the
// numbers of the layer's step and then the head, frame after frame, state included. (With a
// skip it goes layer by layer; ALoneGruWithALinearHeadRunsFramesInOneKernel compares that with
// runs.)
TEST(RecurrentModel, AFrameOfARunKernelModelIsTheLayersStepAndTheHead) {
    for (const int hidden : {8, 12, 16}) {
        const auto model = test::randomModel(18, 1, hidden, 1, 1, 0);
        const auto& gru = dynamic_cast<const GruLayer&>(*model->layers().front());
        const std::string label = "H" + std::to_string(hidden);
        EXPECT_EQ(model->runsFramesInKernel(), hasOneVectorPerGateKernels(hidden, gru)) << label;
        ModelState frames(*model), byLayer(*model);
        std::mt19937 rng(19);
        std::uniform_real_distribution<float> signal(-2.0f, 2.0f);
        for (int k = 0; k < 40; ++k) {
            const float x = signal(rng);
            float y = 0.0f, expected = 0.0f;
            model->processFrame(&x, &y, frames);
            gru.step(&x, byLayer.layerState(0), byLayer.layerScratch(0));
            model->head().applyPadded(byLayer.layerState(0), &expected);
            ASSERT_EQ(y, expected) << label << " frame " << k;
        }
        const auto size = static_cast<std::size_t>(model->stateSize());
        EXPECT_TRUE(
            std::equal(frames.layerState(0), frames.layerState(0) + size, byLayer.layerState(0)))
            << label;
    }
}

// A lone GRU with one input and a linear head of one output runs stereo calls in the staggered
// pair kernel (one channel half a step ahead) at AVX-512's H24-48 and AVX2's H12-16, where the
// CPU runs that instruction set's vectors whole; mono calls frame by frame. AVX-512's H64 (its
// steps alternate tile orders) and AVX2's H24 run both frame by frame, and so does a CPU that
// splits the vectors (AVX-512 on a Zen 4, AVX2 on a Zen 1: 256 and 128 native bits). Either
// way, the numbers of single frames, each channel's own.
TEST(RecurrentModel, ALoneGruOfSeveralVectorsPerGateRunsStereoStaggered) {
    struct Cpu {
        KernelIsa isa;
        int nativeBits;
    };
    int staggered = 0;
    for (const Cpu cpu :
         {Cpu{KernelIsa::Avx2, 512}, Cpu{KernelIsa::Avx512, 512}, Cpu{KernelIsa::Avx512, 256},
          Cpu{KernelIsa::Avx2, 256}, Cpu{KernelIsa::Avx2, 128}}) {
        if (activeKernelIsa() < cpu.isa) continue;
        const test::ScopedKernelOverrides only(cpu.isa, cpu.nativeBits);
        for (const int hidden : {12, 16, 24, 32, 40, 48, 64})
            for (const Activation activation : {Activation::None, Activation::Tanh}) {
                const auto model = test::randomModel(17, 1, hidden, 1, 1, 1, activation);
                // kernelIsaForSize may take a narrower set for this size (Zen 4 at H24 and H40)
                const KernelIsa chosen =
                    dynamic_cast<const GruLayer&>(*model->layers().back()).kernelIsa();
                const bool wide = chosen == KernelIsa::Avx512;
                const bool eightFloats = test::eightFloatKernels(chosen);
                const int chosenBits = wide ? 512 : eightFloats ? 256 : 128;
                const bool servedSize =
                    wide ? hidden >= 24 && hidden <= 48 : eightFloats && hidden <= 16;
                const bool expected =
                    activation == Activation::None && servedSize && cpu.nativeBits >= chosenBits;
                std::string label = std::string(kernelIsaName(cpu.isa)) + " at " +
                                    std::to_string(cpu.nativeBits) + " bits, H" +
                                    std::to_string(hidden);
                label += activation == Activation::None ? " linear" : " tanh";
                if (!(wide && hidden <= 16)) {  // one vector per gate: the other run kernels
                    EXPECT_FALSE(model->runsFramesInKernel()) << label;
                    EXPECT_EQ(model->runsPairFramesInKernel(), expected) << label;
                    staggered += expected ? 1 : 0;
                }
                expectPairRunsMatchSingleFrames(*model, label);
            }
    }
    // AVX2's H12-16 at 512 and 256 bits, AVX-512's H24-48 at 512
    const KernelIsa best = activeKernelIsa();
    EXPECT_EQ(staggered, best == KernelIsa::Avx512 ? 8 : best >= KernelIsa::Avx2 ? 4 : 0);
}

// The fused kernel reads the head's padded row as one of the GRU's vectors: a head packed for
// other kernels of the same width must not be fused (a GRU on AVX2 at H8 beside an SSE head,
// 8 floats each; on AVX-512 at H16 beside an AVX2 head, 16 each).
TEST(RecurrentModel, AHeadPackedForOtherKernelsIsNotFused) {
    if (activeKernelIsa() < KernelIsa::Avx2) GTEST_SKIP() << "no fused kernel on this CPU";
    std::mt19937 rng(3);
    // H8 takes 8-float kernels everywhere
    const bool wide = kernelIsaForSize(16) == KernelIsa::Avx512;
    const int hidden = wide ? 16 : 8;
    const auto gru = test::randomGru(rng, 1, hidden);
    const DenseLayer head(test::randomMatrix(rng, 1, hidden), test::randomVector(rng, 1),
                          Activation::None);
    EXPECT_TRUE(gru->fusesPairHead(head));
    const DenseLayer otherHead = [&] {
        const test::ScopedKernelOverrides narrower(wide ? KernelIsa::Avx2 : KernelIsa::Sse42,
                                                   std::nullopt);
        return DenseLayer(head.weight(), head.bias(), Activation::None);
    }();
    ASSERT_NE(otherHead.kernelIsa(), gru->kernelIsa());
    ASSERT_EQ(otherHead.paddedInputSize(), head.paddedInputSize());
    EXPECT_FALSE(gru->fusesPairHead(otherHead));
}

TEST(RecurrentModel, CountsParametersAcrossLayers) {
    const auto model = test::randomModel(1, 2, 8, 2, 3);
    const long expected = 3 * 8 * (2 + 8 + 2) + 3 * 8 * (8 + 8 + 2) + 3 * 8 + 3;
    EXPECT_EQ(model->parameterCount(), expected);
    EXPECT_EQ(model->stateSize(), 32);  // each GRU's state is padded to a whole 16-float vector
}

TEST(RecurrentModel, RejectsLayersThatDoNotChain) {
    std::mt19937 rng(1);
    std::vector<std::unique_ptr<const RecurrentLayer>> layers;
    layers.push_back(test::randomGru(rng, 1, 8));
    layers.push_back(test::randomGru(rng, 4, 8));
    EXPECT_THROW(RecurrentModel(std::move(layers),
                                DenseLayer(Eigen::MatrixXf::Zero(1, 8), Eigen::VectorXf::Zero(1),
                                           Activation::None),
                                0, {}),
                 std::invalid_argument);
}

TEST(RecurrentModel, RejectsMoreLayersThanTheLimit) {
    EXPECT_NO_THROW(test::randomModel(1, 1, 4, limits::maxRecurrentLayers));
    EXPECT_THROW(test::randomModel(1, 1, 4, limits::maxRecurrentLayers + 1), std::invalid_argument);
}

TEST(RecurrentModel, RejectsSkipWiderThanTheOutput) {
    EXPECT_THROW(test::randomModel(1, 2, 4, 1, 1, 2), std::invalid_argument);
}

TEST(ModelState, ReportsNonFiniteState) {
    const auto model = test::randomModel(1, 1, 4, 1);
    ModelState state(*model);
    EXPECT_TRUE(state.isFinite());
    state.layerState(0)[2] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(state.isFinite());
    state.reset();
    EXPECT_TRUE(state.isFinite());
}

}  // namespace
}  // namespace gs
