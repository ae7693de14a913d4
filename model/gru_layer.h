#pragma once
// A GRU layer with torch.nn.GRU semantics and weight layout (gates stacked r, z, n):
//
//   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
//   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))     reset applied after the recurrent matmul
//   h' = (1 - z) * n + z * h
//
// Files in Keras/RTNeural order (z, r, h) are reordered by their reader before they get here.
// step() runs the SIMD kernel chosen for this CPU and hidden size (kernels/gru_kernels.h:
// kernelIsaForSize, then the compile-time size if there is one);
// the state holds H rounded up to 16 values, the ones past H always 0.

#include "gated_weights.h"
#include "kernels/gru_kernels.h"
#include "kernels/packed_gru.h"
#include "recurrent_layer.h"

#include <Eigen/Core>

namespace gs {

class DenseLayer;

class GruLayer final : public RecurrentLayer {
public:
    // weightIh: 3H x inputSize, weightHh: 3H x H, biases: 3H; rows in r, z, n order.
    // Throws std::invalid_argument when the shapes disagree.
    GruLayer(Eigen::MatrixXf weightIh, Eigen::MatrixXf weightHh, Eigen::VectorXf biasIh,
             Eigen::VectorXf biasHh);

    const char* typeName() const noexcept override { return "gru"; }
    int inputSize() const noexcept override { return weights_.inputSize(); }
    int hiddenSize() const noexcept override { return weights_.hiddenSize(); }
    int outputSize() const noexcept override { return hiddenSize(); }
    int stateSize() const noexcept override { return packed_.paddedHidden; }
    // The kernels' workspace, then one float: the stream's tile-order turn (runStep).
    int scratchSize() const noexcept override { return turnSlot() + 1; }
    long parameterCount() const noexcept override { return weights_.parameterCount(); }

    void step(const float* input, float* state, float* scratch) const noexcept override;
    void stepPaddedInput(const float* input, float* state, float* scratch) const noexcept override;
    void stepPair(const float* input0, const float* input1, float* state0, float* state1,
                  float* scratch0, float* scratch1, bool paddedInput) const noexcept override;
    bool hasPaddedState() const noexcept override { return true; }

    // Whether stepPairWithHead serves `head` after this layer: a linear head of one output
    // whose padded row is one of this layer's kernel vectors, at a size with a pair kernel
    // (AVX-512 H12-16, AVX2 H8: models put H8 on AVX2), where the head is a sizeable part of a
    // stereo frame.
    bool fusesPairHead(const DenseLayer& head) const noexcept;
    // audio thread: stepPair, then head.applyPadded on each new state into output0 and
    // output1, with the same numbers, in one kernel; only where fusesPairHead(head).
    void stepPairWithHead(const float* input0, const float* input1, float* state0, float* state1,
                          float* scratch0, float* scratch1, bool paddedInput,
                          const DenseLayer& head, float* output0, float* output1) const noexcept;

    // Whether runWithHead (runPairWithHead) serves `head` after this layer: one input, a
    // linear head of one output as fusesPairHead says, and one vector per gate (AVX-512 H12-16,
    // AVX2 H8; the pair's where the pair kernel is chosen); for the pair also the staggered
    // kernel's sizes (AVX-512 H24-48, AVX2 H12-16, where the layer runs on that instruction set
    // and the CPU runs its vectors whole: selectGruRunPairHead).
    bool runsWithHead(const DenseLayer& head) const noexcept;
    bool runsPairWithHead(const DenseLayer& head) const noexcept;
    // audio thread: `frames` steps of a layer alone in its model, input[k] its input and
    // output[k] the head's output at step k; the numbers step() and head.applyPadded give, with
    // h kept in a register between frames (kernels/gru_run_kernel_impl.h). Only where
    // runsWithHead(head). Outputs must not overlap inputs.
    void runWithHead(const float* input, int frames, float* state, float* scratch,
                     const DenseLayer& head, float* output) const noexcept;
    // audio thread: the same for two streams (at several vectors per gate with one half a step
    // ahead of the other, h in memory); only where runsPairWithHead(head).
    void runPairWithHead(const float* input0, const float* input1, int frames, float* state0,
                         float* state1, float* scratch0, float* scratch1, const DenseLayer& head,
                         float* output0, float* output1) const noexcept;

    std::unique_ptr<const RecurrentLayer>
    withNormalisedInput(const std::vector<float>& mean,
                        const std::vector<float>& stdDev) const override;
    const GatedWeights& weights() const noexcept { return weights_; }
    KernelIsa kernelIsa() const noexcept { return kernelIsa_; }  // the kernels its steps run
    // Whether its steps take turns between two tile orders (weights that outgrow L1).
    bool alternatesTileOrder() const noexcept { return stepReversed_ != nullptr; }
    // Whether stepPair takes both channels through one pair kernel (selectGruStepPair), not
    // two single steps.
    bool stepsPairsTogether() const noexcept {
        return stepPair_ != nullptr && stepPairPaddedInput_ != nullptr;
    }
    const Eigen::MatrixXf& weightIh() const noexcept { return weights_.weightIh; }
    const Eigen::MatrixXf& weightHh() const noexcept { return weights_.weightHh; }
    const Eigen::VectorXf& biasIh() const noexcept { return weights_.biasIh; }
    const Eigen::VectorXf& biasHh() const noexcept { return weights_.biasHh; }

private:
    // Whether `head` is linear with one output over this layer's h, packed as its kernels
    // pack a vector (the fused kernels read its padded row as one).
    bool headFitsKernels(const DenseLayer& head) const noexcept;
    // Where in scratch the stream's turn is kept: past what the kernels use.
    int turnSlot() const noexcept { return gruScratchPerPaddedHidden * packed_.paddedHidden; }
    // audio thread: whether this stream's step takes the reversed tile order; flips its turn.
    // Any value there is a valid turn: only the speed depends on it.
    bool takeReversedTurn(float* scratch) const noexcept;
    // audio thread: one step, in the stream's turn of tile order where `reversed` exists.
    void runStep(GruStepFn forward, GruStepFn reversed, const float* input, float* state,
                 float* scratch) const noexcept;

    GatedWeights weights_;  // torch layout: what files and parameter counts see
    KernelIsa kernelIsa_;   // kernelIsaForSize for this size
    PackedGru packed_;      // the same numbers laid out for those kernels
    GruStepFn step_;
    GruStepFn stepPaddedInput_;
    GruStepFn stepReversed_;  // nullptr: this size keeps one tile order
    GruStepFn stepPaddedInputReversed_;
    GruStepPairFn stepPair_;
    GruStepPairFn stepPairPaddedInput_;
    GruStepPairFn stepPairReversed_;  // nullptr: no pair kernel, or one tile order
    GruStepPairFn stepPairPaddedInputReversed_;
    GruStepPairHeadFn stepPairHead_;  // nullptr: no fused kernel for this size
    GruStepPairHeadFn stepPairPaddedInputHead_;
    GruRunHeadFn runHead_;  // nullptr: no run kernel for this size
    GruRunPairHeadFn runPairHead_;
};

}  // namespace gs
