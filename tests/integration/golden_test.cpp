// The C++ model against torch.nn.GRU on every golden case, frame by frame from a zero state.

#include "dsp/model_stream.h"
#include "golden_files.h"
#include "golden_tolerance.h"
#include "model/model_loader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace gs {
namespace {

struct GoldenCase {
    std::string name;
    int frames, inputs, outputs;
};

std::vector<GoldenCase> goldenCases() {
    std::vector<GoldenCase> cases;
    const nlohmann::json manifest = test::readManifest();
    for (const auto& c : manifest["cases"])
        cases.push_back({c["name"], c["frames"], c["inputs"], c["outputs"]});
    return cases;
}

TEST(Golden, CoversTheRequiredShapes) {
    const auto cases = goldenCases();
    std::set<int> hidden, inputs;
    bool twoLayers = false, skip = false, noSkip = false;
    for (const auto& c : cases) {
        const auto model = loadModelFile(test::goldenPath(c.name + ".model.json"));
        hidden.insert(model->layers()[0]->hiddenSize());
        inputs.insert(model->inputSize());
        twoLayers |= model->layers().size() == 2;
        (model->skip() > 0 ? skip : noSkip) = true;
        EXPECT_GE(c.frames, 48000);
    }
    for (int h : {1, 8, 40, 64, 128}) EXPECT_TRUE(hidden.count(h)) << "hidden size " << h;
    EXPECT_TRUE(inputs.count(1) && inputs.count(6));
    EXPECT_TRUE(twoLayers && skip && noSkip);
}

TEST(Golden, EveryCaseMatchesTorchWithinTolerance) {
    for (const auto& c : goldenCases()) {
        SCOPED_TRACE(c.name);
        const auto model = loadModelFile(test::goldenPath(c.name + ".model.json"));
        ASSERT_EQ(model->inputSize(), c.inputs);
        ASSERT_EQ(model->outputSize(), c.outputs);
        const auto input = test::readFloats(test::goldenPath(c.name + ".input.f32"));
        const auto expected = test::readFloats(test::goldenPath(c.name + ".output.f32"));
        ASSERT_EQ(input.size(), static_cast<std::size_t>(c.frames * c.inputs));
        ASSERT_EQ(expected.size(), static_cast<std::size_t>(c.frames * c.outputs));

        ModelState state(*model);
        std::vector<float> output(static_cast<std::size_t>(c.outputs));
        float maxError = 0.0f;
        int worstFrame = 0;
        for (int t = 0; t < c.frames; ++t) {
            model->processFrame(&input[static_cast<std::size_t>(t * c.inputs)], output.data(),
                                state);
            for (int o = 0; o < c.outputs; ++o) {
                const float error =
                    std::fabs(output[static_cast<std::size_t>(o)] -
                              expected[static_cast<std::size_t>(t * c.outputs + o)]);
                if (!(error <= maxError)) {
                    maxError = error;
                    worstFrame = t;
                }
            }
        }
        EXPECT_LE(maxError, test::goldenTolerance) << "worst frame " << worstFrame;
        RecordProperty(c.name + "_max_abs_error", std::to_string(maxError));
        std::printf("golden %-24s max abs error %.3g\n", c.name.c_str(),
                    static_cast<double>(maxError));
    }
}

TEST(Golden, StreamingInBlocksMatchesTorchToo) {
    for (const auto& c : goldenCases()) {
        if (c.inputs != 1 || c.outputs != 1) continue;
        SCOPED_TRACE(c.name);
        const auto model = loadModelFile(test::goldenPath(c.name + ".model.json"));
        auto signal = test::readFloats(test::goldenPath(c.name + ".input.f32"));
        const auto expected = test::readFloats(test::goldenPath(c.name + ".output.f32"));
        ModelStream stream;
        stream.prepare(model, 1);
        for (std::size_t start = 0; start < signal.size(); start += 333) {
            float* block = signal.data() + start;
            stream.process(&block, &block, 1,
                           static_cast<int>(std::min<std::size_t>(333, signal.size() - start)));
        }
        float maxError = 0.0f;
        for (std::size_t i = 0; i < signal.size(); ++i)
            maxError = std::max(maxError, std::fabs(signal[i] - expected[i]));
        EXPECT_LE(maxError, test::goldenTolerance);
    }
}

}  // namespace
}  // namespace gs
