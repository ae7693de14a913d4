#pragma once
// The GRU step, the dense head and the table of compiled hidden sizes (forCompiledSize, which
// the LSTM's uses too) for one instruction set: included by gru_kernel_sse42.cpp,
// gru_kernel_avx2_128.cpp, gru_kernel_avx2.cpp and gru_kernel_avx512.cpp (and the generic
// one), each compiled with its own target flags, vector width and GS_KERNEL_NAMESPACE. Per
// time step, with torch's equations:
//
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
//   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
//   h' = (1 - z) n + z h            (evaluated in the order updateVector explains)
//
// The recurrent product W_h h is a sum of columns scaled by broadcast h[j], accumulated in
// registers a tile at a time; sizes known at compile time unroll fully, any other size runs
// the same code with run-time loops, so both give identical numbers.

#include "gru_kernels.h"
#include "packed_gru.h"
#include "simd.h"

#include <algorithm>
#include <cassert>
#include <type_traits>

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

using namespace gs::simd;

// Rows per gate block for a compile-time size: H rounded up to this kernel's vector (what
// PackedGates lays out when given lanes as its alignment).
constexpr int gateRowsFor(int hidden) { return roundUpToMultiple(hidden, lanes); }

// The smallest L1 data cache among the x86 cores these kernels target (a Zen 4's, an Intel
// Skylake's; a Zen 5's holds 48 KB): where a product's weights outgrow it, each step streams
// them from L2.
constexpr long l1Bytes = 32 * 1024;

// A GRU's recurrent weights as this kernel packs them, in bytes.
constexpr long gruWeightBytes(int hidden) {
    return static_cast<long>(hidden) * 3 * gateRowsFor(hidden) * static_cast<long>(sizeof(float));
}

// Steps of these sizes take their product's tiles in alternating order, first to last and
// then last to first, so that each step starts on the block the previous one read last,
// which is still in L1: weights between one and two L1s (H64: 48 KB; the sizes around it,
// H49-72 on AVX2, H49-68 on AVX-512, H53-72 on 4-float vectors) then come half from L1
// instead of all from L2. Each row's sum is the same in either order, so are the numbers.
// Zen 4, AVX-512, H64 in two tiles of 6 vectors, processFrame: 489 -> 426 ns alternating,
// 498 in two tiles without it; stereo (the pair kernel alternates too) 41.8 -> 41.3 us per 64
// frames. At H96 and H128 (three and four tiles of 6, 110 and 196 KB) it was slower: 1088 ->
// 1118, 1870 -> 1903 ns. AVX2 on the same machine: H64 529 -> 459 ns, H48 (27 KB) unchanged
// (measured).
constexpr bool alternatesTiles(int hidden) {
    const long bytes = gruWeightBytes(hidden);
    return bytes > l1Bytes && bytes <= 2 * l1Bytes;
}

// Vectors per tile block of a GRU's weights: `tile`, but a product that alternates and would
// fit one tile is cut into two, so that there is a block to start on (AVX-512 H49-68, such as
// H64: 6 + 6 vectors).
constexpr int gruTileVectors(int hidden) {
    const int vectors = 3 * gateRowsFor(hidden) / lanes;
    return alternatesTiles(hidden) && vectors <= tile ? (vectors + 1) / 2 : tile;
}

// Small tiles are latency-bound (one FMA chain of H links per vector), so they split the sum
// over even and odd columns into two sets of accumulators when registers allow (up to
// splitVectors, simd.h). (Four sets were slower at H8-32: 43 instead of 35 ns at H16, measured.)
constexpr int setsFor(int count) { return count <= splitVectors ? 2 : 1; }

// GruOrder: a GRU tile with one vector per gate sums its gate blocks r, n, z (below).
constexpr int gruBlockOrder[3] = {0, 2, 1};

