#include "gru_layer.h"

#include "dense_layer.h"
#include "kernels/cpu_traits.h"

#include <cassert>

namespace gs {

GruLayer::GruLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
                   Eigen::VectorXf biasHh)
    : weights_(std::move(weightIh), std::move(weightHh), std::move(biasIh), std::move(biasHh), 3,
               "GruLayer"),
      kernelIsa_(kernelIsaForSize(weights_.hiddenSize())),
      packed_(weights_, kernelVectorFloats(kernelIsa_),
              kernelGruTileRows(kernelIsa_, weights_.hiddenSize())),
      step_(selectGruStep(kernelIsa_, weights_.hiddenSize(), false)),
      stepPaddedInput_(selectGruStep(kernelIsa_, weights_.hiddenSize(), true)),
      stepReversed_(selectGruStepReversed(kernelIsa_, weights_.hiddenSize(), false)),
      stepPaddedInputReversed_(selectGruStepReversed(kernelIsa_, weights_.hiddenSize(), true)),
      stepPair_(
          selectGruStepPair(kernelIsa_, weights_.hiddenSize(), false, thisCpuNativeVectorBits())),
      stepPairPaddedInput_(
          selectGruStepPair(kernelIsa_, weights_.hiddenSize(), true, thisCpuNativeVectorBits())),
      stepPairReversed_(selectGruStepPairReversed(kernelIsa_, weights_.hiddenSize(), false,
                                                  thisCpuNativeVectorBits())),
      stepPairPaddedInputReversed_(selectGruStepPairReversed(kernelIsa_, weights_.hiddenSize(),
                                                             true, thisCpuNativeVectorBits())),
      stepPairHead_(selectGruStepPairHead(kernelIsa_, weights_.hiddenSize(), false)),
      stepPairPaddedInputHead_(selectGruStepPairHead(kernelIsa_, weights_.hiddenSize(), true)),
      runHead_(selectGruRunHead(kernelIsa_, weights_.hiddenSize())),
      runPairHead_(
          selectGruRunPairHead(kernelIsa_, weights_.hiddenSize(), thisCpuNativeVectorBits())) {}

// The turn is the stream's, kept in its scratch: a model shared by threads (batch jobs) then
// shares no written memory, and a stream stepped alone alternates its own order.
bool GruLayer::takeReversedTurn(float* scratch) const noexcept {
    float& turn = scratch[turnSlot()];
    const bool reverse = turn != 0.0f;
    turn = reverse ? 0.0f : 1.0f;
    return reverse;
}

void GruLayer::runStep(GruStepFn forward, GruStepFn reversed, const float* input, float* state,
                       float* scratch) const noexcept {
    if (reversed != nullptr && takeReversedTurn(scratch))
        return reversed(packed_, input, state, scratch);
    forward(packed_, input, state, scratch);
}

void GruLayer::step(const float* input, float* state, float* scratch) const noexcept {
    runStep(step_, stepReversed_, input, state, scratch);
}

void GruLayer::stepPaddedInput(const float* input, float* state, float* scratch) const noexcept {
    runStep(stepPaddedInput_, stepPaddedInputReversed_, input, state, scratch);
}

void GruLayer::stepPair(const float* input0, const float* input1, float* state0, float* state1,
                        float* scratch0, float* scratch1, bool paddedInput) const noexcept {
    if (const GruStepPairFn pair = paddedInput ? stepPairPaddedInput_ : stepPair_) {
        const GruStepPairFn reversed =
            paddedInput ? stepPairPaddedInputReversed_ : stepPairReversed_;
        (reversed != nullptr && takeReversedTurn(scratch0) ? reversed : pair)(
            packed_, input0, input1, state0, state1, scratch0, scratch1);
    } else {
        // Two single steps in lockstep: the first channel always forward, the second always
        // reversed where this size alternates, so each starts on the block the other read last.
        const GruStepFn single = paddedInput ? stepPaddedInput_ : step_;
        const GruStepFn reversed = paddedInput ? stepPaddedInputReversed_ : stepReversed_;
        single(packed_, input0, state0, scratch0);
        (reversed != nullptr ? reversed : single)(packed_, input1, state1, scratch1);
    }
}

bool GruLayer::headFitsKernels(const DenseLayer& head) const noexcept {
    return head.inputSize() == hiddenSize() && head.outputSize() == 1 &&
           head.activation() == Activation::None && head.kernelIsa() == kernelIsa_ &&
           head.paddedInputSize() == packed_.gateRows;
}

bool GruLayer::fusesPairHead(const DenseLayer& head) const noexcept {
    return stepPairHead_ != nullptr && stepPairPaddedInputHead_ != nullptr && headFitsKernels(head);
}

bool GruLayer::runsWithHead(const DenseLayer& head) const noexcept {
    return runHead_ != nullptr && inputSize() == 1 && headFitsKernels(head);
}

bool GruLayer::runsPairWithHead(const DenseLayer& head) const noexcept {
    return runPairHead_ != nullptr && inputSize() == 1 && headFitsKernels(head);
}

void GruLayer::runWithHead(const float* input, int frames, float* state, float* scratch,
                           const DenseLayer& head, float* output) const noexcept {
    assert(runsWithHead(head));
    runHead_(packed_, input, frames, state, scratch, head.paddedWeights(), head.bias().data(),
             output);
}

void GruLayer::runPairWithHead(const float* input0, const float* input1, int frames, float* state0,
                               float* state1, float* scratch0, float* scratch1,
                               const DenseLayer& head, float* output0,
                               float* output1) const noexcept {
    assert(runsPairWithHead(head));
    runPairHead_(packed_, input0, input1, frames, state0, state1, scratch0, scratch1,
                 head.paddedWeights(), head.bias().data(), output0, output1);
}

void GruLayer::stepPairWithHead(const float* input0, const float* input1, float* state0,
                                float* state1, float* scratch0, float* scratch1, bool paddedInput,
                                const DenseLayer& head, float* output0,
                                float* output1) const noexcept {
    assert(fusesPairHead(head));
    const GruStepPairHeadFn kernel = paddedInput ? stepPairPaddedInputHead_ : stepPairHead_;
    kernel(packed_, input0, input1, state0, state1, scratch0, scratch1, head.paddedWeights(),
           head.bias().data(), output0, output1);
}

std::unique_ptr<const RecurrentLayer>
GruLayer::withNormalisedInput(const std::vector<float>& mean,
                              const std::vector<float>& stdDev) const {
    GatedWeights folded = weights_.withNormalisedInput(mean, stdDev);
    return std::make_unique<GruLayer>(std::move(folded.weightIh), std::move(folded.weightHh),
                                      std::move(folded.biasIh), std::move(folded.biasHh));
}

}  // namespace gs
