#include "dense_layer.h"

#include <stdexcept>

namespace gs {

DenseLayer::DenseLayer(Eigen::MatrixXf weight, Eigen::VectorXf bias, Activation activation)
    : weight_(std::move(weight)), bias_(std::move(bias)), activation_(activation) {
    if (weight_.rows() < 1 || weight_.cols() < 1 || bias_.size() != weight_.rows())
        throw std::invalid_argument("DenseLayer: weight and bias shapes disagree");
}

void DenseLayer::apply(const float* input, float* output) const noexcept {
    Eigen::Map<const Eigen::VectorXf> x(input, weight_.cols());
    Eigen::Map<Eigen::VectorXf> y(output, weight_.rows());
    y.noalias() = weight_ * x;
    y += bias_;
    applyActivation(activation_, output, outputSize());
}

} // namespace gs
