// The GRU and LSTM kernels for avx2; target flags come from model/CMakeLists.txt. With
// GS_RUN_KERNELS defined, the GRU's run kernels instead (gru_run_kernel_avx2.cpp). A tile of 15
// vectors uses 15 of the 16 registers for sums and one for the broadcast (the weights are FMA
// memory operands): the H40 GRU is one tile, and the LSTM at H32-128 runs 6-12 % faster than
// with tiles of 12 (Zen 1, measured together with the split limit below). Only tiles of up to
// three vectors split their sums into two sets: four or more chains nearly fill the FMA unit
// already, and two sets of six took all 16 registers and spilled (Zen 1, H16 143 -> 138 ns
// with one set).
#define GS_KERNEL_NAMESPACE avx2
#define GS_SIMD_LANES 8
#define GS_SIMD_TILE 15
#define GS_SIMD_SPLIT_VECTORS 3
#if defined(GS_RUN_KERNELS)
#include "gru_run_kernel_impl.h"
#else
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
#endif
