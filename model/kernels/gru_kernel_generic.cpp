// The GRU and LSTM kernels for generic; target flags come from model/CMakeLists.txt.
#define GS_KERNEL_NAMESPACE generic
#define GS_SIMD_LANES 4
#define GS_SIMD_TILE 12
#include "gru_kernel_impl.h"
#include "lstm_kernel_impl.h"
