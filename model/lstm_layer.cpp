#include "lstm_layer.h"

#include "activation.h"

#include <cmath>

namespace gs {

LstmLayer::LstmLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
                   Eigen::VectorXf biasHh)
    : weights_(std::move(weightIh), std::move(weightHh), std::move(biasIh), std::move(biasHh), 4, "LstmLayer") {}

void LstmLayer::step(const float* input, float* state, float* scratch) const noexcept {
    const Eigen::Index hidden = weights_.weightHh.cols();
    Eigen::Map<const Eigen::VectorXf> x(input, weights_.weightIh.cols());
    Eigen::Map<Eigen::VectorXf> h(state, hidden);
    float* c = state + hidden;
    Eigen::Map<Eigen::VectorXf> gates(scratch, 4 * hidden);

    gates.noalias() = weights_.weightIh * x;
    gates.noalias() += weights_.weightHh * h;
    gates += weights_.biasIh;
    gates += weights_.biasHh;

    for (Eigen::Index j = 0; j < hidden; ++j) {
        const float i = sigmoid(gates[j]);
        const float f = sigmoid(gates[hidden + j]);
        const float g = std::tanh(gates[2 * hidden + j]);
        const float o = sigmoid(gates[3 * hidden + j]);
        c[j] = f * c[j] + i * g;
        h[j] = o * std::tanh(c[j]);
    }
}

std::unique_ptr<const RecurrentLayer> LstmLayer::withNormalisedInput(const std::vector<float>& mean,
                                                                  const std::vector<float>& stdDev) const {
    GatedWeights folded = weights_.withNormalisedInput(mean, stdDev);
    return std::make_unique<LstmLayer>(std::move(folded.weightIh), std::move(folded.weightHh), std::move(folded.biasIh),
                                     std::move(folded.biasHh));
}

} // namespace gs
