// GRU speed, every implementation side by side in one run (ns per sample, and the real-time
// factor at 48 kHz: how many times faster than real time one core runs it).
//   build/tests/bench/gru_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//                               --benchmark_out=gru_bench.json --benchmark_out_format=json
// Models: GRU(1->H) + Dense(H->1) unless named otherwise. docs/benchmarks.md has the results.

#include "engine_workload.h"
#include "gru_baselines.h"

#include "dsp/model_stream.h"
#include "test_models.h"

#include <benchmark/benchmark.h>

namespace gs::bench {
namespace {

const std::vector<int> hiddenSizes{8, 12, 16, 24, 32, 40, 48, 64, 96, 128};

void reportPerSample(benchmark::State& state, std::int64_t samplesPerIteration) {
    const auto samples = static_cast<double>(state.iterations() * samplesPerIteration);
    state.SetItemsProcessed(static_cast<std::int64_t>(samples));
    state.counters["ns_per_sample"] =
        benchmark::Counter(samples, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    // samples per second / 48000: the real-time factor of one core at 48 kHz
    state.counters["realtime_x_48k"] =
        benchmark::Counter(samples / 48000.0, benchmark::Counter::kIsRate);
}

std::shared_ptr<const RecurrentModel> gruModel(int hidden, int layers = 1, int inputs = 1,
                                               int outputs = 1) {
    return test::randomModel(7, inputs, hidden, layers, outputs, 0,
                             outputs > 1 ? Activation::Softmax : Activation::None);
}

std::shared_ptr<const RecurrentModel> lstmModel(int hidden) {
    return test::randomLstmModel(9, 1, hidden, 1);
}

// One sample at a time, as a plugin running per-sample would.
void oneSampleAtATime(benchmark::State& state, const std::shared_ptr<const RecurrentModel>& model) {
    ModelStream stream;
    stream.prepare(model, 1);
    const std::vector<float> signal = benchSignal(4096);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(stream.processSample(0, signal[i]));
        i = (i + 1) & 4095;
    }
    reportPerSample(state, 1);
}

void gruStream(benchmark::State& state) {
    oneSampleAtATime(state, gruModel(static_cast<int>(state.range(0))));
}
void lstm(benchmark::State& state) {
    oneSampleAtATime(state, lstmModel(static_cast<int>(state.range(0))));
}
void twoLayerGru(benchmark::State& state) {
    oneSampleAtATime(state, gruModel(static_cast<int>(state.range(0)), 2));
}

// Blocks through ModelStream::process (stereo: both channels' frames side by side).
void blocks(benchmark::State& state, int blockSize, int channels,
            const std::shared_ptr<const RecurrentModel>& model) {
    ModelStream stream;
    stream.prepare(model, channels);
    std::vector<std::vector<float>> buffers(static_cast<std::size_t>(channels),
                                            benchSignal(static_cast<std::size_t>(blockSize)));
    std::vector<float*> pointers;
    pointers.reserve(buffers.size());
    for (auto& b : buffers) pointers.push_back(b.data());
    const std::vector<float> signal = benchSignal(static_cast<std::size_t>(blockSize));
    for (auto _ : state) {
        for (auto& b : buffers) std::copy(signal.begin(), signal.end(), b.begin());
        stream.process(pointers.data(), pointers.data(), channels, blockSize);
        benchmark::DoNotOptimize(pointers.data());
    }
    reportPerSample(state, blockSize);  // per frame: a stereo frame is two channel samples
}

void blocks(benchmark::State& state, int blockSize, int channels) {
    blocks(state, blockSize, channels, gruModel(static_cast<int>(state.range(0))));
}

void block64(benchmark::State& state) { blocks(state, 64, 1); }
void block512(benchmark::State& state) { blocks(state, 512, 1); }
void stereoBlock64(benchmark::State& state) { blocks(state, 64, 2); }
void lstmBlock64(benchmark::State& state) {
    blocks(state, 64, 1, lstmModel(static_cast<int>(state.range(0))));
}
void lstmStereoBlock64(benchmark::State& state) {
    blocks(state, 64, 2, lstmModel(static_cast<int>(state.range(0))));
}

// A 6-input gesture detector (GRU 24, 4 classes, softmax), one frame at a time.
void detector6Inputs(benchmark::State& state) {
    const auto model = gruModel(static_cast<int>(state.range(0)), 1, 6, 4);
    ModelState modelState(*model);
    const std::vector<float> signal = benchSignal(4096 * 6);
    float scores[4];
    std::size_t i = 0;
    for (auto _ : state) {
        model->processFrame(&signal[i * 6], scores, modelState);
        benchmark::DoNotOptimize(scores);
        i = (i + 1) & 4095;
    }
    reportPerSample(state, 1);
}

void baseline(benchmark::State& state, Baseline kind) {
    const auto model = gruModel(static_cast<int>(state.range(0)));
    BaselineRunner runner(*model, kind);
    const std::vector<float> signal = benchSignal(4096);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(runner.processSample(signal[i]));
        i = (i + 1) & 4095;
    }
    reportPerSample(state, 1);
}
void plainLoops(benchmark::State& state) { baseline(state, Baseline::PlainLoops); }
void dynamicEigen(benchmark::State& state) { baseline(state, Baseline::DynamicEigen); }

void sizes(benchmark::internal::Benchmark* b) {
    for (int h : hiddenSizes) b->Arg(h);
}

BENCHMARK(gruStream)->Apply(sizes);
BENCHMARK(block64)->Apply(sizes);
BENCHMARK(block512)->Apply(sizes);
BENCHMARK(stereoBlock64)->Apply(sizes);
BENCHMARK(twoLayerGru)->Apply(sizes);
BENCHMARK(lstm)->Apply(sizes);
BENCHMARK(lstmBlock64)->Apply(sizes);
BENCHMARK(lstmStereoBlock64)->Apply(sizes);
BENCHMARK(dynamicEigen)->Apply(sizes);
BENCHMARK(plainLoops)->Apply(sizes);
BENCHMARK(detector6Inputs)->Arg(24);

}  // namespace
}  // namespace gs::bench

BENCHMARK_MAIN();
