#include "recurrent_model.h"

#include "gru_layer.h"
#include "kernels/packed_gru.h"

#include "model_limits.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <stdexcept>
#include <string>

namespace gs {
namespace {

// Names for inputs or outputs that a file or caller left unnamed: "audio" for the single
// channel of an effect, else "input 1", "input 2", ...
std::vector<std::string> defaultNames(ModelTask task, const char* stem, int count) {
    if (task == ModelTask::Effect && count == 1) return {"audio"};
    std::vector<std::string> names;
    for (int i = 1; i <= count; ++i) names.push_back(std::string(stem) + " " + std::to_string(i));
    return names;
}

}  // namespace

RecurrentModel::RecurrentModel(std::vector<std::unique_ptr<const RecurrentLayer>> layers,
                               DenseLayer head, int skip, ModelInfo info)
    : layers_(std::move(layers)), head_(std::move(head)), skip_(skip), info_(std::move(info)) {
    if (layers_.empty()) throw std::invalid_argument("RecurrentModel: needs a recurrent layer");
    if (layers_.size() > static_cast<std::size_t>(limits::maxRecurrentLayers))
        throw std::invalid_argument("RecurrentModel: more than " +
                                    std::to_string(limits::maxRecurrentLayers) + " layers");
    headReadsPadded_ = layers_.back()->hasPaddedState();
    inputIsPaddedState_.assign(layers_.size(), 0);
    for (std::size_t i = 1; i < layers_.size(); ++i)
        inputIsPaddedState_[i] = layers_[i - 1]->hasPaddedState() ? 1 : 0;
    for (std::size_t i = 1; i < layers_.size(); ++i)
        if (layers_[i]->inputSize() != layers_[i - 1]->outputSize())
            throw std::invalid_argument("RecurrentModel: layer " + std::to_string(i) +
                                        " does not take the previous layer's output");
    if (head_.inputSize() != layers_.back()->outputSize())
        throw std::invalid_argument("RecurrentModel: head does not take the last layer's output");
    if (skip_ < 0 || skip_ > std::min(inputSize(), outputSize()))
        throw std::invalid_argument("RecurrentModel: skip exceeds the input or output size");
    if (info_.inputNames.empty()) info_.inputNames = defaultNames(info_.task, "input", inputSize());
    if (info_.outputNames.empty())
        info_.outputNames = defaultNames(info_.task, "output", outputSize());
    if (info_.inputNames.size() != static_cast<std::size_t>(inputSize()) ||
        info_.outputNames.size() != static_cast<std::size_t>(outputSize()))
        throw std::invalid_argument("RecurrentModel: one name per input and per output");
    // A GRU's own questions rather than RecurrentLayer virtuals: only GruLayer has such
    // kernels, and the calls are then direct.
    if (const auto* gru = dynamic_cast<const GruLayer*>(layers_.back().get())) {
        if (gru->fusesPairHead(head_)) pairHeadLayer_ = gru;
        if (layers_.size() == 1 && gru->runsWithHead(head_)) runLayer_ = gru;
        if (layers_.size() == 1 && gru->runsPairWithHead(head_)) runPairLayer_ = gru;
    }
}

long RecurrentModel::parameterCount() const noexcept {
    long count = head_.parameterCount();
    for (const auto& layer : layers_) count += layer->parameterCount();
    return count;
}

int RecurrentModel::stateSize() const noexcept {
    int size = 0;
    // aligned starts
    for (const auto& layer : layers_) size += PackedGru::paddedSize(layer->stateSize());
    return size;
}

int RecurrentModel::scratchSize() const noexcept {
    int size = 0;
    // one per layer
    for (const auto& layer : layers_) size += PackedGru::paddedSize(layer->scratchSize());
    return size;
}

void RecurrentModel::processFrame(const float* input, float* output,
                                  ModelState& state) const noexcept {
    // Nothing follows either call, so neither path saves registers: adding the skip here after
    // the kernel cost every other model 14 instructions per frame (callgrind). A model with a
    // skip goes layer by layer, which gives the same numbers.
    if (runLayer_ != nullptr && skip_ == 0)
        return runLayer_->runWithHead(input, 1, state.layerState(0), state.layerScratch(0), head_,
                                      output);
    processFrameLayerByLayer(input, output, state);
}

void RecurrentModel::processFrameLayerByLayer(const float* input, float* output,
                                              ModelState& state) const noexcept {
    const float* layerInput = input;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        float* layerState = state.layerState(i);
        if (inputIsPaddedState_[i])
            layers_[i]->stepPaddedInput(layerInput, layerState, state.layerScratch(i));
        else
            layers_[i]->step(layerInput, layerState, state.layerScratch(i));
        layerInput = layerState;  // h is the first outputSize() values of the state
    }
    if (headReadsPadded_)
        head_.applyPadded(layerInput, output);
    else
        head_.apply(layerInput, output);
    for (int c = 0; c < skip_; ++c) output[c] += input[c];
}

