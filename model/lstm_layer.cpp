#include "lstm_layer.h"

#include "kernels/cpu_traits.h"

namespace gs {

LstmLayer::LstmLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
                     Eigen::VectorXf biasHh)
    : weights_(std::move(weightIh), std::move(weightHh), std::move(biasIh), std::move(biasHh), 4,
               "LstmLayer"),
      kernelIsa_(kernelIsaForSize(weights_.hiddenSize())),
      packed_(weights_, kernelVectorFloats(kernelIsa_), kernelTileRows(kernelIsa_)),
      step_(selectLstmStep(kernelIsa_, weights_.hiddenSize(), false)),
      stepPaddedInput_(selectLstmStep(kernelIsa_, weights_.hiddenSize(), true)),
      stepPair_(
          selectLstmStepPair(kernelIsa_, weights_.hiddenSize(), false, thisCpuNativeVectorBits())),
      stepPairPaddedInput_(
          selectLstmStepPair(kernelIsa_, weights_.hiddenSize(), true, thisCpuNativeVectorBits())) {}

void LstmLayer::step(const float* input, float* state, float* scratch) const noexcept {
    step_(packed_, input, state, scratch);
}

void LstmLayer::stepPaddedInput(const float* input, float* state, float* scratch) const noexcept {
    stepPaddedInput_(packed_, input, state, scratch);
}

void LstmLayer::stepPair(const float* input0, const float* input1, float* state0, float* state1,
                         float* scratch0, float* scratch1, bool paddedInput) const noexcept {
    if (const LstmStepPairFn pair = paddedInput ? stepPairPaddedInput_ : stepPair_)
        pair(packed_, input0, input1, state0, state1, scratch0, scratch1);
    else
        RecurrentLayer::stepPair(input0, input1, state0, state1, scratch0, scratch1, paddedInput);
}

std::unique_ptr<const RecurrentLayer>
LstmLayer::withNormalisedInput(const std::vector<float>& mean,
                               const std::vector<float>& stdDev) const {
    GatedWeights folded = weights_.withNormalisedInput(mean, stdDev);
    return std::make_unique<LstmLayer>(std::move(folded.weightIh), std::move(folded.weightHh),
                                       std::move(folded.biasIh), std::move(folded.biasHh));
}

}  // namespace gs
