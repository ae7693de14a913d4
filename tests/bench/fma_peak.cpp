// The core's peak rate of 512-bit FMAs (counter fma_per_ns). docs/benchmarks.md divides a
// kernel's FMA-port work per frame by it: the least time a frame can take on this core,
// whatever the code (what bounds stereo at H40-48). Sixteen independent chains of dependent
// FMAs, twice the FMA latency (4 cycles) times the FMA units (2), so the units, not the
// chains, set the rate. In assembly: with intrinsics
// GCC kept the chains in memory.

#include <benchmark/benchmark.h>

#if defined(__x86_64__)

namespace gs::bench {
namespace {

constexpr int chains = 16;
constexpr long stepsPerIteration = 1024;

[[gnu::target("avx512f")]] void fmaChains512(long steps) {
    const float factor = 0.999f, addend = 1e-4f;
    asm volatile("vbroadcastss %[factor], %%zmm31\n\t"
                 "vbroadcastss %[addend], %%zmm30\n\t"
                 "vmovaps %%zmm30, %%zmm0\n\t"
                 "vmovaps %%zmm30, %%zmm1\n\t"
                 "vmovaps %%zmm30, %%zmm2\n\t"
                 "vmovaps %%zmm30, %%zmm3\n\t"
                 "vmovaps %%zmm30, %%zmm4\n\t"
                 "vmovaps %%zmm30, %%zmm5\n\t"
                 "vmovaps %%zmm30, %%zmm6\n\t"
                 "vmovaps %%zmm30, %%zmm7\n\t"
                 "vmovaps %%zmm30, %%zmm8\n\t"
                 "vmovaps %%zmm30, %%zmm9\n\t"
                 "vmovaps %%zmm30, %%zmm10\n\t"
                 "vmovaps %%zmm30, %%zmm11\n\t"
                 "vmovaps %%zmm30, %%zmm12\n\t"
                 "vmovaps %%zmm30, %%zmm13\n\t"
                 "vmovaps %%zmm30, %%zmm14\n\t"
                 "vmovaps %%zmm30, %%zmm15\n\t"
                 "1:\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm0\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm1\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm2\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm3\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm4\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm5\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm6\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm7\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm8\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm9\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm10\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm11\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm12\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm13\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm14\n\t"
                 "vfmadd213ps %%zmm30, %%zmm31, %%zmm15\n\t"
                 "dec %[steps]\n\t"
                 "jnz 1b\n\t"
                 : [steps] "+r"(steps)
                 : [factor] "m"(factor), [addend] "m"(addend)
                 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                   "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm30", "xmm31", "cc");
}

void fmaPeak512(benchmark::State& state) {
    if (!__builtin_cpu_supports("avx512f")) return state.SkipWithError("no AVX-512 on this CPU");
    for (auto _ : state) fmaChains512(stepsPerIteration);
    const auto fmas = static_cast<double>(state.iterations()) * chains * stepsPerIteration;
    state.counters["fma_per_ns"] = benchmark::Counter(fmas * 1e-9, benchmark::Counter::kIsRate);
}

BENCHMARK(fmaPeak512);

}  // namespace
}  // namespace gs::bench

#endif