// out[0 .. Count vectors) = initial + sum_j h[j] * column_j, for `Count` vectors of rows.
// VectorStored: h was written by vector stores and is readable in whole vectors (a GRU or
// LSTM state); otherwise h is a plain array of exactly `hidden` values (a caller's input frame).
// GruOrder: the tile is a GRU's whole product, one vector per gate; its blocks are summed in
// the order updateVector needs them: r starts the chain to h', n's recurrent part waits for r
// alone, z comes last. Each sum keeps its own order, so the numbers do not change, but the
// out-of-order core starts r's exponential sooner (Zen 4, processFrame: H8 27.0 -> 26.6 ns,
// H12 39.9 -> 39.5, H16 45.3 -> 43.9; in this order at every single-tile size it was slower
// from two vectors per gate on, H24 65 -> 81 ns, H40 147 -> 170; measured).
template <int Count, int Hidden, bool VectorStored = true, bool GruOrder = false>
GS_INLINE_MATH void accumulateTile(const float* __restrict initial, const float* __restrict columns, int rows,
                           const float* __restrict h, int hidden, float* __restrict out) noexcept {
    constexpr int sets = setsFor(Count);
    Vec acc[sets][Count];
#pragma GCC unroll 32
    for (int k = 0; k < Count; ++k) {
        acc[0][k] = load(initial + k * lanes);
        if constexpr (sets == 2) acc[1][k] = Vec{};
    }
    static_assert(!GruOrder || Count == 3);
    const int n = Hidden > 0 ? Hidden : hidden;
    constexpr int blocks = GruOrder ? 3 : 1;
#pragma GCC unroll 3
    for (int b = 0; b < blocks; ++b) {
        const int first = GruOrder ? gruBlockOrder[b] : 0;
        const int end = GruOrder ? first + 1 : Count;
        // h was written by vector stores: load it a vector at a time and broadcast its lanes in
        // registers (scalar reloads of a fresh vector store stall; measured on AVX-512). For
        // AVX2 GCC folds the splat back into a broadcast from memory, which a Zen 1 runs faster
        // than register permutes (H8 step 61 against 71-76 ns, measured), so it is left to do so.
        for (int base = 0; base < n; base += lanes) {
            Vec chunk{};
            if constexpr (VectorStored) chunk = load(h + base);
            const int count = std::min(lanes, n - base);
#pragma GCC unroll 16
            for (int l = 0; l < lanes; ++l) {
                if (l >= count) break;
                const Vec hj = VectorStored ? splatLane(chunk, l) : broadcast(h[base + l]);
                const float* column = columns + (base + l) * rows;
                Vec* target = acc[l % sets];
#pragma GCC unroll 32
                for (int k = first; k < end; ++k) target[k] += hj * load(column + k * lanes);
            }
        }
    }
#pragma GCC unroll 32
    for (int k = 0; k < Count; ++k) {
        if constexpr (sets == 2) acc[0][k] += acc[1][k];
        store(out + k * lanes, acc[0][k]);
    }
}

// accumulateRows' two dozen cases call the tile through this, leaving the inlining to the
// compiler: forcing it there multiplied the code (clang with sanitizers spent over 13 minutes
// on one kernel file). Only a step's single tile is forced inline.
template <int Count, int Hidden, bool VectorStored>
inline void accumulateTileCompilerInlined(const float* initial, const float* columns, int rows, const float* h,
                                          int hidden, float* out) noexcept {
    accumulateTile<Count, Hidden, VectorStored>(initial, columns, rows, h, hidden, out);
}

// Tiles of a run-time number of vectors, each dispatched to a fixed-count tile. weights: in
// tile blocks of tileVectors vectors (packed_gates.h): the block of the tile at row `offset`
// starts at offset x columns, and its columns are count x lanes apart. reversed: the tiles
// last to first (the same sums; see alternatesTiles).
// The switches below have cases for tiles of up to 24 vectors and pair passes of up to 12: a
// larger tile would leave sums unwritten.
static_assert(tile <= 24 && tile / 2 <= 12, "add tile cases to accumulateRows and accumulateRowsPair");

