// The GRU and LSTM kernels for avx2 on 128-bit vectors; target flags come from
// model/CMakeLists.txt. For cores that split every 256-bit operation in two (a Zen 1): there a
// 4-float vector costs half an 8-float one, so sizes that 8-float gate blocks would pad
// (H12: 16 rows per gate) run a quarter fewer operations (kernelIsaForSize chooses them).
#define GS_KERNEL_NAMESPACE avx2_128
#define GS_SIMD_LANES 4
#define GS_SIMD_TILE 12
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
