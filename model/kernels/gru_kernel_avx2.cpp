// The GRU and LSTM kernels for avx2; target flags come from model/CMakeLists.txt.
#define GS_KERNEL_NAMESPACE avx2
#define GS_SIMD_LANES 8
#define GS_SIMD_TILE 12
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
