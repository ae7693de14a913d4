#include "dense_layer.h"

#include "kernels/packed_gru.h"

#include <stdexcept>

namespace gs {

DenseLayer::DenseLayer(Eigen::MatrixXf weight, Eigen::VectorXf bias, Activation activation)
    : weight_(std::move(weight)), bias_(std::move(bias)), activation_(activation),
      // The kernel's vector, not the state's 16-float padding: an AVX2 head over H8 reads one
      // vector, not two (the second all padding), and over H12 on a Zen 1 three 4-float ones.
      kernelIsa_(kernelIsaForSize(static_cast<int>(weight_.cols()))),
      stride_(roundUpToMultiple(static_cast<int>(weight_.cols()), kernelVectorFloats(kernelIsa_))),
      packed_(static_cast<std::size_t>(weight_.rows()) * static_cast<std::size_t>(stride_)),
      rows_(selectDenseRows(kernelIsa_)) {
    if (weight_.rows() < 1 || weight_.cols() < 1 || bias_.size() != weight_.rows())
        throw std::invalid_argument("DenseLayer: weight and bias shapes disagree");
    for (Eigen::Index o = 0; o < weight_.rows(); ++o)
        for (Eigen::Index i = 0; i < weight_.cols(); ++i)
            packed_[static_cast<std::size_t>(o * stride_ + i)] = weight_(o, i);
}

void DenseLayer::apply(const float* input, float* output) const noexcept {
    Eigen::Map<const Eigen::VectorXf> x(input, weight_.cols());
    Eigen::Map<Eigen::VectorXf> y(output, weight_.rows());
    y.noalias() = weight_ * x;
    y += bias_;
    if (activation_ != Activation::None) applyActivation(activation_, output, outputSize());
}

void DenseLayer::applyPadded(const float* input, float* output) const noexcept {
    rows_(packed_.data(), bias_.data(), outputSize(), stride_, input, output);
    // No call at all for the common linear head: it runs once per sample.
    if (activation_ != Activation::None) applyActivation(activation_, output, outputSize());
}

}  // namespace gs
