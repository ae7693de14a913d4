#pragma once
// A fully connected layer: y = activation(W x + b), W is outputSize x inputSize.

#include "activation.h"
#include "kernels/aligned_buffer.h"
#include "kernels/gru_kernels.h"

#include <Eigen/Core>

namespace gs {

class DenseLayer {
public:
    // Throws std::invalid_argument when the shapes disagree.
    DenseLayer(Eigen::MatrixXf weight, Eigen::VectorXf bias, Activation activation);

    int inputSize() const noexcept { return static_cast<int>(weight_.cols()); }
    int outputSize() const noexcept { return static_cast<int>(weight_.rows()); }
    Activation activation() const noexcept { return activation_; }
    long parameterCount() const noexcept {
        return static_cast<long>(weight_.size() + bias_.size());
    }

    // audio thread: input has inputSize() values, output outputSize(); they must not overlap.
    void apply(const float* input, float* output) const noexcept;
    // audio thread: the same through the SIMD kernel, for an input readable to
    // paddedInputSize() values with finite values past inputSize() (a layer's padded state).
    void applyPadded(const float* input, float* output) const noexcept;
    int paddedInputSize() const noexcept { return stride_; }
    // The rows applyPadded reads: outputSize() rows of paddedInputSize() values, zero past
    // inputSize() (a fused kernel may read them instead, GruLayer::stepPairWithHead).
    const float* paddedWeights() const noexcept { return packed_.data(); }
    KernelIsa kernelIsa() const noexcept { return kernelIsa_; }  // the kernel applyPadded runs

    const Eigen::MatrixXf& weight() const noexcept { return weight_; }
    const Eigen::VectorXf& bias() const noexcept { return bias_; }

private:
    Eigen::MatrixXf weight_;
    Eigen::VectorXf bias_;
    Activation activation_;
    KernelIsa kernelIsa_;  // kernelIsaForSize(inputSize())
    // inputSize() rounded up to the kernel's vector (at most the state's padding)
    int stride_;
    AlignedBuffer packed_;  // rows of stride_ values, zero past inputSize()
    DenseRowsFn rows_;
};

}  // namespace gs
