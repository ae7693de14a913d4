#include "lstm_layer.h"

#include "activation.h"

#include <cmath>
#include <stdexcept>

namespace gs {

LstmLayer::LstmLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
                     Eigen::VectorXf biasHh)
    : weightIh_(std::move(weightIh)),
      weightHh_(std::move(weightHh)),
      biasIh_(std::move(biasIh)),
      biasHh_(std::move(biasHh)) {
    const Eigen::Index hidden = weightHh_.cols();
    if (hidden < 1 || weightHh_.rows() != 4 * hidden || weightIh_.rows() != 4 * hidden ||
        weightIh_.cols() < 1 || biasIh_.size() != 4 * hidden || biasHh_.size() != 4 * hidden)
        throw std::invalid_argument("LstmLayer: weight shapes do not describe an LSTM");
}

long LstmLayer::parameterCount() const noexcept {
    return static_cast<long>(weightIh_.size() + weightHh_.size() + biasIh_.size() + biasHh_.size());
}

void LstmLayer::step(const float* input, float* state, float* scratch) const noexcept {
    const Eigen::Index hidden = weightHh_.cols();
    Eigen::Map<const Eigen::VectorXf> x(input, weightIh_.cols());
    Eigen::Map<Eigen::VectorXf> h(state, hidden);
    float* c = state + hidden;
    Eigen::Map<Eigen::VectorXf> gates(scratch, 4 * hidden);

    gates.noalias() = weightIh_ * x;
    gates.noalias() += weightHh_ * h;
    gates += biasIh_;
    gates += biasHh_;

    for (Eigen::Index j = 0; j < hidden; ++j) {
        const float i = sigmoid(gates[j]);
        const float f = sigmoid(gates[hidden + j]);
        const float g = std::tanh(gates[2 * hidden + j]);
        const float o = sigmoid(gates[3 * hidden + j]);
        c[j] = f * c[j] + i * g;
        h[j] = o * std::tanh(c[j]);
    }
}

} // namespace gs
