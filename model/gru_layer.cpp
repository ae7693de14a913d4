#include "gru_layer.h"

#include "activation.h"

#include <cmath>

namespace gs {

GruLayer::GruLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
                   Eigen::VectorXf biasHh)
    : weights_(std::move(weightIh), std::move(weightHh), std::move(biasIh), std::move(biasHh), 3, "GruLayer") {}

void GruLayer::step(const float* input, float* state, float* scratch) const noexcept {
    const Eigen::Index hidden = weights_.weightHh.cols();
    Eigen::Map<const Eigen::VectorXf> x(input, weights_.weightIh.cols());
    Eigen::Map<Eigen::VectorXf> h(state, hidden);
    Eigen::Map<Eigen::VectorXf> inputGates(scratch, 3 * hidden);
    Eigen::Map<Eigen::VectorXf> hiddenGates(scratch + 3 * hidden, 3 * hidden);

    inputGates.noalias() = weights_.weightIh * x;
    inputGates += weights_.biasIh;
    hiddenGates.noalias() = weights_.weightHh * h;
    hiddenGates += weights_.biasHh;

    for (Eigen::Index j = 0; j < hidden; ++j) {
        const float r = sigmoid(inputGates[j] + hiddenGates[j]);
        const float z = sigmoid(inputGates[hidden + j] + hiddenGates[hidden + j]);
        const float n = std::tanh(inputGates[2 * hidden + j] + r * hiddenGates[2 * hidden + j]);
        // (1 - z) n + z h, written as torch evaluates it: n + z (h - n).
        h[j] = n + z * (h[j] - n);
    }
}

std::unique_ptr<const RecurrentLayer> GruLayer::withNormalisedInput(const std::vector<float>& mean,
                                                                  const std::vector<float>& stdDev) const {
    GatedWeights folded = weights_.withNormalisedInput(mean, stdDev);
    return std::make_unique<GruLayer>(std::move(folded.weightIh), std::move(folded.weightHh), std::move(folded.biasIh),
                                     std::move(folded.biasHh));
}

} // namespace gs
