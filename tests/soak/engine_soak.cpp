// Long-run soak of the real-time engine, as a host would drive it for hours: an audio thread
// processes stereo in random block sizes (0..2048) through varied audio (a music-like signal,
// long silences, full-scale noise, NaN bursts) while another thread swaps among four models
// (one at 44.1 kHz, so resampled) and moves every parameter. It checks that the output is
// always finite, that resident memory stays flat after warm-up, and it reports what a block of
// silence costs against a block of signal.
//
//   engine_soak [--audio-seconds N]   soak N seconds of audio (default 300; the long run: 3600)
//   engine_soak --silence-cost        the fixed workload tools/soak-silence-cost.sh measures
//                                     with callgrind: signalPhase() then silencePhase()
// Exit status 0 when every check holds.

#include "dsp/denormal_guard.h"
#include "dsp/model_stream.h"
#include "dsp/stream_engine.h"
#include "test_models.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace gs;
constexpr double hostRate = 48000.0;

// Sanitizers hold freed memory in quarantine, so resident memory says nothing there (and
// LeakSanitizer checks leaks itself).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool residentMemoryMeansSomething = false;
#else
constexpr bool residentMemoryMeansSomething = true;
#endif
constexpr int maxBlock = 2048;

long residentKiB() {
    long pages = 0, resident = 0;
    std::ifstream("/proc/self/statm") >> pages >> resident;
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

// What the next stretch of audio is.
enum class Segment { Signal, Silence, FullScaleNoise, NanBurst };

struct SegmentPlan {
    Segment kind;
    long samples;
};

SegmentPlan nextSegment(std::mt19937& rng) {
    std::uniform_real_distribution<double> seconds(0.0, 1.0);
    switch (rng() % 8) {
    case 0:
    case 1:
    case 2: return {Segment::Signal, static_cast<long>(hostRate * (2.0 + 18.0 * seconds(rng)))};
    case 3:
    case 4:
    case 5: return {Segment::Silence, static_cast<long>(hostRate * (5.0 + 25.0 * seconds(rng)))};
    case 6: return {Segment::FullScaleNoise, static_cast<long>(hostRate * (0.1 + seconds(rng)))};
    default: return {Segment::NanBurst, 64};
    }
}

void fill(Segment kind, std::mt19937& rng, long start, float* left, float* right, int frames) {
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    for (int i = 0; i < frames; ++i) {
        const double t = static_cast<double>(start + i) / hostRate;
        float l = 0.0f, r = 0.0f;
        switch (kind) {
        case Segment::Signal:  // a chord with a slow tremolo and a little noise
            l = static_cast<float>(0.3 * std::sin(2 * M_PI * 110 * t) +
                                   0.2 * std::sin(2 * M_PI * 277 * t)) *
                    static_cast<float>(0.6 + 0.4 * std::sin(2 * M_PI * 0.5 * t)) +
                0.01f * noise(rng);
            r = static_cast<float>(0.25 * std::sin(2 * M_PI * 165 * t)) + 0.01f * noise(rng);
            break;
        case Segment::Silence: break;
        case Segment::FullScaleNoise:
            l = noise(rng) > 0 ? 1.0f : -1.0f;
            r = noise(rng);
            break;
        case Segment::NanBurst:
            l = std::nanf("");
            r = std::numeric_limits<float>::infinity();
            break;
        }
        left[i] = l;
        right[i] = r;
    }
}

int soak(double audioSeconds) {
    const std::shared_ptr<const RecurrentModel> models[] = {
        test::randomModel(91, 1, 40, 1, 1, 1),
        test::randomModel(92, 1, 8, 1, 1, 0),
        test::randomModel(93, 1, 16, 1, 1, 1, Activation::None, ModelTask::Effect, 44100.0),
        test::randomModel(94, 1, 24, 2, 1, 1, Activation::Tanh),
    };
    StreamEngine engine;
    engine.setCrossfadeMs(10.0);
    engine.setModel(models[0]);
    engine.prepare(hostRate, maxBlock, 2);

    const long totalSamples = static_cast<long>(audioSeconds * hostRate);
    const long warmUpSamples = std::min<long>(totalSamples / 10, static_cast<long>(60 * hostRate));
    std::atomic<long> processed{0};
    std::atomic<bool> done{false};
    std::atomic<long> swaps{0};

    // The host's other threads: model swaps (as a user loading presets) and parameter moves.
    std::thread control([&] {
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> value(-1.0f, 1.0f);
        long nextSwapAt = 0;
        while (!done.load()) {
            const long now = processed.load();
            if (now >= nextSwapAt) {
                engine.setModel(models[rng() % 4]);
                swaps.fetch_add(1);
                nextSwapAt =
                    now + static_cast<long>(hostRate * (1.0 + 9.0 * (0.5 + 0.5 * value(rng))));
            }
            engine.parameters().setInputGainDb(12.0f * value(rng));
            engine.parameters().setOutputGainDb(6.0f * value(rng));
            engine.parameters().setMix(0.5f + 0.5f * value(rng));
            engine.parameters().setBypassed(value(rng) > 0.9f);
            engine.collectGarbage();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });

    std::mt19937 rng(11);
    std::uniform_int_distribution<int> blockSize(0, maxBlock);
    std::vector<float> left(maxBlock), right(maxBlock);
    long nonFinite = 0, residentAfterWarmUp = -1;
    double nanosPerSample[2] = {0, 0};  // signal, silence
    long samplesTimed[2] = {0, 0};
    long position = 0;
    while (position < totalSamples) {
        const SegmentPlan plan = nextSegment(rng);
        for (long inSegment = 0; inSegment < plan.samples && position < totalSamples;) {
            const int frames = static_cast<int>(std::min<long>(
                {blockSize(rng), plan.samples - inSegment, totalSamples - position}));
            fill(plan.kind, rng, position, left.data(), right.data(), frames);
            float* channels[2] = {left.data(), right.data()};
            const auto started = std::chrono::steady_clock::now();
            engine.process(channels, 2, frames);
            const double nanos =
                std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - started)
                    .count();
            // Timing of settled segments only (a second in), where the idle state has been reached.
            if (inSegment > static_cast<long>(hostRate) &&
                (plan.kind == Segment::Signal || plan.kind == Segment::Silence)) {
                const int which = plan.kind == Segment::Signal ? 0 : 1;
                nanosPerSample[which] += nanos;
                samplesTimed[which] += frames;
            }
            for (int i = 0; i < frames; ++i)
                nonFinite += !std::isfinite(left[static_cast<std::size_t>(i)]) +
                             !std::isfinite(right[static_cast<std::size_t>(i)]);
            inSegment += frames;
            position += frames;
            processed.store(position);
            if (residentAfterWarmUp < 0 && position >= warmUpSamples)
                residentAfterWarmUp = residentKiB();
        }
    }
    done.store(true);
    control.join();
    engine.collectGarbage();
    const long residentAtEnd = residentKiB();
    const long growth = residentAtEnd - residentAfterWarmUp;
    const double signalCost =
        samplesTimed[0] ? nanosPerSample[0] / static_cast<double>(samplesTimed[0]) : 0.0;
    const double silenceCost =
        samplesTimed[1] ? nanosPerSample[1] / static_cast<double>(samplesTimed[1]) : 0.0;

    std::printf("soak: %.0f s of stereo audio, %ld model swaps, %llu NaN/Inf events caught\n",
                audioSeconds, swaps.load(),
                static_cast<unsigned long long>(engine.nonFiniteEvents()));
    std::printf("soak: non-finite output samples: %ld\n", nonFinite);
    std::printf("soak: resident memory %ld KiB after warm-up, %ld KiB at the end (%+ld KiB)\n",
                residentAfterWarmUp, residentAtEnd, growth);
    std::printf(
        "soak: wall time per stereo sample, settled signal %.1f ns, settled silence %.1f ns "
        "(ratio %.2f; wall times are noisy: tools/check-silence-cost.sh counts instructions)\n",
        signalCost, silenceCost, signalCost > 0 ? silenceCost / signalCost : 0.0);

    bool ok = true;
    if (nonFinite != 0) {
        std::printf("FAIL: the engine let non-finite samples out\n");
        ok = false;
    }
    if (swaps.load() < static_cast<long>(audioSeconds / 20)) {
        std::printf("FAIL: too few model swaps happened\n");
        ok = false;
    }
    constexpr long allowedGrowthKiB = 1024;
    if (!residentMemoryMeansSomething) {
        std::printf("soak: (a sanitizer build: resident memory is not checked)\n");
    } else if (growth > allowedGrowthKiB) {
        std::printf("FAIL: resident memory grew by %ld KiB (allowed %ld)\n", growth,
                    allowedGrowthKiB);
        ok = false;
    }
    std::printf("%s\n", ok ? "soak: passed" : "soak: FAILED");
    return ok ? 0 : 1;
}

// The workload for tools/check-silence-cost.sh: 0.25 s of signal, then 1 s of silence, stereo,
// blocks of 64, through the engine as shipped (idle skipping on), and through the bare model
// stream with idle skipping off under the engine's denormal guard (every silent sample runs
// the model: what silence costs if nothing is skipped).
constexpr int costBlock = 64;
constexpr long signalSamples = 12000, silenceSamples = 48000;  // small: callgrind runs ~50x slower

using ProcessBlock = void (*)(void* context, float* const* channels);

void runPhase(ProcessBlock process, void* context, bool silent, long samples) {
    std::vector<float> left(costBlock), right(costBlock);
    std::mt19937 rng(3);
    for (long start = 0; start < samples; start += costBlock) {
        if (silent) {
            std::fill(left.begin(), left.end(), 0.0f);
            std::fill(right.begin(), right.end(), 0.0f);
        } else {
            fill(Segment::Signal, rng, start, left.data(), right.data(), costBlock);
        }
        float* channels[2] = {left.data(), right.data()};
        process(context, channels);
    }
}

// One function per measured phase: callgrind reports each one's inclusive instruction count.
__attribute__((noinline)) void engineSignalPhase(StreamEngine& engine) {
    runPhase(
        [](void* e, float* const* c) { static_cast<StreamEngine*>(e)->process(c, 2, costBlock); },
        &engine, false, signalSamples);
}
__attribute__((noinline)) void engineSilencePhase(StreamEngine& engine) {
    runPhase(
        [](void* e, float* const* c) { static_cast<StreamEngine*>(e)->process(c, 2, costBlock); },
        &engine, true, silenceSamples);
}
void throughModelStream(void* stream, float* const* channels) {
    const DenormalGuard guard;  // as the engine does around its model stream
    static_cast<ModelStream*>(stream)->process(channels, channels, 2, costBlock);
}
__attribute__((noinline)) void unskippedSignalPhase(ModelStream& stream) {
    runPhase(throughModelStream, &stream, false, signalSamples);
}
__attribute__((noinline)) void unskippedSilencePhase(ModelStream& stream) {
    runPhase(throughModelStream, &stream, true, silenceSamples);
}

int silenceCost() {
    const auto model = test::randomModel(91, 1, 40, 1, 1, 1);
    StreamEngine engine;
    engine.setModel(model);
    engine.prepare(hostRate, costBlock, 2);
    engineSignalPhase(engine);
    engineSilencePhase(engine);

    ModelStream stream;
    stream.prepare(model, 2);
    stream.setIdleSkipping(false);
    unskippedSignalPhase(stream);
    unskippedSilencePhase(stream);
    std::printf("samples per channel: signal %ld, silence %ld\n", signalSamples, silenceSamples);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    double audioSeconds = 300.0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--silence-cost") == 0) return silenceCost();
        if (std::strcmp(argv[i], "--audio-seconds") == 0 && i + 1 < argc) {
            audioSeconds = std::atof(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: engine_soak [--audio-seconds N] | --silence-cost\n");
            return 2;
        }
    }
    if (!(audioSeconds >= 1.0)) {
        std::fprintf(stderr, "engine_soak: --audio-seconds must be at least 1\n");
        return 2;
    }
    return soak(audioSeconds);
}
