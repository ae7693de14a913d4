#pragma once
// Register-tiled products W h for one instruction set, shared by the GRU and LSTM steps
// (gru_step_impl.h, lstm_kernel_impl.h) and included by the same kernel files. A product
// is a sum of W's columns scaled by broadcast h[j], accumulated in registers a tile of rows
// at a time; each tile reads one contiguous block of the packed weights (packed_gates.h).
// Sizes known at compile time unroll fully; any other size runs the same code with run-time
// loops, so both give identical numbers.

#include "packed_gates.h"
#include "simd.h"

#include <algorithm>
#include <cassert>

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

using namespace gs::simd;

// Rows per gate block for a compile-time size: H rounded up to this kernel's vector (what
// PackedGates lays out when given lanes as its alignment).
constexpr int gateRowsFor(int hidden) { return roundUpToMultiple(hidden, lanes); }

// Small tiles are latency-bound (one FMA chain of H links per vector), so they split the sum
// over the columns into sets of accumulators, column j into set j mod sets: two when registers
// allow (up to splitVectors, simd.h), four where a kernel unit says so (fourSetVectors).
constexpr int setsFor(int count) {
    return count <= fourSetVectors ? 4 : count <= splitVectors ? 2 : 1;
}

// Vector k of a tile's sum from its sets' accumulators, in one order for the single and the
// pair tiles, so that both give the same numbers.
template <int Sets, int Count>
GS_INLINE_MATH Vec sumOfSets(const Vec (&acc)[Sets][Count], int k) noexcept {
    static_assert(Sets == 1 || Sets == 2 || Sets == 4);
    if constexpr (Sets == 4) return (acc[0][k] + acc[2][k]) + (acc[1][k] + acc[3][k]);
    if constexpr (Sets == 2) return acc[0][k] + acc[1][k];
    return acc[0][k];
}

// Whether Values holds each of 0 .. count - 1 exactly once.
template <int... Values>
constexpr bool isPermutation() {
    constexpr int count = sizeof...(Values);
    constexpr int values[] = {Values..., 0};
    bool seen[count + 1] = {};
    for (int i = 0; i < count; ++i) {
        if (values[i] < 0 || values[i] >= count || seen[values[i]]) return false;
        seen[values[i]] = true;
    }
    return true;
}

// out[0 .. Count vectors) = initial + sum_j h[j] * column_j, for `Count` vectors of rows.
// VectorStored: h was written by vector stores and is readable in whole vectors (a GRU or
// LSTM state); otherwise h is a plain array of exactly `hidden` values (a caller's input frame).
// VectorOrder (empty, or one index per vector): sum the tile one vector at a time in this
// order, each over all columns, instead of all vectors column by column. Each vector's sum
// keeps its own order, so the numbers are the same either way; only when each is ready moves.
template <int Count, int Hidden, bool VectorStored = true, int... VectorOrder>
GS_INLINE_MATH void accumulateTile(const float* __restrict initial, const float* __restrict columns,
                                   int rows, const float* __restrict h, int hidden,
                                   float* __restrict out) noexcept {
    constexpr int sets = setsFor(Count);
    Vec acc[sets][Count];
#pragma GCC unroll 32
    for (int k = 0; k < Count; ++k) {
        acc[0][k] = load(initial + k * lanes);
        for (int set = 1; set < sets; ++set) acc[set][k] = Vec{};
    }
    constexpr bool ordered = sizeof...(VectorOrder) > 0;
    static_assert(!ordered || (sizeof...(VectorOrder) == Count && isPermutation<VectorOrder...>()));
    constexpr int order[] = {VectorOrder..., 0};
    const int n = Hidden > 0 ? Hidden : hidden;
    constexpr int passes = std::max<int>(1, sizeof...(VectorOrder));  // Count if ordered
#pragma GCC unroll 32
    for (int pass = 0; pass < passes; ++pass) {
        const int first = ordered ? order[pass] : 0;
        const int end = ordered ? first + 1 : Count;
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
    for (int k = 0; k < Count; ++k) store(out + k * lanes, sumOfSets(acc, k));
}

// accumulateTile<Count, Hidden> of a compile-time size, in parts: start, then columns in
// ranges [First, End) that together cover 0 .. Hidden in order, then finish. Each row's sum
// takes its columns in the same sets and order, so the same numbers. For a caller that fits
// other work between the parts (gruRunPairStaggered, gru_run_kernel_impl.h); h[j] is
// broadcast from memory, which suits an h stored long enough before to have left the store
// buffer.
template <int Count, int Hidden>
struct TileInParts {
    static_assert(Hidden > 0);
    static constexpr int sets = setsFor(Count);
    Vec acc[sets][Count];

    GS_ALWAYS_INLINE void start(const float* __restrict initial) noexcept {
#pragma GCC unroll 32
        for (int k = 0; k < Count; ++k) {
            acc[0][k] = load(initial + k * lanes);
            for (int set = 1; set < sets; ++set) acc[set][k] = Vec{};
        }
    }
    template <int First, int End>
    GS_ALWAYS_INLINE void addColumns(const float* __restrict columns,
                                     const float* __restrict h) noexcept {
        static_assert(0 <= First && First <= End && End <= Hidden);
#pragma GCC unroll 128
        for (int j = First; j < End; ++j) {
            const Vec hj = broadcast(h[j]);
            const float* column = columns + j * Count * lanes;
            Vec* target = acc[j % sets];
#pragma GCC unroll 32
            for (int k = 0; k < Count; ++k) target[k] += hj * load(column + k * lanes);
        }
    }
    GS_ALWAYS_INLINE void finish(float* __restrict out) const noexcept {
#pragma GCC unroll 32
        for (int k = 0; k < Count; ++k) store(out + k * lanes, sumOfSets(acc, k));
    }
};

// accumulateRows' two dozen cases call the tile through this, leaving the inlining to the
// compiler: forcing it there multiplied the code (clang with sanitizers spent over 13 minutes
// on one kernel file). Only a step's single tile is forced inline.
template <int Count, int Hidden, bool VectorStored>
inline void accumulateTileCompilerInlined(const float* initial, const float* columns, int rows,
                                          const float* h, int hidden, float* out) noexcept {
    accumulateTile<Count, Hidden, VectorStored>(initial, columns, rows, h, hidden, out);
}

// Tiles of a run-time number of vectors, each dispatched to a fixed-count tile. weights: in
// tile blocks of tileVectors vectors (packed_gates.h): the block of the tile at row `offset`
// starts at offset x columns, and its columns are count x lanes apart. reversed: the tiles
// last to first (the same sums; a GRU's steps alternate: alternatesTiles, gru_step_impl.h).
// The switches below have cases for tiles of up to 24 vectors and pair passes of up to 12: a
// larger tile would leave sums unwritten.
static_assert(tile <= 24 && tile / 2 <= 12,
              "add tile cases to accumulateRows and accumulateRowsPair");

template <int Hidden, bool VectorStored = true>
inline void accumulateRows(const float* initial, const float* weights, int rows, const float* h,
                           int hidden, float* out, int tileVectors = tile,
                           bool reversed = false) noexcept {
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
        if constexpr ((c) <= tile)                                                                 \
            accumulateTileCompilerInlined<c, Hidden, VectorStored>(                                \
                initial + offset, block, lanes * (c), h, hidden, out + offset);                    \
        break;
            // clang-format off
            GS_TILE_CASE(1) GS_TILE_CASE(2) GS_TILE_CASE(3) GS_TILE_CASE(4) GS_TILE_CASE(5)
            GS_TILE_CASE(6) GS_TILE_CASE(7) GS_TILE_CASE(8) GS_TILE_CASE(9) GS_TILE_CASE(10)
            GS_TILE_CASE(11) GS_TILE_CASE(12) GS_TILE_CASE(13) GS_TILE_CASE(14) GS_TILE_CASE(15)
            GS_TILE_CASE(16) GS_TILE_CASE(17) GS_TILE_CASE(18) GS_TILE_CASE(19) GS_TILE_CASE(20)
            GS_TILE_CASE(21) GS_TILE_CASE(22) GS_TILE_CASE(23) GS_TILE_CASE(24)
#undef GS_TILE_CASE
            default: break;
            // clang-format on
        }
    }
}

