#pragma once
// The baselines GruStream's kernels are measured against, in the same run:
//   - plain loops (model/kernels/gru_reference.h, the readable spec);
//   - a straightforward dynamic-size Eigen step (what GruLayer ran before the kernels).
// Both run GRU(1->H) + Dense(H->1) one sample at a time.

#include "model/gru_layer.h"
#include "model/kernels/gru_reference.h"
#include "model/recurrent_model.h"

#include <Eigen/Core>

#include <vector>

namespace gs::bench {

inline void gruEigenStep(const GatedWeights& w, const float* input, float* state,
                         float* scratch) noexcept {
    const Eigen::Index hidden = w.weightHh.cols();
    Eigen::Map<const Eigen::VectorXf> x(input, w.weightIh.cols());
    Eigen::Map<Eigen::VectorXf> h(state, hidden);
    Eigen::Map<Eigen::VectorXf> inputGates(scratch, 3 * hidden);
    Eigen::Map<Eigen::VectorXf> hiddenGates(scratch + 3 * hidden, 3 * hidden);
    inputGates.noalias() = w.weightIh * x;
    inputGates += w.biasIh;
    hiddenGates.noalias() = w.weightHh * h;
    hiddenGates += w.biasHh;
    for (Eigen::Index j = 0; j < hidden; ++j) {
        const float r = 1.0f / (1.0f + std::exp(-(inputGates[j] + hiddenGates[j])));
        const float z =
            1.0f / (1.0f + std::exp(-(inputGates[hidden + j] + hiddenGates[hidden + j])));
        const float n = std::tanh(inputGates[2 * hidden + j] + r * hiddenGates[2 * hidden + j]);
        h[j] = n + z * (h[j] - n);
    }
}

enum class Baseline { PlainLoops, DynamicEigen };

// A one-layer GRU model run by a baseline step, sample by sample.
class BaselineRunner {
public:
    BaselineRunner(const RecurrentModel& model, Baseline kind)
        : weights_(static_cast<const GruLayer&>(*model.layers()[0]).weights()), head_(model.head()),
          kind_(kind), h_(static_cast<std::size_t>(weights_.hiddenSize()), 0.0f),
          scratch_(6 * static_cast<std::size_t>(weights_.hiddenSize()), 0.0f) {}

    float processSample(float x) noexcept {
        if (kind_ == Baseline::PlainLoops)
            gruReferenceStep(weights_, &x, h_.data(), scratch_.data());
        else
            gruEigenStep(weights_, &x, h_.data(), scratch_.data());
        float y = 0.0f;
        head_.apply(h_.data(), &y);
        return y;
    }

private:
    const GatedWeights& weights_;
    const DenseLayer& head_;
    Baseline kind_;
    std::vector<float> h_, scratch_;
};

}  // namespace gs::bench
