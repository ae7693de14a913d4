// The GRU and LSTM kernels for avx2 on 128-bit vectors; target flags come from
// model/CMakeLists.txt. For cores that split every 256-bit operation in two (a Zen 1): there a
// 4-float vector costs half an 8-float one, so sizes that 8-float gate blocks would pad
// (H12: 16 rows per gate) run a quarter fewer operations (kernelIsaForSize chooses them).
// With GS_RUN_KERNELS defined, the GRU's run kernels instead (gru_run_kernel_avx2_128.cpp).
#define GS_KERNEL_NAMESPACE avx2_128
#define GS_SIMD_LANES 4
#define GS_SIMD_TILE 12
#if defined(GS_RUN_KERNELS)
#include "gru_run_kernel_impl.h"
#else
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
#endif
