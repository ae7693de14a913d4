// The GRU and LSTM kernels for sse42; target flags come from model/CMakeLists.txt. With
// GS_RUN_KERNELS defined, the GRU's run kernels instead (gru_run_kernel_sse42.cpp).
#define GS_KERNEL_NAMESPACE sse42
#define GS_SIMD_LANES 4
#define GS_SIMD_TILE 12
#if defined(GS_RUN_KERNELS)
#include "gru_run_kernel_impl.h"
#else
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
#endif
