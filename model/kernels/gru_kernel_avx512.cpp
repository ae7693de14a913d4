// The GRU and LSTM kernels for avx512; target flags come from model/CMakeLists.txt. With
// GS_RUN_KERNELS defined, the GRU's run kernels instead (gru_run_kernel_avx512.cpp).
#define GS_KERNEL_NAMESPACE avx512
#define GS_SIMD_LANES 16
#define GS_SIMD_TILE 24
#if defined(GS_RUN_KERNELS)
#include "gru_run_kernel_impl.h"
#else
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
#endif
