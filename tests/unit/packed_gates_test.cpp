// How gated layers' weights are laid out for the kernels: gate blocks padded to the vector,
// tiles stored column by column.

#include "isa_kernels.h"
#include "model/kernels/gru_kernels.h"
#include "model/kernels/packed_gru.h"
#include "model/kernels/packed_lstm.h"
#include "model/lstm_layer.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace gs {
namespace {

TEST(PackedGates, EachGateBlockIsPaddedToTheKernelsVectorOnlyAndTheStateTo16) {
    std::mt19937 rng(12);
    const auto gru = test::randomGru(rng, 2, 8);
    struct Case {
        int align, gateRows;
    };
    for (const Case c : {Case{4, 8}, Case{8, 8}, Case{16, 16}}) {
        const PackedGru packed(gru->weights(), c.align, 12 * c.align);  // one tile
        EXPECT_EQ(packed.gateRows, c.gateRows) << "alignment " << c.align;
        EXPECT_EQ(packed.rows, 3 * c.gateRows);
        EXPECT_EQ(packed.paddedHidden, 16);  // the state layout does not depend on the kernel
        // z's first weight sits right after r's block: torch row H (z, unit 0), column 0,
        // scaled by -log2(e).
        EXPECT_FLOAT_EQ(packed.weightHh[static_cast<std::size_t>(c.gateRows)],
                        static_cast<float>(gru->weights().weightHh(8, 0) * -1.4426950408889634));
        for (int row = 8; row < c.gateRows; ++row)
            EXPECT_EQ(packed.weightHh[static_cast<std::size_t>(row)], 0.0f);
    }
    const auto odd = test::randomGru(rng, 1, 5);
    EXPECT_EQ(PackedGru(odd->weights(), 4, 48).gateRows, 8);
    EXPECT_EQ(PackedGru(odd->weights(), 8, 96).gateRows, 8);
    const LstmLayer lstm(test::randomMatrix(rng, 20, 1), test::randomMatrix(rng, 20, 5),
                         test::randomVector(rng, 20), test::randomVector(rng, 20));
    // four gate blocks of 5 rounded up to 8
    EXPECT_EQ(PackedLstm(lstm.weights(), 4, 48).rows, 4 * 8);
    // must divide the state's 16
    EXPECT_THROW(PackedGru(gru->weights(), 3, 48), std::invalid_argument);
    EXPECT_THROW(PackedGru(gru->weights(), 32, 64), std::invalid_argument);
    const KernelIsa active = activeKernelIsa();
    EXPECT_EQ(kernelVectorFloats(active), active == KernelIsa::Avx512       ? 16
                                          : test::eightFloatKernels(active) ? 8
                                                                            : 4);
}

// Rows cut into tiles, each tile's rows column by column: H40 at AVX2's gate alignment (3
// blocks of 40 rows) with tiles of 48 rows gives blocks of 48, 48 and 24 rows.
TEST(PackedGates, EachTilesRowsAreStoredColumnByColumnInOneBlock) {
    std::mt19937 rng(13);
    constexpr int hidden = 40, inputs = 3;
    const auto gru = test::randomGru(rng, inputs, hidden);
    const PackedGru packed(gru->weights(), 8, 48);
    ASSERT_EQ(packed.rows, 120);
    EXPECT_EQ(packed.tileRows, 48);
    // n's unit 20 (packed row 100, torch row 100) in the last block (rows 96..119, 24 high):
    // column 7 sits at 96 x 40 + 7 x 24 + 4.
    EXPECT_EQ(packed.indexOf(100, 7, hidden), static_cast<std::size_t>(96 * 40 + 7 * 24 + 4));
    EXPECT_FLOAT_EQ(packed.weightHh[96 * 40 + 7 * 24 + 4],
                    static_cast<float>(gru->weights().weightHh(100, 7) * 2.0 * 1.4426950408889634));
    // z's unit 10 (packed row 50) in the second block, input column 2: 48 x 3 + 2 x 48 + 2.
    EXPECT_FLOAT_EQ(packed.weightIh[48 * 3 + 2 * 48 + 2],
                    static_cast<float>(gru->weights().weightIh(50, 2) * -1.4426950408889634));
    // Every (row, column) has a place of its own, and together they fill the matrix.
    std::vector<int> used(static_cast<std::size_t>(packed.rows * hidden), 0);
    for (int row = 0; row < packed.rows; ++row)
        for (int column = 0; column < hidden; ++column)
            ++used.at(packed.indexOf(row, column, hidden));
    EXPECT_TRUE(std::all_of(used.begin(), used.end(), [](int n) { return n == 1; }));
    // A tile must hold whole vectors.
    EXPECT_THROW(PackedGru(gru->weights(), 8, 20), std::invalid_argument);
    EXPECT_THROW(PackedGru(gru->weights(), 8, 0), std::invalid_argument);
    EXPECT_EQ(kernelTileRows(activeKernelIsa()) % kernelVectorFloats(activeKernelIsa()), 0);
}

}  // namespace
}  // namespace gs
