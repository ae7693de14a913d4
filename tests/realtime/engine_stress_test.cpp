// Concurrency stress, meant to run under ThreadSanitizer (-DGS_SANITIZER=thread): an audio
// thread processes blocks of random size 0..4096 while one thread swaps models 500+ times
// and another moves parameters and requests resets. No race, no crash, output always finite.

#include "dsp/stream_engine.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <thread>

namespace gs {
namespace {

TEST(EngineStress, ConcurrentSwapsAndParameterMovesStaySafe) {
    constexpr int channels = 2, maxBlock = 4096, swaps = 520;
    const std::shared_ptr<const RecurrentModel> models[] = {
        test::randomModel(71, 1, 8, 1, 1, 1),
        test::randomModel(72, 1, 6, 1, 1, 0, Activation::None, ModelTask::Effect, 44100.0),
        test::randomModel(73, 1, 8, 2, 1, 1, Activation::Tanh),
    };
    StreamEngine engine;
    engine.setCrossfadeMs(2.0);
    engine.setModel(models[0]);
    engine.prepare(48000.0, maxBlock, channels);

    std::atomic<bool> done{false};
    std::atomic<bool> sawNonFinite{false};
    std::atomic<long> blocks{0};
    std::thread audio([&] {
        std::mt19937 rng(1);
        std::uniform_int_distribution<int> size(0, maxBlock);
        std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
        std::vector<float> left(maxBlock), right(maxBlock);
        while (!done.load()) {
            const int frames = size(rng);
            for (int i = 0; i < frames; ++i) {
                left[static_cast<std::size_t>(i)] = noise(rng);
                right[static_cast<std::size_t>(i)] = 0.5f * noise(rng);
            }
            float* block[2] = {left.data(), right.data()};
            engine.process(block, channels, frames);
            for (int i = 0; i < frames; ++i)
                if (!std::isfinite(left[static_cast<std::size_t>(i)]) ||
                    !std::isfinite(right[static_cast<std::size_t>(i)]))
                    sawNonFinite.store(true);
            blocks.fetch_add(1);
        }
    });
    std::thread parameters([&] {
        std::mt19937 rng(2);
        std::uniform_real_distribution<float> value(-1.0f, 1.0f);
        while (!done.load()) {
            engine.parameters().setInputGainDb(12.0f * value(rng));
            engine.parameters().setOutputGainDb(12.0f * value(rng));
            engine.parameters().setMix(0.5f + 0.5f * value(rng));
            engine.parameters().setBypassed(value(rng) > 0.8f);
            if (value(rng) > 0.95f) engine.reset();
            (void)engine.latencySamples();
            (void)engine.takeNonFiniteFlag();
            std::this_thread::yield();
        }
    });
    for (int i = 0; i < swaps; ++i) {
        engine.setModel(models[i % 3]);
        // Pace the swaps to the audio thread (at least one block each), bounded in time.
        const long seen = blocks.load();
        for (int wait = 0; wait < 1000 && blocks.load() == seen; ++wait)
            std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    // Let the audio thread take the last one, then stop.
    const auto swapsBefore = engine.completedSwaps();
    for (int wait = 0; wait < 2000 && engine.completedSwaps() == swapsBefore; ++wait)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    done.store(true);
    audio.join();
    parameters.join();
    engine.collectGarbage();

    EXPECT_FALSE(sawNonFinite.load());
    EXPECT_GE(blocks.load(), swaps);
    EXPECT_GT(engine.completedSwaps(), 50u);
    std::printf("%d swaps requested, %llu completed over %ld blocks\n", swaps,
                static_cast<unsigned long long>(engine.completedSwaps()), blocks.load());
}

}  // namespace
}  // namespace gs
