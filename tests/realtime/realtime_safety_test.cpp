// Proof that the audio thread never allocates, frees or locks: every process() call runs
// inside an audit while the test swaps models (both rates, so resampling switches on and off),
// moves every parameter, toggles bypass, resets, and feeds NaN.

#include "audio_thread_audit.h"
#include "dsp/stream_engine.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <iterator>
#include <mutex>
#include <random>

namespace gs {
namespace {

using test::AudioThreadAudit;
using test::AuditCounts;

AuditCounts countsDuring(const std::function<void()>& work) {
    const AuditCounts before = test::totalAuditCounts();
    {
        const AudioThreadAudit audit;
        work();
    }
    const AuditCounts after = test::totalAuditCounts();
    return {after.allocations - before.allocations, after.frees - before.frees,
            after.locks - before.locks};
}

TEST(AudioThreadAudit, CountsAllocationsFreesAndLocks) {
    // The control: the audit must see what the engine test says is absent.
    std::mutex mutex;
    static std::vector<int>* volatile escaped;  // volatile: the compiler may not elide new/delete
    const AuditCounts counts = countsDuring([&] {
        escaped = new std::vector<int>(64);
        delete escaped;
        const std::lock_guard<std::mutex> lock(mutex);
    });
    EXPECT_GE(counts.allocations, 1u);
    EXPECT_GE(counts.frees, 1u);
    EXPECT_GE(counts.locks, 1u);
}

TEST(RealtimeSafety, ProcessNeverAllocatesFreesOrLocksAcrossSwapsParametersBypassAndResampling) {
    constexpr int channels = 2, maxBlock = 512;
    const std::shared_ptr<const RecurrentModel> models[] = {
        // 48 kHz
        test::randomModel(61, 1, 16, 1, 1, 1),
        // resampled
        test::randomModel(62, 1, 8, 2, 1, 0, Activation::None, ModelTask::Effect, 44100.0),
        // resampled
        test::randomModel(63, 1, 24, 1, 1, 1, Activation::Tanh, ModelTask::Effect, 96000.0),
        // 48 kHz, stereo in the staggered pair kernel where it runs on AVX-512
        test::randomModel(64, 1, 32, 1, 1, 0),
        // 48 kHz, an LSTM whose stereo runs in its pair kernel (AVX-512, or AVX2 run whole)
        test::randomLstmModel(65, 1, 64, 1),
    };
    constexpr int modelCount = static_cast<int>(std::size(models));
    StreamEngine engine;
    engine.setCrossfadeMs(5.0);
    engine.setModel(models[0]);
    engine.prepare(48000.0, maxBlock, channels);

    std::vector<float> left(4 * maxBlock), right(4 * maxBlock);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    std::uniform_int_distribution<int> blockSize(0, 3 * maxBlock);  // longer than prepared, too
    AuditCounts total;
    for (int round = 0; round < 300; ++round) {
        // Non-audio thread work, outside the audit.
        if (round % 20 == 0) engine.setModel(models[(round / 20) % modelCount]);
        engine.parameters().setInputGainDb(noise(rng) * 12.0f);
        engine.parameters().setOutputGainDb(noise(rng) * 12.0f);
        engine.parameters().setMix(0.5f + 0.5f * noise(rng));
        if (round % 7 == 0) engine.parameters().setBypassed(round % 14 == 0);
        if (round % 50 == 0) engine.reset();
        for (auto& v : left) v = noise(rng);
        for (auto& v : right) v = noise(rng);
        if (round % 33 == 0) left[3] = std::numeric_limits<float>::quiet_NaN();
        float* block[2] = {left.data(), right.data()};
        const int frames = blockSize(rng);

        const AuditCounts counts = countsDuring([&] { engine.process(block, channels, frames); });
        total.allocations += counts.allocations;
        total.frees += counts.frees;
        total.locks += counts.locks;
        engine.collectGarbage();
    }
    EXPECT_EQ(total.allocations, 0u);
    EXPECT_EQ(total.frees, 0u);
    EXPECT_EQ(total.locks, 0u);
    EXPECT_GE(engine.completedSwaps(), 10u);  // the swaps really happened inside process()
    EXPECT_GT(engine.nonFiniteEvents(), 0u);
}

}  // namespace
}  // namespace gs
