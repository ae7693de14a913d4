#pragma once
// The fast GRU and LSTM kernels and the choice among them. Kernels exist per instruction set
// (SSE4.2, AVX2+FMA on 128-bit and on 256-bit vectors, AVX-512; generic on other CPUs); GRU
// and LSTM steps also per hidden size (8, 12, 16, 24, 32, 40, 48, 64, 96, 128 at compile
// time; any other size at run time). The best instruction set the CPU has is chosen once;
// GS_KERNEL_ISA=sse4.2|avx2-128|avx2|avx512|generic in the environment narrows it
// (benchmarks, tests). Each layer then takes the kernels for its size
// (kernelIsaForSize). Selection happens when a layer is built, never per sample.

#include <optional>
#include <string>

namespace gs {

struct PackedGru;
struct PackedLstm;

// Floats of workspace a step needs per padded hidden value (Hp).
inline constexpr int gruScratchPerPaddedHidden = 7;

// audio thread: one GRU time step. input: the layer's inputs; h: Hp values (updated in
// place); scratch: gruScratchPerPaddedHidden * Hp floats.
using GruStepFn = void (*)(const PackedGru& weights, const float* input, float* h,
                           float* scratch) noexcept;
// audio thread: the same step for two channels at once (each weight loaded once for both);
// each channel's numbers equal a GruStepFn's.
using GruStepPairFn = void (*)(const PackedGru& weights, const float* input0, const float* input1,
                               float* h0, float* h1, float* scratch0, float* scratch1) noexcept;
// audio thread: a pair step, then each channel's linear head of one output from its new h:
// output0 = headBias[0] + dot(headWeights, h0'), over one vector (the head's padded row).
// The same numbers as the pair step and then DenseRowsFn.
using GruStepPairHeadFn = void (*)(const PackedGru& weights, const float* input0,
                                   const float* input1, float* h0, float* h1, float* scratch0,
                                   float* scratch1, const float* headWeights, const float* headBias,
                                   float* output0, float* output1) noexcept;
// audio thread: `frames` GRU steps of a layer with one input, input[k] its input at step k,
// each followed by a linear head of one output as GruStepPairHeadFn's: output[k]. The same
// numbers as a GruStepFn and a DenseRowsFn per frame. Outputs must not overlap inputs.
using GruRunHeadFn = void (*)(const PackedGru& weights, const float* input, int frames, float* h,
                              float* scratch, const float* headWeights, const float* headBias,
                              float* output) noexcept;
// audio thread: the same for two channels, each with the numbers a GruStepFn and a DenseRowsFn
// give it per frame.
using GruRunPairHeadFn = void (*)(const PackedGru& weights, const float* input0,
                                  const float* input1, int frames, float* h0, float* h1,
                                  float* scratch0, float* scratch1, const float* headWeights,
                                  const float* headBias, float* output0, float* output1) noexcept;
// audio thread: one LSTM time step. state: h (Hp values) then c (Hp values), updated in
// place; scratch: lstmScratchPerPaddedHidden * Hp floats.
using LstmStepFn = void (*)(const PackedLstm& weights, const float* input, float* state,
                            float* scratch) noexcept;
inline constexpr int lstmScratchPerPaddedHidden = 8;
// audio thread: one LSTM time step of two channels, each with the numbers an LstmStepFn gives.
using LstmStepPairFn = void (*)(const PackedLstm& weights, const float* input0, const float* input1,
                                float* state0, float* state1, float* scratch0,
                                float* scratch1) noexcept;
// audio thread: output[o] = bias[o] + dot(row o, input) over `stride` (whole vectors) values.
using DenseRowsFn = void (*)(const float* weights, const float* bias, int outputs, int stride,
                             const float* input, float* output) noexcept;

// In order of preference; GS_KERNEL_ISA and the test override cap by this order. Avx2x128:
// the AVX2+FMA kernels on 4-float vectors (the CPU needs what Avx2 needs), and Avx512x256:
// AVX2's 8-float kernels built for a CPU with AVX-512 (it needs what Avx512 needs), which only
// kernelIsaForSize picks by itself: GS_KERNEL_ISA=avx2-128 or avx512-256 puts every layer on
// them, while GS_KERNEL_ISA=avx2 still lets kernelIsaForSize choose 4-float vectors per layer
// on a CPU that splits 256-bit operations, and GS_KERNEL_ISA=avx512 lets it choose AVX2 per
// layer on one that splits 512-bit operations (a Zen 4) and Avx512x256 for a layer of size 8
// or less on any: no setting puts every layer on AVX-512 there, nor a layer of size 8 or less
// anywhere.
enum class KernelIsa { Generic, Sse42, Avx2x128, Avx2, Avx512x256, Avx512 };

const char* kernelIsaName(KernelIsa isa) noexcept;
std::optional<KernelIsa> kernelIsaFromName(const std::string& name) noexcept;

// The best the CPU supports, capped by GS_KERNEL_ISA when set (read once).
KernelIsa activeKernelIsa() noexcept;
// Tests: pretend the CPU tops out at `isa` (never above what it supports, nor above
// GS_KERNEL_ISA, so that the whole suite can run as on a narrower CPU); nullopt undoes.
// Not thread-safe: call before building models.
void overrideKernelIsaForTesting(std::optional<KernelIsa> isa) noexcept;

// The kernels for a layer whose vectors hold `size` values (a GRU's or LSTM's hidden size, a
// dense layer's input size) when `active` is the instruction set chosen. A CPU that runs the
// active width as two halves (nativeBits below it) pays the same per value for half-width
// vectors, so where those pad less the layer takes them: AVX2 instead of AVX-512 on a Zen 4
// (H24: gate blocks of 24 rows instead of 32), AVX2's 128-bit kernels instead
// of 256-bit ones on a Zen 1 (H12: 12 rows instead of 16). Sizes up to 8 take Avx512x256
// instead of AVX-512 on every CPU: they fill at most half a 16-float vector, and a Zen 5,
// which runs 512-bit operations whole, still runs GRU H8 faster on 8 floats. `active`
// otherwise. nativeBits:
// thisCpuNativeVectorBits() (cpu_traits.h) for this CPU.
KernelIsa kernelIsaForSize(KernelIsa active, int nativeBits, int size) noexcept;
// The same for this CPU and activeKernelIsa().
KernelIsa kernelIsaForSize(int size) noexcept;

// The kernels of instruction set `isa` (at most activeKernelIsa()). paddedInput: the layer's
// input is another GRU's or LSTM's state (see gru_step_impl.h).
GruStepFn selectGruStep(KernelIsa isa, int hidden, bool paddedInput) noexcept;
// The step with its product's tiles last to first, for the sizes whose steps alternate the
// two orders (weights that outgrow L1: alternatesTiles in gru_step_impl.h); nullptr for the
// others. Either order gives the same numbers.
GruStepFn selectGruStepReversed(KernelIsa isa, int hidden, bool paddedInput) noexcept;
// nullptr where two single steps are faster than the pair kernel (gru_kernel_impl.h), on a CPU
// whose widest vector run whole is nativeBits (thisCpuNativeVectorBits).
GruStepPairFn selectGruStepPair(KernelIsa isa, int hidden, bool paddedInput,
                                int nativeBits) noexcept;
// selectGruStepPair's kernel with its tiles last to first, where steps alternate; else nullptr.
GruStepPairFn selectGruStepPairReversed(KernelIsa isa, int hidden, bool paddedInput,
                                        int nativeBits) noexcept;
// The pair step fused with a one-output linear head, for the sizes with one vector per gate
// where the pair kernel is chosen (AVX-512 H8-16, AVX2 H8); else nullptr.
GruStepPairHeadFn selectGruStepPairHead(KernelIsa isa, int hidden, bool paddedInput) noexcept;
// Runs of frames through a GRU with one input and a linear head of one output, for the sizes
// with one vector per gate (AVX-512 H8-16, AVX2 H8; kernelIsaForSize never puts H8 on AVX-512);
// the pair's where the pair kernel is chosen there, and also at AVX-512's H24-48 and AVX2's
// H12-16 (one channel half a step ahead of the other) where the CPU runs `isa`'s vectors whole
// (nativeBits, as kernelIsaForSize takes it). Else nullptr.
GruRunHeadFn selectGruRunHead(KernelIsa isa, int hidden) noexcept;
GruRunPairHeadFn selectGruRunPairHead(KernelIsa isa, int hidden, int nativeBits) noexcept;
DenseRowsFn selectDenseRows(KernelIsa isa) noexcept;
LstmStepFn selectLstmStep(KernelIsa isa, int hidden, bool paddedInput) noexcept;
// nullptr: two single steps (RecurrentLayer::stepPair's default). nativeBits: the widest
// vector this CPU runs whole (thisCpuNativeVectorBits).
LstmStepPairFn selectLstmStepPair(KernelIsa isa, int hidden, bool paddedInput,
                                  int nativeBits) noexcept;
// The kernels' vector width in floats and tile height in rows: the gate alignment and the
// tile blocks their packed weights need (PackedGates).
int kernelVectorFloats(KernelIsa isa) noexcept;
int kernelTileRows(KernelIsa isa) noexcept;
// A GRU's tile height for its size: kernelTileRows, except where a product of one tile
// alternates and is cut into two (AVX-512 H49-68, H64 among the compiled sizes).
int kernelGruTileRows(KernelIsa isa, int hidden) noexcept;

namespace kernels {
// Defined once per instruction-set namespace by gru_kernel_impl.h (the run kernels by
// gru_run_kernel_impl.h, the LSTM's by lstm_kernel_impl.h).
#define GS_DECLARE_KERNELS(ns)                                                                     \
    namespace ns {                                                                                 \
    GruStepFn gruStepFor(int hidden, bool paddedInput) noexcept;                                   \
    GruStepFn gruStepDynamic(bool paddedInput) noexcept;                                           \
    /* the step with its tiles in reverse order, where steps alternate (else nullptr) */           \
    GruStepFn gruStepReversedFor(int hidden, bool paddedInput) noexcept;                           \
    /* a GRU's tile height in rows: tileRows() but where the tiles alternate */                    \
    int gruTileRows(int hidden) noexcept;                                                          \
    GruStepPairFn gruStepPairFor(int hidden, bool paddedInput) noexcept;                           \
    /* the pair kernel for this size whether or not gruStepPairFor chooses it (tests) */           \
    GruStepPairFn gruStepPairKernel(int hidden, bool paddedInput) noexcept;                        \
    /* the chosen pair kernel with its tiles in reverse order, where steps alternate */            \
    GruStepPairFn gruStepPairReversedFor(int hidden, bool paddedInput) noexcept;                   \
    GruStepPairHeadFn gruStepPairHeadFor(int hidden, bool paddedInput) noexcept;                   \
    GruRunHeadFn gruRunHeadFor(int hidden) noexcept;                                               \
    GruRunPairHeadFn gruRunPairHeadFor(int hidden) noexcept;                                       \
    /* the staggered pair for the sizes it serves, whatever the CPU (else nullptr) */              \
    GruRunPairHeadFn gruRunPairStaggeredFor(int hidden) noexcept;                                  \
    LstmStepFn lstmStepFor(int hidden, bool paddedInput) noexcept;                                 \
    /* the run-time-size kernels, whatever the size (tests) */                                     \
    LstmStepFn lstmStepDynamic(bool paddedInput) noexcept;                                         \
    /* nullptr where two single steps are faster */                                                \
    LstmStepPairFn lstmStepPairFor(int hidden, bool paddedInput) noexcept;                         \
    /* the pair kernel for this size whether or not lstmStepPairFor chooses it (tests) */          \
    LstmStepPairFn lstmStepPairKernel(int hidden, bool paddedInput) noexcept;                      \
    int vectorFloats() noexcept;                                                                   \
    int tileRows() noexcept;                                                                       \
    void denseRows(const float* weights, const float* bias, int outputs, int stride,               \
                   const float* input, float* output) noexcept;                                    \
    /* the vector math, over count values (any count), for tests */                                \
    void tanhArray(const float* input, float* output, int count) noexcept;                         \
    void sigmoidArray(const float* input, float* output, int count) noexcept;                      \
    /* 1 + 2^t in either of simd.h's forms (shortChain) */                                         \
    void onePlusExp2Array(const float* input, float* output, int count, bool shortChain) noexcept; \
    }
GS_DECLARE_KERNELS(generic)
GS_DECLARE_KERNELS(sse42)
GS_DECLARE_KERNELS(avx2_128)
GS_DECLARE_KERNELS(avx2)
GS_DECLARE_KERNELS(avx512_256)
GS_DECLARE_KERNELS(avx512)
#undef GS_DECLARE_KERNELS
}  // namespace kernels

}  // namespace gs