// A compile-time size's product of several tiles: the same tiles, blocks and order as
// accumulateRows<Hidden>, but only the tile sizes this product uses are instantiated (that
// switch instantiates every case for every size: the AVX-512 kernel file took 70 s to compile
// in Release with it, 61 s with this).
template <int Vectors, int Hidden, int TileVectors, bool Reversed, int Index = 0>
inline void accumulateTiles(const float* initial, const float* weights, const float* h,
                            float* out) noexcept {
    constexpr int tiles = (Vectors + TileVectors - 1) / TileVectors;
    if constexpr (Index < tiles) {
        constexpr int first = (Reversed ? tiles - 1 - Index : Index) * TileVectors;
        constexpr int count = std::min(TileVectors, Vectors - first);
        constexpr int offset = first * lanes;
        accumulateTileCompilerInlined<count, Hidden, true>(
            initial + offset, weights + offset * Hidden, count * lanes, h, Hidden, out + offset);
        accumulateTiles<Vectors, Hidden, TileVectors, Reversed, Index + 1>(initial, weights, h,
                                                                           out);
    }
}

// The recurrent product of a layer with `Gates` gate blocks (GRU 3, LSTM 4), in tiles of
// TileVectors vectors (a compile-time size's) or tileVectors (the run-time size's): a
// compile-time size of one tile inlines it (its block is the whole matrix, column by column;
// where each gate is one vector and GateOrder is given, gate by gate in that order), a larger
// one calls only the tiles it uses, and the run-time size goes through
// accumulateRows' switch. All three sum in the same order, and each row's sum is the same in
// either tile order, so compiled and dynamic kernels agree bit for bit. Forced inline
// (GS_INLINE_MATH) because it only chooses: the step compiles as if it called the chosen
// product itself.
template <int Gates, int Hidden, int TileVectors, bool Reversed = false, int... GateOrder>
GS_INLINE_MATH void recurrentProduct(const float* initial, const float* weights, int rows,
                                     const float* h, int hidden, int tileVectors,
                                     float* out) noexcept {
    constexpr int vectors = Gates * gateRowsFor(Hidden) / lanes;
    constexpr bool oneTile = Hidden > 0 && vectors <= TileVectors;
    if constexpr (oneTile && vectors == Gates && sizeof...(GateOrder) > 0)
        accumulateTile<vectors, Hidden, true, GateOrder...>(initial, weights, rows, h, hidden, out);
    else if constexpr (oneTile)
        accumulateTile<vectors, Hidden, true>(initial, weights, rows, h, hidden, out);
    else if constexpr (Hidden > 0)
        accumulateTiles<vectors, Hidden, TileVectors, Reversed>(initial, weights, h, out);
    else
        accumulateRows<0>(initial, weights, rows, h, hidden, out, tileVectors, Reversed);
}

}  // namespace
}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
