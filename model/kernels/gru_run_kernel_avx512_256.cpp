// The GRU run kernels (gru_run_kernel_impl.h) for avx512_256, in a translation unit of their own,
// as every instruction set's (gru_run_kernel_avx2.cpp says why). The settings and target flags
// stay gru_kernel_avx512_256.cpp's: with GS_RUN_KERNELS defined it includes only the run kernels.
#define GS_RUN_KERNELS
#include "gru_kernel_avx512_256.cpp"  // NOLINT(bugprone-suspicious-include)
