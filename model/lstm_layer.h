#pragma once
// An LSTM layer with torch.nn.LSTM semantics and weight layout (gates stacked i, f, g, o):
//
//   i  = sigmoid(W_ii x + b_ii + W_hi h + b_hi)
//   f  = sigmoid(W_if x + b_if + W_hf h + b_hf)
//   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
//   o  = sigmoid(W_io x + b_io + W_ho h + b_ho)
//   c' = f * c + i * g
//   h' = o * tanh(c')
//
// State: h then c, each padded to Hp values (PackedGates::paddedSize) for the SIMD kernel
// (model/kernels/lstm_kernel_impl.h), c multiplied by 2 log2(e) (that kernel's cellScale);
// the padding lanes stay 0.

#include "gated_weights.h"
#include "kernels/gru_kernels.h"
#include "kernels/packed_lstm.h"
#include "recurrent_layer.h"

#include <Eigen/Core>

namespace gs {

class LstmLayer final : public RecurrentLayer {
public:
    // weightIh: 4H x inputSize, weightHh: 4H x H, biases: 4H; rows in i, f, g, o order.
    // Throws std::invalid_argument when the shapes disagree.
    LstmLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
              Eigen::VectorXf biasHh);

    const char* typeName() const noexcept override { return "lstm"; }
    int inputSize() const noexcept override { return weights_.inputSize(); }
    int hiddenSize() const noexcept override { return weights_.hiddenSize(); }
    int outputSize() const noexcept override { return hiddenSize(); }
    int stateSize() const noexcept override { return 2 * packed_.paddedHidden; }
    int scratchSize() const noexcept override {
        return lstmScratchPerPaddedHidden * packed_.paddedHidden;
    }
    long parameterCount() const noexcept override { return weights_.parameterCount(); }

    void step(const float* input, float* state, float* scratch) const noexcept override;
    void stepPaddedInput(const float* input, float* state, float* scratch) const noexcept override;
    // Both channels in one kernel where that is faster (selectLstmStepPair), else two steps.
    void stepPair(const float* input0, const float* input1, float* state0, float* state1,
                  float* scratch0, float* scratch1, bool paddedInput) const noexcept override;
    bool stepsPairsTogether() const noexcept {
        return stepPair_ != nullptr && stepPairPaddedInput_ != nullptr;
    }
    bool hasPaddedState() const noexcept override { return true; }

    std::unique_ptr<const RecurrentLayer>
    withNormalisedInput(const std::vector<float>& mean,
                        const std::vector<float>& stdDev) const override;
    const GatedWeights& weights() const noexcept { return weights_; }
    KernelIsa kernelIsa() const noexcept { return kernelIsa_; }  // the kernels its steps run
    const Eigen::MatrixXf& weightIh() const noexcept { return weights_.weightIh; }
    const Eigen::MatrixXf& weightHh() const noexcept { return weights_.weightHh; }
    const Eigen::VectorXf& biasIh() const noexcept { return weights_.biasIh; }
    const Eigen::VectorXf& biasHh() const noexcept { return weights_.biasHh; }

private:
    GatedWeights weights_;
    KernelIsa kernelIsa_;  // kernelIsaForSize for this size
    PackedLstm packed_;
    LstmStepFn step_;
    LstmStepFn stepPaddedInput_;
    LstmStepPairFn stepPair_;  // nullptr: two single steps
    LstmStepPairFn stepPairPaddedInput_;
};

}  // namespace gs