void RecurrentModel::addSkip(const float* input, float* output, int frames) const noexcept {
    const int inputs = inputSize(), outputs = outputSize();
    for (int k = 0; k < frames; ++k)
        for (int c = 0; c < skip_; ++c) output[k * outputs + c] += input[k * inputs + c];
}

void RecurrentModel::processFrames(const float* input, float* output, int frames,
                                   ModelState& state) const noexcept {
    if (runLayer_ != nullptr) {
        runLayer_->runWithHead(input, frames, state.layerState(0), state.layerScratch(0), head_,
                               output);
        addSkip(input, output, frames);
        return;
    }
    for (int k = 0; k < frames; ++k)
        processFrame(input + k * inputSize(), output + k * outputSize(), state);
}

void RecurrentModel::processFramesPair(const float* input0, const float* input1, float* output0,
                                       float* output1, int frames, ModelState& state0,
                                       ModelState& state1) const noexcept {
    assert(&state0 != &state1);  // the pair kernels take each channel's state as __restrict
    if (runPairLayer_ != nullptr) {
        runPairLayer_->runPairWithHead(input0, input1, frames, state0.layerState(0),
                                       state1.layerState(0), state0.layerScratch(0),
                                       state1.layerScratch(0), head_, output0, output1);
        addSkip(input0, output0, frames);
        addSkip(input1, output1, frames);
        return;
    }
    // Each layer's two states and scratches, looked up once per call rather than per frame
    // (what that saves a stereo stream: docs/benchmarks.md, twelfth session).
    struct LayerPair {
        const RecurrentLayer* layer;
        float* state0;
        float* state1;
        float* scratch0;
        float* scratch1;
        bool paddedInput;
    };
    std::array<LayerPair, limits::maxRecurrentLayers> pairs;
    const std::size_t layers = layers_.size();
    for (std::size_t i = 0; i < layers; ++i)
        pairs[i] = {layers_[i].get(),       state0.layerState(i),   state1.layerState(i),
                    state0.layerScratch(i), state1.layerScratch(i), inputIsPaddedState_[i] != 0};
    // The layers stepped here; a fused head's layer is stepped with the head below.
    const std::size_t stepped = pairHeadLayer_ != nullptr ? layers - 1 : layers;
    const int inputs = inputSize(), outputs = outputSize();
    for (int k = 0; k < frames; ++k) {
        float* y0 = output0 + k * outputs;
        float* y1 = output1 + k * outputs;
        const float* in0 = input0 + k * inputs;
        const float* in1 = input1 + k * inputs;
        for (std::size_t i = 0; i < stepped; ++i) {
            const LayerPair& p = pairs[i];
            p.layer->stepPair(in0, in1, p.state0, p.state1, p.scratch0, p.scratch1, p.paddedInput);
            in0 = p.state0;
            in1 = p.state1;
        }
        if (pairHeadLayer_ != nullptr) {
            const LayerPair& p = pairs[layers - 1];
            pairHeadLayer_->stepPairWithHead(in0, in1, p.state0, p.state1, p.scratch0, p.scratch1,
                                             p.paddedInput, head_, y0, y1);
        } else if (headReadsPadded_) {
            head_.applyPadded(in0, y0);
            head_.applyPadded(in1, y1);
        } else {
            head_.apply(in0, y0);
            head_.apply(in1, y1);
        }
    }
    addSkip(input0, output0, frames);
    addSkip(input1, output1, frames);
}

ModelState::ModelState(const RecurrentModel& model)
    : states_(static_cast<std::size_t>(model.stateSize())),
      scratch_(static_cast<std::size_t>(model.scratchSize())) {
    std::size_t offset = 0, scratchOffset = 0;
    for (const auto& layer : model.layers()) {
        offsets_.push_back(offset);
        offset += static_cast<std::size_t>(PackedGru::paddedSize(layer->stateSize()));
        scratchOffsets_.push_back(scratchOffset);
        scratchOffset += static_cast<std::size_t>(PackedGru::paddedSize(layer->scratchSize()));
    }
}

void ModelState::reset() noexcept {
    std::fill(states_.data(), states_.data() + states_.size(), 0.0f);
}

bool ModelState::isFinite() const noexcept {
    return std::all_of(states_.data(), states_.data() + states_.size(),
                       [](float v) { return std::isfinite(v); });
}

}  // namespace gs
