#pragma once
// The weights of a gated recurrent cell in torch's layout: gate blocks stacked in rows,
// weight_ih (G*H x inputs), weight_hh (G*H x H), bias_ih and bias_hh (G*H). GRU has G = 3,
// LSTM G = 4. Shared so each cell kind holds only its own maths.

#include <Eigen/Core>

#include <stdexcept>
#include <string>
#include <vector>

namespace gs {

struct GatedWeights {
    // Throws std::invalid_argument when the shapes are not those of `gates` gate blocks.
    GatedWeights(Eigen::MatrixXf ih, Eigen::MatrixXf hh, Eigen::VectorXf bIh, Eigen::VectorXf bHh,
                 int gates, const char* kind)
        : weightIh(std::move(ih)), weightHh(std::move(hh)), biasIh(std::move(bIh)),
          biasHh(std::move(bHh)) {
        const Eigen::Index rows = gates * weightHh.cols();
        if (weightHh.cols() < 1 || weightHh.rows() != rows || weightIh.rows() != rows ||
            weightIh.cols() < 1 || biasIh.size() != rows || biasHh.size() != rows)
            throw std::invalid_argument(std::string(kind) +
                                        ": weight shapes do not describe this cell");
    }

    int inputSize() const noexcept { return static_cast<int>(weightIh.cols()); }
    int hiddenSize() const noexcept { return static_cast<int>(weightHh.cols()); }
    long parameterCount() const noexcept {
        return static_cast<long>(weightIh.size() + weightHh.size() + biasIh.size() + biasHh.size());
    }

    // W' = W diag(1 / s), b' = b - W (m / s): the weights that take raw x where these take
    // (x - m) / s.
    GatedWeights withNormalisedInput(const std::vector<float>& mean,
                                     const std::vector<float>& stdDev) const {
        GatedWeights folded = *this;
        for (Eigen::Index i = 0; i < weightIh.cols(); ++i) {
            const auto c = static_cast<std::size_t>(i);
            folded.weightIh.col(i) = weightIh.col(i) / stdDev[c];
            folded.biasIh -= weightIh.col(i) * (mean[c] / stdDev[c]);
        }
        return folded;
    }

    Eigen::MatrixXf weightIh;
    Eigen::MatrixXf weightHh;
    Eigen::VectorXf biasIh;
    Eigen::VectorXf biasHh;
};

}  // namespace gs