template <int Hidden, bool VectorStored = true>
inline void accumulateRows(const float* initial, const float* weights, int rows, const float* h, int hidden,
                           float* out, int tileVectors = tile, bool reversed = false) noexcept {
    assert(tileVectors > 0 && tileVectors <= tile);
    const int vectors = rows / lanes;
    const int columns = Hidden > 0 ? Hidden : hidden;
    const int tiles = (vectors + tileVectors - 1) / tileVectors;
    for (int i = 0; i < tiles; ++i) {
        const int start = (reversed ? tiles - 1 - i : i) * tileVectors;
        const int count = std::min(tileVectors, vectors - start);
        const int offset = start * lanes;
        const float* block = weights + offset * columns;
        switch (count) {
#define GS_TILE_CASE(c)                                                                            \
    case c:                                                                                        \
        if constexpr (c <= tile)                                                                   \
            accumulateTileCompilerInlined<c, Hidden, VectorStored>(initial + offset, block, c * lanes, h, hidden, out + offset); \
        break;
            GS_TILE_CASE(1) GS_TILE_CASE(2) GS_TILE_CASE(3) GS_TILE_CASE(4) GS_TILE_CASE(5) GS_TILE_CASE(6)
            GS_TILE_CASE(7) GS_TILE_CASE(8) GS_TILE_CASE(9) GS_TILE_CASE(10) GS_TILE_CASE(11) GS_TILE_CASE(12)
            GS_TILE_CASE(13) GS_TILE_CASE(14) GS_TILE_CASE(15) GS_TILE_CASE(16) GS_TILE_CASE(17) GS_TILE_CASE(18)
            GS_TILE_CASE(19) GS_TILE_CASE(20) GS_TILE_CASE(21) GS_TILE_CASE(22) GS_TILE_CASE(23) GS_TILE_CASE(24)
#undef GS_TILE_CASE
        default: break;
        }
    }
}

// A compile-time size's product of several tiles: the same tiles, blocks and order as
// accumulateRows<Hidden>, but only the tile sizes this product uses are instantiated (that
// switch instantiates every case for every size: the AVX-512 kernel file took 70 s to compile
// in Release with it, 61 s with this).
template <int Vectors, int Hidden, int TileVectors, bool Reversed, int Index = 0>
inline void accumulateTiles(const float* initial, const float* weights, const float* h, float* out) noexcept {
    constexpr int tiles = (Vectors + TileVectors - 1) / TileVectors;
    if constexpr (Index < tiles) {
        constexpr int first = (Reversed ? tiles - 1 - Index : Index) * TileVectors;
        constexpr int count = std::min(TileVectors, Vectors - first);
        constexpr int offset = first * lanes;
        accumulateTileCompilerInlined<count, Hidden, true>(initial + offset, weights + offset * Hidden, count * lanes, h,
                                                           Hidden, out + offset);
        accumulateTiles<Vectors, Hidden, TileVectors, Reversed, Index + 1>(initial, weights, h, out);
    }
}

// The recurrent product of a layer with `Gates` gate blocks (GRU 3, LSTM 4), in tiles of
// TileVectors vectors (a compile-time size's) or tileVectors (the run-time size's): a
// compile-time size of one tile inlines it (its block is the whole matrix, column by column;
// a GRU with one vector per gate sums it in the gate order r, n, z: accumulateTile's
// GruOrder), a larger one calls only the tiles it uses, and the run-time size goes through
// accumulateRows' switch. All three sum in the same order, and each row's sum is the same in
// either tile order, so compiled and dynamic kernels agree bit for bit. Forced inline
// (GS_INLINE_MATH) because it only chooses: the step compiles as if it called the chosen
// product itself.
template <int Gates, int Hidden, int TileVectors, bool Reversed = false>
GS_INLINE_MATH void recurrentProduct(const float* initial, const float* weights, int rows, const float* h, int hidden,
                                     int tileVectors, float* out) noexcept {
    constexpr int vectors = Gates * gateRowsFor(Hidden) / lanes;
    constexpr bool gruOrder = Gates == 3 && Hidden > 0 && gateRowsFor(Hidden) == lanes;
    if constexpr (Hidden > 0 && vectors <= TileVectors)
        accumulateTile<vectors, Hidden, true, gruOrder>(initial, weights, rows, h, hidden, out);
    else if constexpr (Hidden > 0)
        accumulateTiles<vectors, Hidden, TileVectors, Reversed>(initial, weights, h, out);
    else
        accumulateRows<0>(initial, weights, rows, h, hidden, out, tileVectors, Reversed);
}

