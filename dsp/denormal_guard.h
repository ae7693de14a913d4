#pragma once
// Flushes denormals to zero for the lifetime of the guard and restores the caller's
// floating-point mode on exit. Denormals make recurrent state decaying through silence
// many times slower on x86. audio thread.

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define GS_HAS_MXCSR 1
#endif

namespace gs {

class DenormalGuard {
public:
    DenormalGuard() noexcept {
#if defined(GS_HAS_MXCSR)
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | flushToZero | denormalsAreZero);
#elif defined(__aarch64__)
        asm volatile("mrs %0, fpcr" : "=r"(saved_));
        asm volatile("msr fpcr, %0" ::"r"(saved_ | flushToZeroAarch64));
#endif
    }
    ~DenormalGuard() {
#if defined(GS_HAS_MXCSR)
        _mm_setcsr(saved_);
#elif defined(__aarch64__)
        asm volatile("msr fpcr, %0" ::"r"(saved_));
#endif
    }
    DenormalGuard(const DenormalGuard&) = delete;
    DenormalGuard& operator=(const DenormalGuard&) = delete;

private:
#if defined(GS_HAS_MXCSR)
    static constexpr unsigned flushToZero = 0x8000;       // MXCSR.FTZ
    static constexpr unsigned denormalsAreZero = 0x0040;  // MXCSR.DAZ
    unsigned saved_ = 0;
#elif defined(__aarch64__)
    static constexpr unsigned long long flushToZeroAarch64 = 1ull << 24;  // FPCR.FZ
    unsigned long long saved_ = 0;
#endif
};

}  // namespace gs
