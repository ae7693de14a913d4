#include "gru_layer.h"


namespace gs {

GruLayer::GruLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
                   Eigen::VectorXf biasHh)
    : weights_(std::move(weightIh), std::move(weightHh), std::move(biasIh), std::move(biasHh), 3, "GruLayer"),
      packed_(weights_), step_(selectGruStep(weights_.hiddenSize(), false)),
      stepPaddedInput_(selectGruStep(weights_.hiddenSize(), true)) {}

void GruLayer::step(const float* input, float* state, float* scratch) const noexcept {
    step_(packed_, input, state, scratch);
}

void GruLayer::stepPaddedInput(const float* input, float* state, float* scratch) const noexcept {
    stepPaddedInput_(packed_, input, state, scratch);
}

std::unique_ptr<const RecurrentLayer> GruLayer::withNormalisedInput(const std::vector<float>& mean,
                                                                  const std::vector<float>& stdDev) const {
    GatedWeights folded = weights_.withNormalisedInput(mean, stdDev);
    return std::make_unique<GruLayer>(std::move(folded.weightIh), std::move(folded.weightHh), std::move(folded.biasIh),
                                     std::move(folded.biasHh));
}

} // namespace gs
