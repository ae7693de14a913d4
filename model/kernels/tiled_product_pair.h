#pragma once
// Two channels' register-tiled products in one pass over the weights, for the GRU's and the
// LSTM's pair steps (gru_step_impl.h, lstm_kernel_impl.h): the same tiles, column splits and
// sums as tiled_product.h's, per channel.

#include "tiled_product.h"

namespace gs::kernels::GS_KERNEL_NAMESPACE {
namespace {

// A weight loaded into a register that GCC keeps there for both channels' FMAs: an empty asm
// that may change it stops GCC from folding the load into each FMA as a memory operand (two
// loads of every weight) where registers are short. Off x86 the constraint does not exist.
GS_ALWAYS_INLINE Vec heldInRegister(Vec w) noexcept {
#if defined(__x86_64__)
    asm("" : "+v"(w));
#endif
    return w;
}

// Two channels' recurrent products in one pass over the weights: each column is loaded once
// for both, which halves the weight traffic of a stereo step. Every row of every channel is
// summed in the same order as accumulateTile's (the same `Sets` split of the columns),
// so a channel gets bit-identical numbers stepped alone or in a pair (tested).
// FromMemory: h[j] broadcast from memory instead of permuted out of a loaded vector, and each
// weight held in a register for both channels (heldInRegister). For products of several tiles
// (accumulateTilesPair), where h was stored a whole step before and the weights stream from
// L2: there the permutes' index vectors took 10 of AVX-512's 32 registers and GCC loaded each
// weight twice (6 loads per column of a pass of 3 vectors). Zen 5, stereo blocks of 64, 6
// alternating rounds, minimum ns: AVX-512 H64 18514 -> 17154, H96 58538 -> 57111, H128 95115
// -> 93865; AVX2 forced, H96 79799 -> 70153, H128 140526 -> 123285. Broadcasting from memory
// without holding the weights was 15 % slower at H64 (8 loads per column; twenty-second
// session, docs/benchmarks.md). Single-tile products keep the permutes: there h' is fresh
// from the step before, on the chain, and a scalar load of it would wait for its store.
template <int Count, int Sets, int Hidden, bool FromMemory = false>
GS_ALWAYS_INLINE void
accumulateTilePair(const float* __restrict initial0, const float* __restrict initial1,
                   const float* __restrict columns, int rows, const float* __restrict h0,
                   const float* __restrict h1, int hidden, float* __restrict out0,
                   float* __restrict out1) noexcept {
    Vec acc0[Sets][Count], acc1[Sets][Count];
#pragma GCC unroll 32
    for (int k = 0; k < Count; ++k) {
        acc0[0][k] = load(initial0 + k * lanes);
        acc1[0][k] = load(initial1 + k * lanes);
        for (int set = 1; set < Sets; ++set) acc0[set][k] = acc1[set][k] = Vec{};
    }
    const int n = Hidden > 0 ? Hidden : hidden;
    for (int base = 0; base < n; base += lanes) {
        const Vec chunk0 = load(h0 + base), chunk1 = load(h1 + base);
        const int count = std::min(lanes, n - base);
#pragma GCC unroll 16
        for (int l = 0; l < lanes; ++l) {
            if (l >= count) break;
            const Vec a = FromMemory ? broadcast(h0[base + l]) : splatLane(chunk0, l);
            const Vec b = FromMemory ? broadcast(h1[base + l]) : splatLane(chunk1, l);
            const float* column = columns + (base + l) * rows;
#pragma GCC unroll 32
            for (int k = 0; k < Count; ++k) {
                const Vec w = FromMemory ? heldInRegister(load(column + k * lanes))
                                         : load(column + k * lanes);
                acc0[l % Sets][k] += a * w;
                acc1[l % Sets][k] += b * w;
            }
        }
    }
#pragma GCC unroll 32
    for (int k = 0; k < Count; ++k) {
        store(out0 + k * lanes, sumOfSets(acc0, k));
        store(out1 + k * lanes, sumOfSets(acc1, k));
    }
}

// accumulateRowsPair's cases call the tile through this (see accumulateTileCompilerInlined).
template <int Count, int Sets, int Hidden>
inline void accumulateTilePairCompilerInlined(const float* initial0, const float* initial1,
                                              const float* columns, int rows, const float* h0,
                                              const float* h1, int hidden, float* out0,
                                              float* out1) noexcept {
    accumulateTilePair<Count, Sets, Hidden>(initial0, initial1, columns, rows, h0, h1, hidden, out0,
                                            out1);
}

// How many vectors of rows one pair pass takes. Both channels' accumulators (2 x sets x
// vectors) share the registers with two h chunks, two broadcasts, a weight and the lane
// indices GCC hoists: with two sets, a pass of 6 (24 accumulators) spilled (stereo H24:
// 132 instead of 90 ns, measured), so two-set passes stop at 5; four-set passes stop at 2
// (16 accumulators; one pass of 3 was slower: Zen 5, stereo H16 2902 -> 3065 ns per 64
// frames against 2879 in passes of 2 and 1, minimum of 10 rounds). Passes are balanced.
constexpr int pairPassVectors(int count, int sets) {
    const int most = sets == 4 ? 2 : sets == 2 ? tile / 4 - 1 : tile / 2;
    const int passes = (count + most - 1) / most;
    return (count + passes - 1) / passes;
}

// The pair passes of a one-tile product, unrolled at compile time and inlined.
template <int Vectors, int Sets, int Hidden, bool FromMemory = false, int First = 0>
GS_ALWAYS_INLINE void accumulatePairPasses(const float* initial0, const float* initial1,
                                           const float* weights, int rows, const float* h0,
                                           const float* h1, float* out0, float* out1) noexcept {
    if constexpr (First < Vectors) {
        constexpr int count = std::min(pairPassVectors(Vectors, Sets), Vectors - First);
        constexpr int offset = First * lanes;
        accumulateTilePair<count, Sets, Hidden, FromMemory>(initial0 + offset, initial1 + offset,
                                                            weights + offset, rows, h0, h1, Hidden,
                                                            out0 + offset, out1 + offset);
        accumulatePairPasses<Vectors, Sets, Hidden, FromMemory, First + count>(
            initial0, initial1, weights, rows, h0, h1, out0, out1);
    }
}

// A compile-time size's tiles (first to last, or last to first when Reversed, as
// accumulateTiles takes them), each tile's passes unrolled and inlined, h and the weights
// read as accumulateTilePair's FromMemory says: for products of
// several tiles and for a one-tile product that gruTileVectors cuts in two (AVX-512 H64:
// through accumulateRowsPair's run-time loop the stereo step took 48.9 us per 64 frames, 41.8
// before the cut; measured). accumulateRowsPair serves the run-time sizes.
template <int Vectors, int Hidden, int TileVectors, bool Reversed, int Index = 0>
GS_ALWAYS_INLINE void accumulateTilesPair(const float* initial0, const float* initial1,
                                          const float* weights, const float* h0, const float* h1,
                                          float* out0, float* out1) noexcept {
    constexpr int tiles = (Vectors + TileVectors - 1) / TileVectors;
    if constexpr (Index < tiles) {
        constexpr int first = (Reversed ? tiles - 1 - Index : Index) * TileVectors;
        constexpr int count = std::min(TileVectors, Vectors - first);
        constexpr int offset = first * lanes;
        accumulatePairPasses<count, setsFor(count), Hidden, true>(
            initial0 + offset, initial1 + offset, weights + offset * Hidden, count * lanes, h0, h1,
            out0 + offset, out1 + offset);
        accumulateTilesPair<Vectors, Hidden, TileVectors, Reversed, Index + 1>(
            initial0, initial1, weights, h0, h1, out0, out1);
    }
}

// The single-channel tiles (and their split into sets), each cut into passes small enough to
// keep both channels' accumulators in registers.
template <int Hidden>
inline void accumulateRowsPair(const float* initial0, const float* initial1, const float* weights,
                               int rows, const float* h0, const float* h1, int hidden,
                               int tileVectors, bool reversed, float* out0, float* out1) noexcept {
    const int vectors = rows / lanes;
    const int columns = Hidden > 0 ? Hidden : hidden;
    const int tiles = (vectors + tileVectors - 1) / tileVectors;
    for (int i = 0; i < tiles; ++i) {
        const int start = (reversed ? tiles - 1 - i : i) * tileVectors;
        const int count = std::min(tileVectors, vectors - start);
        const float* block =
            weights + start * lanes * columns;  // the tile's block (accumulateRows)
        const int sets = setsFor(count);        // accumulateTile's choice for this tile
        const int perPass = pairPassVectors(count, sets);
        for (int first = start; first < start + count; first += perPass) {
            const int passCount = std::min(perPass, start + count - first);
            const int offset = first * lanes;
            const float* i0 = initial0 + offset;
            const float* i1 = initial1 + offset;
            const float* w = block + (first - start) * lanes;
            float* o0 = out0 + offset;
            float* o1 = out1 + offset;
            switch (passCount * 4 + sets - 1) {
#define GS_PAIR_CASE(c)                                                                            \
    case 4 * (c):                                                                                  \
        if constexpr (2 * (c) <= tile)                                                             \
            accumulateTilePairCompilerInlined<c, 1, Hidden>(i0, i1, w, count * lanes, h0, h1,      \
                                                            hidden, o0, o1);                       \
        break;                                                                                     \
    case 4 * (c) + 1:                                                                              \
        if constexpr (4 * (c) <= tile)                                                             \
            accumulateTilePairCompilerInlined<c, 2, Hidden>(i0, i1, w, count * lanes, h0, h1,      \
                                                            hidden, o0, o1);                       \
        break;                                                                                     \
    case 4 * (c) + 3:                                                                              \
        if constexpr ((c) <= fourSetVectors)                                                       \
            accumulateTilePairCompilerInlined<c, 4, Hidden>(i0, i1, w, count * lanes, h0, h1,      \
                                                            hidden, o0, o1);                       \
        break;
                // clang-format off
                GS_PAIR_CASE(1) GS_PAIR_CASE(2) GS_PAIR_CASE(3) GS_PAIR_CASE(4) GS_PAIR_CASE(5)
                GS_PAIR_CASE(6) GS_PAIR_CASE(7) GS_PAIR_CASE(8) GS_PAIR_CASE(9) GS_PAIR_CASE(10)
                GS_PAIR_CASE(11) GS_PAIR_CASE(12)
#undef GS_PAIR_CASE
                default: break;
                // clang-format on
            }
        }
    }
}

}  // namespace
}  // namespace gs::kernels::GS_KERNEL_NAMESPACE
