#pragma once
// A model: a stack of recurrent layers, a Dense head and an optional residual skip
// (output[c] += input[c] for the first `skip` channels, added after the head's activation,
// the convention of amp-modelling trainers). Immutable once built, so one instance can be
// shared by any number of channels and threads; the per-stream memory is a ModelState.

#include "dense_layer.h"
#include "kernels/aligned_buffer.h"
#include "model_info.h"
#include "recurrent_layer.h"

#include <memory>
#include <vector>

namespace gs {

class GruLayer;
class ModelState;

class RecurrentModel {
public:
    // Throws std::invalid_argument when the layers do not chain or number more than
    // limits::maxRecurrentLayers (loaders validate first and report ModelError; this guards
    // programmatic construction).
    RecurrentModel(std::vector<std::unique_ptr<const RecurrentLayer>> layers, DenseLayer head,
                   int skip, ModelInfo info);

    int inputSize() const noexcept { return layers_.front()->inputSize(); }
    int outputSize() const noexcept { return head_.outputSize(); }
    int skip() const noexcept { return skip_; }
    const ModelInfo& info() const noexcept { return info_; }
    const std::vector<std::unique_ptr<const RecurrentLayer>>& layers() const noexcept {
        return layers_;
    }
    const DenseLayer& head() const noexcept { return head_; }
    long parameterCount() const noexcept;

    // Sizes a ModelState needs, in floats (each layer's state, and each layer's own scratch,
    // rounded up to 16).
    int stateSize() const noexcept;
    int scratchSize() const noexcept;

    // audio thread: one time step. input has inputSize() values, output outputSize(), not
    // overlapping input; state must have been made for this model. Never allocates. Where
    // processFrames runs its frames in one kernel and there is no skip, a frame is a run of one
    // (the same numbers as layer by layer).
    void processFrame(const float* input, float* output, ModelState& state) const noexcept;
    // audio thread: `frames` consecutive time steps of one stream, frame k at input +
    // k x inputSize() and its output at output + k x outputSize(): what processFrame gives,
    // frame by frame. Outputs must not overlap inputs (as processFramesPair's). A GRU alone in
    // its model with one input and a linear head of one output, at a size with one vector per
    // gate (AVX-512 H12-16, AVX2 H8), runs the whole call in one kernel (GruLayer::runWithHead;
    // runsFramesInKernel() says whether).
    void processFrames(const float* input, float* output, int frames,
                       ModelState& state) const noexcept;
    // audio thread: `frames` consecutive time steps of two independent streams (two audio
    // channels) at once, frame k at input0 + k x inputSize() and its output at output0 +
    // k x outputSize(); each stream gets exactly what processFrame gives it. The states must
    // differ, and outputs must not overlap inputs (a skip adds the input after the head has
    // written the output). Each layer's states and scratch are looked up once per call; where
    // the last layer can, it computes the head in the same kernel (GruLayer::stepPairWithHead),
    // and where it does so at a size with one vector per gate, a GRU alone runs the whole call
    // in one kernel, as processFrames does (GruLayer::runPairWithHead;
    // runsPairFramesInKernel()); so does one at AVX-512's H24-48 and AVX2's H12-16 (where the
    // GRU runs on that instruction set, kernelIsaForSize, and the CPU runs its vectors whole),
    // with one stream half a step ahead of the other.
    void processFramesPair(const float* input0, const float* input1, float* output0, float* output1,
                           int frames, ModelState& state0, ModelState& state1) const noexcept;
    // Whether processFramesPair computes the head inside the last layer's pair kernel.
    bool fusesPairHead() const noexcept { return pairHeadLayer_ != nullptr; }
    // Whether processFrames (processFramesPair) runs its frames in one kernel call.
    bool runsFramesInKernel() const noexcept { return runLayer_ != nullptr; }
    bool runsPairFramesInKernel() const noexcept { return runPairLayer_ != nullptr; }

private:
    // output[c] += input[c] for the skip channels of `frames` frames.
    void addSkip(const float* input, float* output, int frames) const noexcept;
    // processFrame for every other model: each layer's step, then the head. Apart (and never
    // inlined), so that a run kernel's frame (one sample at a time, the common effect) does not
    // save and restore the registers this loop needs.
    [[gnu::noinline]] void processFrameLayerByLayer(const float* input, float* output,
                                                    ModelState& state) const noexcept;

    std::vector<std::unique_ptr<const RecurrentLayer>> layers_;
    DenseLayer head_;
    int skip_;
    ModelInfo info_;
    // The last layer when it computes the head too in stereo (GruLayer::fusesPairHead), else
    // nullptr.
    const GruLayer* pairHeadLayer_ = nullptr;
    // The layer when it is the only one and runs frames with the head in one kernel
    // (GruLayer::runsWithHead, runsPairWithHead), else nullptr.
    const GruLayer* runLayer_ = nullptr;
    const GruLayer* runPairLayer_ = nullptr;
    bool headReadsPadded_ = false;  // the last layer's state is padded for the kernels (GRU, LSTM)
    // Per layer: its input is the previous layer's padded state (decided once, not per sample).
    std::vector<char> inputIsPaddedState_;
};

// The hidden state of every layer for one stream (one audio channel), plus workspace.
// Allocates in its constructor only.
class ModelState {
public:
    explicit ModelState(const RecurrentModel& model);

    // audio thread
    void reset() noexcept;
    // audio thread: false when any state value is NaN or infinite.
    bool isFinite() const noexcept;

    float* layerState(std::size_t layer) noexcept { return states_.data() + offsets_[layer]; }
    const float* layerState(std::size_t layer) const noexcept {
        return states_.data() + offsets_[layer];
    }
    // Layer `layer`'s workspace, its scratchSize() floats, kept between steps (RecurrentLayer).
    float* layerScratch(std::size_t layer) noexcept {
        return scratch_.data() + scratchOffsets_[layer];
    }
    // Every layer's state, stateSize() floats in all (padding included, always 0).
    const float* data() const noexcept { return states_.data(); }
    std::size_t size() const noexcept { return states_.size(); }
    std::size_t layerCount() const noexcept { return offsets_.size(); }

private:
    // 64-byte aligned, each layer's state starting on a 16-float boundary: the kernels' vector
    // loads and stores then never straddle cache lines.
    AlignedBuffer states_;
    std::vector<std::size_t> offsets_;
    AlignedBuffer scratch_;
    std::vector<std::size_t> scratchOffsets_;
};

}  // namespace gs
