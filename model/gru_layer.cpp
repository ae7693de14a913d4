#include "gru_layer.h"

#include "activation.h"

#include <cmath>
#include <stdexcept>

namespace gs {

GruLayer::GruLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
                   Eigen::VectorXf biasHh)
    : weightIh_(std::move(weightIh)),
      weightHh_(std::move(weightHh)),
      biasIh_(std::move(biasIh)),
      biasHh_(std::move(biasHh)) {
    const Eigen::Index hidden = weightHh_.cols();
    if (hidden < 1 || weightHh_.rows() != 3 * hidden || weightIh_.rows() != 3 * hidden ||
        weightIh_.cols() < 1 || biasIh_.size() != 3 * hidden || biasHh_.size() != 3 * hidden)
        throw std::invalid_argument("GruLayer: weight shapes do not describe a GRU");
}

long GruLayer::parameterCount() const noexcept {
    return static_cast<long>(weightIh_.size() + weightHh_.size() + biasIh_.size() +
                             biasHh_.size());
}

void GruLayer::step(const float* input, float* state, float* scratch) const noexcept {
    const Eigen::Index hidden = weightHh_.cols();
    Eigen::Map<const Eigen::VectorXf> x(input, weightIh_.cols());
    Eigen::Map<Eigen::VectorXf> h(state, hidden);
    Eigen::Map<Eigen::VectorXf> inputGates(scratch, 3 * hidden);
    Eigen::Map<Eigen::VectorXf> hiddenGates(scratch + 3 * hidden, 3 * hidden);

    inputGates.noalias() = weightIh_ * x;
    inputGates += biasIh_;
    hiddenGates.noalias() = weightHh_ * h;
    hiddenGates += biasHh_;

    for (Eigen::Index j = 0; j < hidden; ++j) {
        const float r = sigmoid(inputGates[j] + hiddenGates[j]);
        const float z = sigmoid(inputGates[hidden + j] + hiddenGates[hidden + j]);
        const float n = std::tanh(inputGates[2 * hidden + j] + r * hiddenGates[2 * hidden + j]);
        // (1 - z) n + z h, written as torch evaluates it: n + z (h - n).
        h[j] = n + z * (h[j] - n);
    }
}

} // namespace gs