// Two channels' recurrent products in one pass over the weights: each column is loaded once
// for both, which halves the weight traffic of a stereo step. Every row of every channel is
// summed in the same order as accumulateTile's (the same `Sets` split of the columns),
// so a channel gets bit-identical numbers stepped alone or in a pair (tested).
template <int Count, int Sets, int Hidden>
GS_ALWAYS_INLINE void accumulateTilePair(const float* __restrict initial0, const float* __restrict initial1,
                                         const float* __restrict columns, int rows, const float* __restrict h0,
                                         const float* __restrict h1, int hidden, float* __restrict out0,
                                         float* __restrict out1) noexcept {
    Vec acc0[Sets][Count], acc1[Sets][Count];
#pragma GCC unroll 32
    for (int k = 0; k < Count; ++k) {
        acc0[0][k] = load(initial0 + k * lanes);
        acc1[0][k] = load(initial1 + k * lanes);
        if constexpr (Sets == 2) acc0[1][k] = acc1[1][k] = Vec{};
    }
    const int n = Hidden > 0 ? Hidden : hidden;
    for (int base = 0; base < n; base += lanes) {
        const Vec chunk0 = load(h0 + base), chunk1 = load(h1 + base);
        const int count = std::min(lanes, n - base);
#pragma GCC unroll 16
        for (int l = 0; l < lanes; ++l) {
            if (l >= count) break;
            const Vec a = splatLane(chunk0, l), b = splatLane(chunk1, l);
            const float* column = columns + (base + l) * rows;
#pragma GCC unroll 32
            for (int k = 0; k < Count; ++k) {
                const Vec w = load(column + k * lanes);
                acc0[l % Sets][k] += a * w;
                acc1[l % Sets][k] += b * w;
            }
        }
    }
#pragma GCC unroll 32
    for (int k = 0; k < Count; ++k) {
        if constexpr (Sets == 2) {
            acc0[0][k] += acc0[1][k];
            acc1[0][k] += acc1[1][k];
        }
        store(out0 + k * lanes, acc0[0][k]);
        store(out1 + k * lanes, acc1[0][k]);
    }
}

// accumulateRowsPair's cases call the tile through this (see accumulateTileCompilerInlined).
template <int Count, int Sets, int Hidden>
inline void accumulateTilePairCompilerInlined(const float* initial0, const float* initial1, const float* columns,
                                              int rows, const float* h0, const float* h1, int hidden, float* out0,
                                              float* out1) noexcept {
    accumulateTilePair<Count, Sets, Hidden>(initial0, initial1, columns, rows, h0, h1, hidden, out0, out1);
}

// How many vectors of rows one pair pass takes. Both channels' accumulators (2 x sets x
// vectors) share the registers with two h chunks, two broadcasts, a weight and the lane
// indices GCC hoists: with two sets, a pass of 6 (24 accumulators) spilled (stereo H24:
// 132 instead of 90 ns, measured), so two-set passes stop at 5. Passes are balanced.
constexpr int pairPassVectors(int count, bool split) {
    const int most = split ? tile / 4 - 1 : tile / 2;
    const int passes = (count + most - 1) / most;
    return (count + passes - 1) / passes;
}

// The pair passes of a one-tile product, unrolled at compile time and inlined.
template <int Vectors, int Sets, int Hidden, int First = 0>
GS_ALWAYS_INLINE void accumulatePairPasses(const float* initial0, const float* initial1, const float* weights,
                                           int rows, const float* h0, const float* h1, float* out0,
                                           float* out1) noexcept {
    if constexpr (First < Vectors) {
        constexpr int count = std::min(pairPassVectors(Vectors, Sets == 2), Vectors - First);
        constexpr int offset = First * lanes;
        accumulateTilePair<count, Sets, Hidden>(initial0 + offset, initial1 + offset, weights + offset, rows, h0, h1,
                                                Hidden, out0 + offset, out1 + offset);
        accumulatePairPasses<Vectors, Sets, Hidden, First + count>(initial0, initial1, weights, rows, h0, h1, out0,
                                                                   out1);
    }
}

// A compile-time size's tiles (first to last, or last to first when Reversed, as
// accumulateTiles takes them), each tile's passes unrolled and inlined: for a one-tile
// product that gruTileVectors cuts in two (AVX-512 H64: through accumulateRowsPair's run-time
// loop the stereo step took 48.9 us per 64 frames, 41.8 before the cut; measured).
template <int Vectors, int Hidden, int TileVectors, bool Reversed, int Index = 0>
GS_ALWAYS_INLINE void accumulateTilesPair(const float* initial0, const float* initial1, const float* weights,
                                          const float* h0, const float* h1, float* out0, float* out1) noexcept {
    constexpr int tiles = (Vectors + TileVectors - 1) / TileVectors;
    if constexpr (Index < tiles) {
        constexpr int first = (Reversed ? tiles - 1 - Index : Index) * TileVectors;
        constexpr int count = std::min(TileVectors, Vectors - first);
        constexpr int offset = first * lanes;
        accumulatePairPasses<count, setsFor(count), Hidden>(initial0 + offset, initial1 + offset,
                                                            weights + offset * Hidden, count * lanes, h0, h1,
                                                            out0 + offset, out1 + offset);
        accumulateTilesPair<Vectors, Hidden, TileVectors, Reversed, Index + 1>(initial0, initial1, weights, h0, h1,
                                                                               out0, out1);
    }
}

