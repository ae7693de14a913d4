// The GRU and LSTM kernels for avx512; target flags come from model/CMakeLists.txt.
#define GS_KERNEL_NAMESPACE avx512
#define GS_SIMD_LANES 16
#define GS_SIMD_TILE 24
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
