#pragma once
// Small models built in code for unit tests, with seeded random weights.

#include "model/gru_layer.h"
#include "model/lstm_layer.h"
#include "model/recurrent_model.h"

#include <cmath>
#include <memory>
#include <random>

namespace gs::test {

inline Eigen::MatrixXf randomMatrix(std::mt19937& rng, int rows, int cols, float scale = 0.5f) {
    std::uniform_real_distribution<float> uniform(-scale, scale);
    Eigen::MatrixXf m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = uniform(rng);
    return m;
}

inline Eigen::VectorXf randomVector(std::mt19937& rng, int size, float scale = 0.5f) {
    return randomMatrix(rng, size, 1, scale);
}

// Weights for comparing float kernels with double references, or instruction sets with each
// other, over hundreds of steps: torch's initial scale 1/sqrt(H) for the large sizes. At 0.5
// a 200-unit GRU is chaotic, and float and double part ways (1.8 apart after 200 steps,
// measured); an LSTM of 128 drifts to 7e-6.
inline float weightScale(int hidden) {
    return hidden > 100 ? 1.0f / std::sqrt(static_cast<float>(hidden)) : 0.5f;
}

inline std::unique_ptr<GruLayer> randomGru(std::mt19937& rng, int inputs, int hidden,
                                           float scale = 0.5f) {
    return std::make_unique<GruLayer>(
        randomMatrix(rng, 3 * hidden, inputs, scale), randomMatrix(rng, 3 * hidden, hidden, scale),
        randomVector(rng, 3 * hidden, scale), randomVector(rng, 3 * hidden, scale));
}

// GRU stack -> Dense(outputs) with the given skip.
inline std::shared_ptr<RecurrentModel> randomModel(unsigned seed, int inputs, int hidden,
                                                   int layers, int outputs = 1, int skip = 0,
                                                   Activation activation = Activation::None,
                                                   ModelTask task = ModelTask::Effect,
                                                   double sampleRate = 48000.0) {
    std::mt19937 rng(seed);
    std::vector<std::unique_ptr<const RecurrentLayer>> stack;
    stack.reserve(static_cast<std::size_t>(layers));
    for (int i = 0; i < layers; ++i)
        stack.push_back(randomGru(rng, i == 0 ? inputs : hidden, hidden));
    DenseLayer head(randomMatrix(rng, outputs, hidden), randomVector(rng, outputs), activation);
    ModelInfo info;
    info.task = task;
    info.sampleRate = sampleRate;
    for (int i = 0; i < inputs; ++i) info.inputNames.push_back("in" + std::to_string(i));
    for (int i = 0; i < outputs; ++i) info.outputNames.push_back("out" + std::to_string(i));
    info.metadata = {{"name", "test model"}, {"author", "tests"}};
    return std::make_shared<RecurrentModel>(std::move(stack), std::move(head), skip,
                                            std::move(info));
}

// LSTM stack -> linear Dense(outputs), no skip, 48 kHz effect.
inline std::shared_ptr<RecurrentModel> randomLstmModel(unsigned seed, int inputs, int hidden,
                                                       int layers, int outputs = 1,
                                                       float scale = 0.5f) {
    std::mt19937 rng(seed);
    std::vector<std::unique_ptr<const RecurrentLayer>> stack;
    stack.reserve(static_cast<std::size_t>(layers));
    for (int i = 0; i < layers; ++i)
        stack.push_back(std::make_unique<LstmLayer>(
            randomMatrix(rng, 4 * hidden, i == 0 ? inputs : hidden, scale),
            randomMatrix(rng, 4 * hidden, hidden, scale), randomVector(rng, 4 * hidden, scale),
            randomVector(rng, 4 * hidden, scale)));
    DenseLayer head(randomMatrix(rng, outputs, hidden), randomVector(rng, outputs),
                    Activation::None);
    return std::make_shared<RecurrentModel>(std::move(stack), std::move(head), 0, ModelInfo{});
}

// A 1-in/1-out model whose output is exactly its input: zero head, skip 1.
inline std::shared_ptr<RecurrentModel> identityModel(double sampleRate = 48000.0) {
    std::mt19937 rng(1);
    std::vector<std::unique_ptr<const RecurrentLayer>> stack;
    stack.push_back(randomGru(rng, 1, 4));
    DenseLayer head(Eigen::MatrixXf::Zero(1, 4), Eigen::VectorXf::Zero(1), Activation::None);
    ModelInfo info;
    info.sampleRate = sampleRate;
    return std::make_shared<RecurrentModel>(std::move(stack), std::move(head), 1, std::move(info));
}

}  // namespace gs::test