// The single-channel tiles (and their split into sets), each cut into passes small enough to
// keep both channels' accumulators in registers.
template <int Hidden>
inline void accumulateRowsPair(const float* initial0, const float* initial1, const float* weights, int rows,
                               const float* h0, const float* h1, int hidden, int tileVectors, bool reversed,
                               float* out0, float* out1) noexcept {
    const int vectors = rows / lanes;
    const int columns = Hidden > 0 ? Hidden : hidden;
    const int tiles = (vectors + tileVectors - 1) / tileVectors;
    for (int i = 0; i < tiles; ++i) {
        const int start = (reversed ? tiles - 1 - i : i) * tileVectors;
        const int count = std::min(tileVectors, vectors - start);
        const float* block = weights + start * lanes * columns;  // the tile's block (accumulateRows)
        const bool split = setsFor(count) == 2;  // accumulateTile's choice for this tile
        const int perPass = pairPassVectors(count, split);
        for (int first = start; first < start + count; first += perPass) {
            const int passCount = std::min(perPass, start + count - first);
            const int offset = first * lanes;
            const float* i0 = initial0 + offset;
            const float* i1 = initial1 + offset;
            const float* w = block + (first - start) * lanes;
            float* o0 = out0 + offset;
            float* o1 = out1 + offset;
            switch (passCount * 2 + (split ? 1 : 0)) {
#define GS_PAIR_CASE(c)                                                                                         \
    case 2 * c:                                                                                                 \
        if constexpr (2 * c <= tile) accumulateTilePairCompilerInlined<c, 1, Hidden>(i0, i1, w, count * lanes, h0, h1, hidden, o0, o1); \
        break;                                                                                                  \
    case 2 * c + 1:                                                                                             \
        if constexpr (4 * c <= tile) accumulateTilePairCompilerInlined<c, 2, Hidden>(i0, i1, w, count * lanes, h0, h1, hidden, o0, o1); \
        break;
                GS_PAIR_CASE(1) GS_PAIR_CASE(2) GS_PAIR_CASE(3) GS_PAIR_CASE(4) GS_PAIR_CASE(5) GS_PAIR_CASE(6)
                GS_PAIR_CASE(7) GS_PAIR_CASE(8) GS_PAIR_CASE(9) GS_PAIR_CASE(10) GS_PAIR_CASE(11) GS_PAIR_CASE(12)
#undef GS_PAIR_CASE
            default: break;
            }
        }
    }
}

// Scratch (7 Hp floats are enough): the recurrent product's starting values (3 gate blocks),
// its sums (3 blocks) and n's input part (1 block), each block gateRows floats. h has Hp
// values; the step writes its first gateRows, and lanes past H stay 0.
struct StepScratch {
    float* initial;
    float* sums;
    float* inputN;
};
inline StepScratch splitScratch(float* scratch, int rows) noexcept { return {scratch, scratch + rows, scratch + 2 * rows}; }

