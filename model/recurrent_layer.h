#pragma once
// The interface every recurrent cell kind implements (GRU and LSTM, each on SIMD kernels).
// A layer holds immutable weights only. Its state lives outside, in a float array of
// stateSize() values owned by ModelState, whose first outputSize() values are the layer's
// output (h). This keeps one model usable by many channels and threads at once.

#include <memory>
#include <string>
#include <vector>

namespace gs {

class RecurrentLayer {
public:
    virtual ~RecurrentLayer() = default;

    virtual const char* typeName() const noexcept = 0;  // "gru"
    virtual int inputSize() const noexcept = 0;
    virtual int hiddenSize() const noexcept = 0;
    virtual int outputSize() const noexcept = 0;  // values of the state that are h
    virtual int stateSize() const noexcept = 0;
    // Floats of workspace step() may use. Each stream (ModelState) gives each layer its own,
    // kept between that stream's steps, so a layer may keep a hint there that only its speed
    // depends on (GruLayer: which tile order comes next), never anything its numbers do.
    virtual int scratchSize() const noexcept = 0;
    virtual long parameterCount() const noexcept = 0;

    // audio thread: advance one time step. input has inputSize() values, state stateSize(),
    // scratch scratchSize(). Never allocates.
    virtual void step(const float* input, float* state, float* scratch) const noexcept = 0;

    // audio thread: the same step when input is a GRU or LSTM layer's state (padded to whole
    // SIMD vectors, written by vector stores), which a kernel may read in vectors.
    virtual void stepPaddedInput(const float* input, float* state, float* scratch) const noexcept {
        step(input, state, scratch);
    }
    // audio thread: one step of two independent streams (two channels) of this layer; the
    // same numbers as two step() calls (stepPaddedInput() when paddedInput), which is what
    // this default does. A layer may do both at once, loading its weights once.
    virtual void stepPair(const float* input0, const float* input1, float* state0, float* state1,
                          float* scratch0, float* scratch1, bool paddedInput) const noexcept {
        if (paddedInput) {
            stepPaddedInput(input0, state0, scratch0);
            stepPaddedInput(input1, state1, scratch1);
        } else {
            step(input0, state0, scratch0);
            step(input1, state1, scratch1);
        }
    }
    // True when the state is padded for the SIMD kernels (GRU and LSTM), see stepPaddedInput.
    virtual bool hasPaddedState() const noexcept { return false; }

    // The same layer taking raw inputs x where this one takes (x - mean) / stdDev: the
    // normalisation folded into the input weights and biases (exact up to rounding, free at
    // run time). Both vectors have inputSize() values; stdDev > 0.
    virtual std::unique_ptr<const RecurrentLayer>
    withNormalisedInput(const std::vector<float>& mean, const std::vector<float>& stdDev) const = 0;
};

}  // namespace gs
