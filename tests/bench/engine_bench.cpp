// Engine overhead over the bare model, side by side in one run (ns per sample).
//   build/tests/bench/engine_bench --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true   (one command line)

#include "engine_workload.h"

#include <benchmark/benchmark.h>

namespace gs::bench {
namespace {

template <typename Workload>
void runWorkload(benchmark::State& state, Workload& workload) {
    const std::vector<float> signal = benchSignal(blockSize);
    std::vector<float> work(blockSize);
    for (auto _ : state) {
        workload.processBlock(signal.data(), work.data());
        benchmark::DoNotOptimize(work.data());
    }
    state.SetItemsProcessed(state.iterations() * blockSize);
    state.counters["ns_per_sample"] =
        benchmark::Counter(static_cast<double>(state.iterations() * blockSize),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void bareModel(benchmark::State& state) {
    BareWorkload workload(static_cast<int>(state.range(0)));
    runWorkload(state, workload);
}

void fullEngine(benchmark::State& state) {
    EngineWorkload workload(static_cast<int>(state.range(0)));
    runWorkload(state, workload);
    state.counters["bytes_per_channel"] = static_cast<double>(workload.bytesPerChannel());
}

void resamplingEngine(benchmark::State& state) {
    EngineWorkload workload(static_cast<int>(state.range(0)), 44100.0);
    runWorkload(state, workload);
    state.counters["bytes_per_channel"] = static_cast<double>(workload.bytesPerChannel());
}

BENCHMARK(bareModel)->Arg(8)->Arg(40)->Arg(64);
BENCHMARK(fullEngine)->Arg(8)->Arg(40)->Arg(64);
BENCHMARK(resamplingEngine)->Arg(40);

}  // namespace
}  // namespace gs::bench

BENCHMARK_MAIN();