// The input side of a step, which does not wait for h. r and z take their whole input part
// (biases included) as the starting value of the recurrent sum, so no add follows it; n keeps
// b_in + W_in x apart (inputN) because r scales only the recurrent part, which starts at b_hn.
// One input (audio) is the common case and gets its own loop: a run-time inner loop here cost
// a third of the step at H40 (measured).
// PaddedInput: x is another layer's padded state (readable in whole vectors, written by
// vector stores).
template <bool PaddedInput>
GS_ALWAYS_INLINE void inputProjection(const PackedGru& g, int rows, const float* __restrict x,
                                      const StepScratch& s) noexcept {
    const float* __restrict weightIh = g.weightIh.data();
    const float* __restrict biasInput = g.biasInput.data();
    const float* __restrict biasHidden = g.biasHidden.data();
    float* __restrict initial = s.initial;
    float* __restrict inputN = s.inputN;
    const int nStart = 2 * (rows / 3);
    if (g.inputs == 1 && !PaddedInput) {
        const Vec x0 = broadcast(x[0]);
        for (int v = 0; v < nStart; v += lanes) store(initial + v, load(biasInput + v) + x0 * load(weightIh + v));
        for (int v = nStart; v < rows; v += lanes) {
            store(inputN + v - nStart, load(biasInput + v) + x0 * load(weightIh + v));
            store(initial + v, load(biasHidden + v));
        }
    } else {  // several inputs: the same register-tiled product as the recurrent part
        accumulateRows<0, PaddedInput>(biasInput, weightIh, rows, x, g.inputs, initial, g.tileRows / lanes);
        for (int v = nStart; v < rows; v += lanes) {
            store(inputN + v - nStart, load(initial + v));
            store(initial + v, load(biasHidden + v));
        }
    }
}

// The gates from the sums, and the new h in place. The sums come pre-scaled into exponents of
// two (packed_gru.h): sr = -log2e x (r's pre-activation), sz likewise for z, hn = 2 log2e x
// (W_hn h + b_hn), inputN = 2 log2e x (W_in x + b_in). Written so that the chain from the sums
// to h' (which the next step waits for) is as short as it can be:
//   r = 1 / (1 + 2^sr)
//   n = tanh(u) = 1 - 2 / (1 + 2^(2u log2e)), 2u log2e = inputN + hn / (1 + 2^sr)
//   h' = (1 - z) n + z h = (1 + z (h - 1)) - 2 (1 - z) / (1 + 2^(2u log2e))
// so after each exponential (onePlusExp2 gives 1 + 2^t in one go) there is one division and
// one add or subtract; z's terms are ready by then.
GS_INLINE_MATH void updateVector(int gateRows, int v, const float* __restrict sums, const float* __restrict inputN,
                                 float* __restrict h) noexcept {
    const Vec resetDenominator = onePlusExp2(load(sums + v));
    const Vec z = 1.0f / onePlusExp2(load(sums + gateRows + v));
    const Vec onePlusEn = onePlusExp2(load(inputN + v) + load(sums + 2 * gateRows + v) / resetDenominator);
    const Vec keep = z * (load(h + v) - 1.0f) + 1.0f;
    const Vec blend = 2.0f - 2.0f * z;
    store(h + v, keep - blend / onePlusEn);
}

GS_INLINE_MATH void updateState(int gateRows, const float* __restrict sums, const float* __restrict inputN,
                                float* __restrict h) noexcept {
    for (int v = 0; v < gateRows; v += lanes) updateVector(gateRows, v, sums, inputN, h);
}

// x, h and scratch never overlap: saying so (__restrict) lets the compiler interleave the
// gate blocks, which took H40 from 123 to 91 ns per step on the benchmark machine.
// Reversed: the product's tiles last to first (alternatesTiles).
template <int Hidden, bool PaddedInput, bool Reversed = false>
void gruStep(const PackedGru& g, const float* __restrict x, float* __restrict h, float* __restrict scratch) noexcept {
    const int hidden = Hidden > 0 ? Hidden : g.hidden;
    const int gateRows = Hidden > 0 ? gateRowsFor(Hidden) : g.gateRows;
    assert(g.gateRows == gateRowsFor(g.hidden) && g.tileRows == gruTileVectors(g.hidden) * lanes);  // packed for this kernel
    assert(Hidden == 0 || Hidden == g.hidden);
    const int rows = 3 * gateRows;
    const StepScratch s = splitScratch(scratch, rows);
    inputProjection<PaddedInput>(g, rows, x, s);
    recurrentProduct<3, Hidden, gruTileVectors(Hidden), Reversed>(s.initial, g.weightHh.data(), rows, h, hidden,
                                                                  g.tileRows / lanes, s.sums);
    updateState(gateRows, s.sums, s.inputN, h);
}

