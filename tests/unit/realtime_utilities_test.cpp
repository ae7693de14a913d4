#include "dsp/denormal_guard.h"
#include "dsp/linear_smoother.h"
#include "dsp/lock_free_handoff.h"
#include "dsp/sample_history.h"
#include "dsp/spsc_queue.h"

#include "model/lstm_layer.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <cmath>

#include <thread>

namespace gs {
namespace {

TEST(LinearSmoother, RampsLinearlyAndLandsExactlyOnTarget) {
    LinearSmoother smoother;
    smoother.setRampLength(4);
    smoother.jumpTo(0.0f);
    smoother.setTarget(1.0f);
    EXPECT_FLOAT_EQ(smoother.next(), 0.25f);
    EXPECT_FLOAT_EQ(smoother.next(), 0.5f);
    EXPECT_FLOAT_EQ(smoother.next(), 0.75f);
    EXPECT_EQ(smoother.next(), 1.0f);
    EXPECT_EQ(smoother.next(), 1.0f);
    EXPECT_FALSE(smoother.isRamping());
}

TEST(LinearSmoother, NewTargetMidRampStartsFromTheCurrentValue) {
    LinearSmoother smoother;
    smoother.setRampLength(2);
    smoother.jumpTo(0.0f);
    smoother.setTarget(1.0f);
    smoother.next();  // 0.5
    smoother.setTarget(0.0f);
    EXPECT_FLOAT_EQ(smoother.next(), 0.25f);
    EXPECT_EQ(smoother.next(), 0.0f);
}

TEST(SampleHistory, ReadsByAgeAndAsAContiguousWindow) {
    SampleHistory history(3);
    for (float v : {1.0f, 2.0f, 3.0f, 4.0f}) history.push(v);
    EXPECT_EQ(history.at(0), 4.0f);
    EXPECT_EQ(history.at(2), 2.0f);
    const float* window = history.window(2);
    EXPECT_EQ(window[0], 2.0f);
    EXPECT_EQ(window[1], 3.0f);
    EXPECT_EQ(window[2], 4.0f);
    history.clear();
    EXPECT_EQ(history.at(1), 0.0f);
}

TEST(SpscQueue, KeepsOrderAndReportsFull) {
    SpscQueue<int, 2> queue;
    EXPECT_TRUE(queue.push(1));
    EXPECT_TRUE(queue.push(2));
    EXPECT_FALSE(queue.push(3));
    EXPECT_EQ(queue.pop(), 1);
    EXPECT_EQ(queue.pop(), 2);
    EXPECT_EQ(queue.pop(), std::nullopt);
}

TEST(SpscQueue, TransfersEverythingAcrossThreads) {
    SpscQueue<int, 8> queue;
    constexpr int count = 100000;
    std::thread producer([&] {
        for (int i = 0; i < count; ++i)
            while (!queue.push(i)) std::this_thread::yield();
    });
    long long sum = 0;
    int received = 0, expected = 0;
    bool ordered = true;
    while (received < count)
        if (const auto v = queue.pop()) {
            ordered &= *v == expected++;
            sum += *v;
            ++received;
        }
    producer.join();
    EXPECT_TRUE(ordered);
    EXPECT_EQ(sum, static_cast<long long>(count) * (count - 1) / 2);
}

struct Tracked {
    explicit Tracked(int& live) : live_(live) { ++live_; }
    ~Tracked() { --live_; }
    int& live_;
};

TEST(LockFreeHandoff, SupersededAndRetiredObjectsAreDestroyedOffTheTakingThread) {
    int live = 0;
    {
        LockFreeHandoff<Tracked> handoff;
        handoff.publish(std::make_unique<Tracked>(live));
        handoff.publish(std::make_unique<Tracked>(live));  // replaces the first, destroyed here
        EXPECT_EQ(live, 1);
        Tracked* taken = handoff.take();
        ASSERT_NE(taken, nullptr);
        EXPECT_EQ(handoff.take(), nullptr);
        EXPECT_TRUE(handoff.retire(taken));
        EXPECT_EQ(live, 1);  // retiring frees nothing
        handoff.collect();
        EXPECT_EQ(live, 0);
        handoff.publish(std::make_unique<Tracked>(live));
    }
    EXPECT_EQ(live, 0);  // the destructor frees what was still pending
}

}  // namespace
}  // namespace gs

namespace gs {
namespace {

// An LSTM with no biases and weak recurrence: after an impulse its cell state decays towards
// zero through the subnormal range, as a real model's might in a long silence. (The GRU
// kernel's update, 1 + z (h - 1) - 2 (1 - z) / (1 + e^2u), rounds a tiny state to 0 instead of
// shrinking it through the subnormals, so it cannot serve as this control.)
std::shared_ptr<RecurrentModel> decayingModel() {
    std::mt19937 rng(5);
    std::vector<std::unique_ptr<const RecurrentLayer>> stack;
    stack.push_back(std::make_unique<LstmLayer>(
        test::randomMatrix(rng, 32, 1), test::randomMatrix(rng, 32, 8, 0.3f),
        Eigen::VectorXf::Zero(32), Eigen::VectorXf::Zero(32)));
    return std::make_shared<RecurrentModel>(
        std::move(stack),
        DenseLayer(test::randomMatrix(rng, 1, 8), Eigen::VectorXf::Zero(1), Activation::None), 0,
        ModelInfo{});
}

// Subnormal values seen in the state or output over an impulse and 3000 silent steps.
int subnormalsThroughADecay(const RecurrentModel& model) {
    ModelState state(model);
    int subnormals = 0;
    for (int step = 0; step < 3000; ++step) {
        const float input = step == 0 ? 1.0f : 0.0f;
        float output = 0.0f;
        model.processFrame(&input, &output, state);
        subnormals += std::fpclassify(output) == FP_SUBNORMAL;
        for (std::size_t i = 0; i < state.size(); ++i)
            subnormals += std::fpclassify(state.data()[i]) == FP_SUBNORMAL;
    }
    return subnormals;
}

TEST(DenormalGuard, KeepsADecayingStateOutOfTheSubnormalRangeAndRestoresTheCallersMode) {
    const auto model = decayingModel();
    EXPECT_GT(subnormalsThroughADecay(*model), 0)
        << "control: without the guard the decay must pass through subnormals";
#if defined(GS_HAS_MXCSR)
    const unsigned callers = _mm_getcsr();
#endif
    {
        const DenormalGuard guard;
        EXPECT_EQ(subnormalsThroughADecay(*model), 0);
    }
#if defined(GS_HAS_MXCSR)
    EXPECT_EQ(_mm_getcsr(), callers);
#endif
}

}  // namespace
}  // namespace gs
