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
// State: h (H values, the layer's output) then c (H values).

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
    int inputSize() const noexcept override { return static_cast<int>(weightIh_.cols()); }
    int hiddenSize() const noexcept override { return static_cast<int>(weightHh_.cols()); }
    int outputSize() const noexcept override { return hiddenSize(); }
    int stateSize() const noexcept override { return 2 * hiddenSize(); }
    int scratchSize() const noexcept override { return 4 * hiddenSize(); }
    long parameterCount() const noexcept override;

    void step(const float* input, float* state, float* scratch) const noexcept override;

    const Eigen::MatrixXf& weightIh() const noexcept { return weightIh_; }
    const Eigen::MatrixXf& weightHh() const noexcept { return weightHh_; }
    const Eigen::VectorXf& biasIh() const noexcept { return biasIh_; }
    const Eigen::VectorXf& biasHh() const noexcept { return biasHh_; }

private:
    Eigen::MatrixXf weightIh_;
    Eigen::MatrixXf weightHh_;
    Eigen::VectorXf biasIh_;
    Eigen::VectorXf biasHh_;
};

} // namespace gs