// Two channels of the same layer, one time step each: the same numbers as two gruStep calls.
// Reversed: the tiles last to first, as gruStep's.
template <int Hidden, bool PaddedInput, bool Reversed = false>
void gruStepPair(const PackedGru& g, const float* __restrict x0, const float* __restrict x1, float* __restrict h0,
                 float* __restrict h1, float* __restrict scratch0, float* __restrict scratch1) noexcept {
    const int hidden = Hidden > 0 ? Hidden : g.hidden;
    const int gateRows = Hidden > 0 ? gateRowsFor(Hidden) : g.gateRows;
    assert(g.gateRows == gateRowsFor(g.hidden) && g.tileRows == gruTileVectors(g.hidden) * lanes);
    const int rows = 3 * gateRows;
    const StepScratch s0 = splitScratch(scratch0, rows), s1 = splitScratch(scratch1, rows);
    inputProjection<PaddedInput>(g, rows, x0, s0);
    inputProjection<PaddedInput>(g, rows, x1, s1);
    constexpr int vectors = Hidden > 0 ? 3 * gateRowsFor(Hidden) / lanes : 0;
    if constexpr (Hidden > 0 && vectors <= gruTileVectors(Hidden))  // one tile: its passes inlined
        accumulatePairPasses<vectors, setsFor(vectors), Hidden>(s0.initial, s1.initial, g.weightHh.data(), rows, h0,
                                                                h1, s0.sums, s1.sums);
    else if constexpr (Hidden > 0 && vectors <= tile)  // one tile cut in two (gruTileVectors)
        accumulateTilesPair<vectors, Hidden, gruTileVectors(Hidden), Reversed>(s0.initial, s1.initial,
                                                                               g.weightHh.data(), h0, h1, s0.sums,
                                                                               s1.sums);
    else
        accumulateRowsPair<Hidden>(s0.initial, s1.initial, g.weightHh.data(), rows, h0, h1, hidden,
                                   g.tileRows / lanes, Reversed, s0.sums, s1.sums);
    // One vector per gate: both channels' gate chains side by side (H8: 31 against 37 ns one
    // after the other). More: one channel, then the other (H24: 68 against 107 interleaved;
    // measured, kernel alone).
    if (gateRows == lanes) {
        updateVector(gateRows, 0, s0.sums, s0.inputN, h0);
        updateVector(gateRows, 0, s1.sums, s1.inputN, h1);
    } else {
        updateState(gateRows, s0.sums, s0.inputN, h0);
        updateState(gateRows, s1.sums, s1.inputN, h1);
    }
}

} // namespace

// The hidden sizes compiled into their own kernels: make(std::integral_constant<int, H>) for
// one of them, make(std::integral_constant<int, 0>) (the run-time-size kernel) for any other.
template <typename Make>
auto forCompiledSize(int hidden, Make make) noexcept {
    switch (hidden) {
    case 8: return make(std::integral_constant<int, 8>{});
    case 12: return make(std::integral_constant<int, 12>{});
    case 16: return make(std::integral_constant<int, 16>{});
    case 24: return make(std::integral_constant<int, 24>{});
    case 32: return make(std::integral_constant<int, 32>{});
    case 40: return make(std::integral_constant<int, 40>{});
    case 48: return make(std::integral_constant<int, 48>{});
    case 64: return make(std::integral_constant<int, 64>{});
    case 96: return make(std::integral_constant<int, 96>{});
    case 128: return make(std::integral_constant<int, 128>{});
    default: return make(std::integral_constant<int, 0>{});
    }
}

template <bool PaddedInput>
GruStepFn gruStepForSize(int hidden) noexcept {
    return forCompiledSize(hidden,
                           [](auto size) -> GruStepFn { return &gruStep<decltype(size)::value, PaddedInput>; });
}

GruStepFn gruStepFor(int hidden, bool paddedInput) noexcept {
    return paddedInput ? gruStepForSize<true>(hidden) : gruStepForSize<false>(hidden);
}

GruStepFn gruStepDynamic(bool paddedInput) noexcept {
    return paddedInput ? &gruStep<0, true> : &gruStep<0, false>;
}

// Only the sizes that alternate get a reversed kernel (each is a whole step's code).
template <bool PaddedInput>
GruStepFn gruStepReversedForSize(int hidden) noexcept {
    if (!alternatesTiles(hidden)) return nullptr;
    return forCompiledSize(hidden, [](auto size) -> GruStepFn {
        constexpr int compiled = decltype(size)::value;
        if constexpr (compiled == 0 || alternatesTiles(compiled)) return &gruStep<compiled, PaddedInput, true>;
        return nullptr;
    });
}

GruStepFn gruStepReversedFor(int hidden, bool paddedInput) noexcept {
    return paddedInput ? gruStepReversedForSize<true>(hidden) : gruStepReversedForSize<false>(hidden);
}

int gruTileRows(int hidden) noexcept { return gruTileVectors(hidden) * lanes; }

template <bool PaddedInput>
GruStepPairFn gruStepPairForSize(int hidden) noexcept {
    return forCompiledSize(hidden,
                           [](auto size) -> GruStepPairFn { return &gruStepPair<decltype(size)::value, PaddedInput>; });
}

// Where the pair kernel beats two single steps (AVX-512, stereo blocks of 64, ns per frame,
// measured):
// - small products (both channels' two sets of accumulators fit the tile's registers:
//   H8-32 here): a step is latency-bound and the pair runs both channels' chains side by side
//   (H8: 37 against 45, mono 29; H24: 80 against 87);
// - weights that overflow a 32 KB L1 (H >= 64): sharing each load halves the L2 traffic
//   (H64: 405 against 607; H128: 1450 against 2380).
// In between (H40-48) a step is bound by FMA throughput and two single steps are as fast or
// faster (H40: 149 against 162). On AVX2 and SSE (16 registers) the pair is never used: at
// H8-48 it measured no faster, and at H >= 64, where a product has several tiles, single
// steps stream each tile's contiguous block while the pair's half-tile passes stride through
// it (Zen 1, stereo blocks of 64, us per 64 frames: AVX2 H64 146 against 152, H128 490
// against 535; SSE H128 703 against 716). nullptr: two single steps.
GruStepPairFn gruStepPairFor(int hidden, bool paddedInput) noexcept {
    if (lanes != 16) return nullptr;
    const bool smallProduct = 4 * (3 * gateRowsFor(hidden) / lanes) <= tile;
    const bool compiledSize = gruStepPairForSize<false>(hidden) != &gruStepPair<0, false>;
    if (!(smallProduct && compiledSize) && gruWeightBytes(hidden) <= l1Bytes) return nullptr;
    return gruStepPairKernel(hidden, paddedInput);
}

GruStepPairFn gruStepPairKernel(int hidden, bool paddedInput) noexcept {
    return paddedInput ? gruStepPairForSize<true>(hidden) : gruStepPairForSize<false>(hidden);
}

template <bool PaddedInput>
GruStepPairFn gruStepPairReversedForSize(int hidden) noexcept {
    return forCompiledSize(hidden, [](auto size) -> GruStepPairFn {
        constexpr int compiled = decltype(size)::value;
        if constexpr (compiled == 0 || alternatesTiles(compiled)) return &gruStepPair<compiled, PaddedInput, true>;
        return nullptr;
    });
}

// The chosen pair kernel with its tiles last to first, where steps alternate; else nullptr.
GruStepPairFn gruStepPairReversedFor(int hidden, bool paddedInput) noexcept {
    if (!alternatesTiles(hidden) || gruStepPairFor(hidden, paddedInput) == nullptr) return nullptr;
    return paddedInput ? gruStepPairReversedForSize<true>(hidden) : gruStepPairReversedForSize<false>(hidden);
}

// output[o] = bias[o] + sum_i weights[o * stride + i] * input[i], for stride-padded rows.
void denseRows(const float* weights, const float* bias, int outputs, int stride, const float* input,
               float* output) noexcept {
    for (int o = 0; o < outputs; ++o) {
        Vec acc{};
        const float* row = weights + o * stride;
        for (int i = 0; i < stride; i += lanes) acc += load(row + i) * load(input + i);
        output[o] = bias[o] + sum(acc);
    }
}

template <Vec (*Function)(Vec)>
void applyToArray(const float* input, float* output, int count) noexcept {
    for (int i = 0; i < count; i += lanes) {
        float in[lanes]{}, out[lanes];
        const int n = std::min(lanes, count - i);
        std::copy(input + i, input + i + n, in);
        store(out, Function(load(in)));
        std::copy(out, out + n, output + i);
    }
}

int vectorFloats() noexcept { return lanes; }
int tileRows() noexcept { return tile * lanes; }

void tanhArray(const float* input, float* output, int count) noexcept { applyToArray<&simd::tanh>(input, output, count); }
void sigmoidArray(const float* input, float* output, int count) noexcept {
    applyToArray<&simd::sigmoid>(input, output, count);
}

} // namespace gs::kernels::GS_KERNEL_NAMESPACE
