#include "model/gru_layer.h"
#include "model/model_error.h"
#include "model/model_loader.h"
#include "model/native_format.h"
#include "test_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

namespace gs {
namespace {

using Json = ModelJson;

// A valid two-layer model (GRU 1->2, GRU 2->2, Dense 2->1) to break one field at a time.
Json validDocument() { return Json::parse(toNativeText(*test::randomModel(21, 1, 2, 2, 1, 1))); }

// Loads the mutated document and returns the error, failing the test when none is thrown.
ModelError loadError(const std::function<void(Json&)>& mutate) {
    Json document = validDocument();
    mutate(document);
    try {
        loadModelText(document.dump(), "broken.json");
    } catch (const ModelError& error) {
        return error;
    }
    ADD_FAILURE() << "no ModelError for " << document.dump().substr(0, 200);
    return {"", "", "", ""};
}

ModelError textError(const std::string& text) {
    try {
        loadModelText(text, "broken.json");
    } catch (const ModelError& error) {
        return error;
    }
    ADD_FAILURE() << "no ModelError for " << text.substr(0, 100);
    return {"", "", "", ""};
}

TEST(NativeFormat, ValidDocumentLoads) {
    const auto model = loadModelText(validDocument().dump(), "ok.json");
    EXPECT_EQ(model->layers().size(), 2u);
    EXPECT_EQ(model->skip(), 1);
    EXPECT_EQ(model->info().metadataValue("name"), "test model");
}

struct Fault {
    const char* name;
    std::function<void(Json&)> mutate;
    const char* jsonPath;
    const char* expectedWords;  // must appear in the message
};

class NativeFormatFault : public testing::TestWithParam<Fault> {};

TEST_P(NativeFormatFault, NamesThePathWhatWasExpectedAndWhatWasFound) {
    const Fault& fault = GetParam();
    const ModelError error = loadError(fault.mutate);
    EXPECT_EQ(error.jsonPath(), fault.jsonPath);
    EXPECT_EQ(error.file(), "broken.json");
    EXPECT_NE(std::string(error.what()).find(fault.expectedWords), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("found"), std::string::npos);
}

const Fault faults[] = {
    {"TopLevelArray", [](Json& d) { d = Json::array({d}); }, "", "no known model format"},
    {"MissingFormat", [](Json& d) { d.erase("format"); }, "", "no known model format"},
    {"NewerVersion", [](Json& d) { d["version"] = 2; }, "version", "newer than this build"},
    {"FractionalVersion", [](Json& d) { d["version"] = 1.5; }, "version", "whole number"},
    {"MissingTask", [](Json& d) { d.erase("task"); }, "task", "required key"},
    {"UnknownTask", [](Json& d) { d["task"] = "reverb"; }, "task", R"("effect" or "detector")"},
    {"SampleRateString", [](Json& d) { d["sample_rate"] = "48000"; }, "sample_rate", "a number"},
    {"SampleRateZero", [](Json& d) { d["sample_rate"] = 0; }, "sample_rate", "1 to 768000"},
    {"LayersMissing", [](Json& d) { d.erase("layers"); }, "layers", "required key"},
    {"LayersNotArray", [](Json& d) { d["layers"] = Json::object(); }, "layers", "an array"},
    {"OnlyOneLayer",
     [](Json& d) {
         d["layers"].erase(0);
         d["layers"].erase(0);
     },
     "layers", "followed by one dense layer"},
    {"TooManyLayers",
     [](Json& d) {
         for (int i = 0; i < 20; ++i) d["layers"].insert(d["layers"].begin(), d["layers"][1]);
     },
     "layers", "1 to 16 recurrent layers"},
    {"UnknownLayerType", [](Json& d) { d["layers"][0]["type"] = "transformer"; }, "layers[0].type",
     "a recurrent layer type"},
    {"DenseBeforeTheEnd", [](Json& d) { d["layers"][0] = d["layers"][2]; }, "layers[0].type",
     "only the last layer is dense"},
    {"LastLayerNotDense", [](Json& d) { d["layers"][2] = d["layers"][1]; }, "layers[2].type",
     "\"dense\""},
    {"HugeHiddenSize", [](Json& d) { d["layers"][0]["hidden_size"] = 1000000000; },
     "layers[0].hidden_size", "1 to 1024"},
    {"ZeroHiddenSize", [](Json& d) { d["layers"][0]["hidden_size"] = 0; }, "layers[0].hidden_size",
     "1 to 1024"},
    {"FractionalHiddenSize", [](Json& d) { d["layers"][0]["hidden_size"] = 2.5; },
     "layers[0].hidden_size", "whole number"},
    {"HiddenSizeDisagreesWithWeights", [](Json& d) { d["layers"][0]["hidden_size"] = 3; },
     "layers[0].weight_ih", "9 rows"},
    {"InputSizeMismatch", [](Json& d) { d["layers"][1]["input_size"] = 4; }, "layers[1].input_size",
     "the output size of layers[0]"},
    {"WeightRowTooShort", [](Json& d) { d["layers"][0]["weight_hh"][2].erase(0); },
     "layers[0].weight_hh[2]", "an array of 2 elements"},
    {"WeightIsString", [](Json& d) { d["layers"][1]["weight_ih"][0][1] = "0.5"; },
     "layers[1].weight_ih[0][1]", "a number"},
    {"WeightBeyondFloat", [](Json& d) { d["layers"][0]["weight_ih"][3][0] = 1e39; },
     "layers[0].weight_ih[3][0]", "32-bit float range"},
    {"WeightIsNull", [](Json& d) { d["layers"][0]["bias_hh"][5] = nullptr; },
     "layers[0].bias_hh[5]", "found null"},
    {"BiasWrongLength", [](Json& d) { d["layers"][0]["bias_ih"].push_back(0.0); },
     "layers[0].bias_ih", "an array of 6 elements"},
    {"MissingWeights", [](Json& d) { d["layers"][1].erase("weight_hh"); }, "layers[1].weight_hh",
     "required key"},
    {"UnknownActivation", [](Json& d) { d["layers"][2]["activation"] = "relu"; },
     "layers[2].activation", "\"softmax\""},
    {"DenseWeightRowsDisagree", [](Json& d) { d["layers"][2]["output_size"] = 2; },
     "layers[2].weight", "2 rows"},
    {"InputNamesWrongCount",
     [](Json& d) {
         d["inputs"] = {"a", "b"};
     },
     "inputs", "an array of 1 elements"},
    {"OutputNameNotString", [](Json& d) { d["outputs"] = {7}; }, "outputs[0]", "a string"},
    {"SkipTooWide", [](Json& d) { d["skip"] = 2; }, "skip", "0 to 1"},
    {"MetadataNotText", [](Json& d) { d["metadata"]["author"] = 5; }, "metadata.author",
     "a string"},
    {"MetadataNotObject", [](Json& d) { d["metadata"] = "x"; }, "metadata", "an object"},
    {"NormalisationStdZero",
     [](Json& d) {
         d["input_normalisation"] = {{"mean", {0.0}}, {"std", {0.0}}};
     },
     "input_normalisation.std[0]", "a positive standard deviation"},
    {"NormalisationMeanWrongLength",
     [](Json& d) {
         d["input_normalisation"] = {{"mean", {0.0, 1.0}}, {"std", {1.0}}};
     },
     "input_normalisation.mean", "an array of 1 elements"},
    {"NormalisationMissingStd",
     [](Json& d) {
         d["input_normalisation"] = {{"mean", {0.0}}};
     },
     "input_normalisation.std", "required key"},
};

INSTANTIATE_TEST_SUITE_P(Faults, NativeFormatFault, testing::ValuesIn(faults),
                         [](const testing::TestParamInfo<Fault>& param) {
                             return param.param.name;
                         });

TEST(NativeFormat, InputNormalisationIsFoldedIntoTheFirstLayer) {
    // A 3-input detector-shaped model; the file says its layers expect (x - mean) / std.
    const auto plain =
        test::randomModel(4, 3, 8, 2, 2, 0, Activation::Softmax, ModelTask::Detector, 100.0);
    Json document = Json::parse(toNativeText(*plain));
    const std::vector<float> mean{0.5f, -2.0f, 9.81f}, stdDev{0.25f, 3.0f, 1.5f};
    document["input_normalisation"] = {{"mean", mean}, {"std", stdDev}};
    const auto folded = loadModelText(document.dump(), "normalised.json");
    ModelState plainState(*plain), foldedState(*folded);
    float worst = 0.0f;
    for (int step = 0; step < 200; ++step) {
        const auto t = static_cast<float>(step);
        const float raw[3]{0.5f + std::sin(0.1f * t), -2.0f + 4.0f * std::cos(0.07f * t),
                           9.81f + 0.3f * t / 200.0f};
        float normalised[3], expected[2], actual[2];
        for (int i = 0; i < 3; ++i)
            normalised[i] =
                (raw[i] - mean[static_cast<std::size_t>(i)]) / stdDev[static_cast<std::size_t>(i)];
        plain->processFrame(normalised, expected, plainState);
        folded->processFrame(raw, actual, foldedState);
        for (int c = 0; c < 2; ++c) worst = std::max(worst, std::abs(expected[c] - actual[c]));
    }
    EXPECT_LT(worst, 1e-5f);
    EXPECT_EQ(folded->info().metadataValue("input_normalisation"), "folded into layers[0] at load");
}

TEST(NativeFormat, SyntaxErrorSaysWhere) {
    const ModelError error = textError(R"({"format": "grustream", "version": 1,,})");
    EXPECT_EQ(error.jsonPath(), "");
    EXPECT_NE(std::string(error.what()).find("valid JSON"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("column"), std::string::npos) << error.what();
}

TEST(NativeFormat, NumberTooLargeForADoubleIsAModelError) {
    // Found by tests/fuzz/fuzz_model_loader: nlohmann reports it as out_of_range, not a
    // parse error, and it escaped the loader.
    const ModelError error = textError(R"({"format": "grustream", "version": 1e999999})");
    EXPECT_NE(std::string(error.what()).find("numbers a double can hold"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("number overflow"), std::string::npos) << error.what();
}

TEST(NativeFormat, NanLiteralIsRefused) {
    const ModelError error = textError(R"({"format": "grustream", "version": NaN})");
    EXPECT_NE(std::string(error.what()).find("valid JSON"), std::string::npos);
}

TEST(NativeFormat, EmptyTextIsRefused) {
    EXPECT_NE(std::string(textError("").what()).find("an empty file"), std::string::npos);
}

TEST(NativeFormat, TruncatedFileIsRefused) {
    const std::string text = validDocument().dump();
    EXPECT_NE(std::string(textError(text.substr(0, text.size() / 2)).what()).find("valid JSON"),
              std::string::npos);
}

TEST(NativeFormat, DeepNestingIsRefusedWhileParsing) {
    const std::string text = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_NE(std::string(textError(text).what()).find("nested at most"), std::string::npos);
}

TEST(NativeFormat, NestingUpToTheLimitParsesAndOneLevelMoreIsRefused) {
    const auto nested = [](int depth) {
        return std::string(static_cast<std::size_t>(depth), '[') +
               std::string(static_cast<std::size_t>(depth), ']');
    };
    // 32 levels parse (and are then no known format); 33 stop the parser.
    EXPECT_NE(std::string(textError(nested(32)).what()).find("no known model format"),
              std::string::npos);
    EXPECT_NE(std::string(textError(nested(33)).what()).find("nested at most 32"),
              std::string::npos);
}

TEST(NativeFormat, AKeyGivenTwiceIsRefusedAtAnyDepth) {
    const std::string valid = toNativeText(*test::randomModel(22, 1, 2, 1, 1, 1));
    EXPECT_NO_THROW(loadModelText(valid, "ok.json"));
    // Top level: a second "task" after the first.
    std::string top = valid;
    top.insert(top.find('{') + 1, R"("task": "effect", )");
    EXPECT_NE(std::string(textError(top).what()).find("\"task\" twice in one object"),
              std::string::npos)
        << textError(top).what();
    // Inside a layer: a second "hidden_size". Keys in different objects may repeat.
    std::string inner = valid;
    const auto layer = inner.find("\"hidden_size\"");
    ASSERT_NE(layer, std::string::npos);
    inner.insert(layer, "\"hidden_size\": 2, ");
    EXPECT_NE(std::string(textError(inner).what()).find("\"hidden_size\" twice"), std::string::npos)
        << textError(inner).what();
}

TEST(ModelLoader, MissingFileNamesTheFile) {
    try {
        loadModelFile("/nonexistent/model.json");
        FAIL();
    } catch (const ModelError& error) {
        EXPECT_EQ(error.file(), "/nonexistent/model.json");
        EXPECT_EQ(error.found(), "no such file");
    }
}

TEST(ModelLoader, OversizedFileIsRefusedBeforeReading) {
    const auto path = std::filesystem::temp_directory_path() / "gs_oversized_model.json";
    { std::ofstream(path) << ' '; }
    std::filesystem::resize_file(path, 65u * 1024u * 1024u);  // sparse: cheap to make
    try {
        loadModelFile(path);
        ADD_FAILURE();
    } catch (const ModelError& error) {
        EXPECT_NE(std::string(error.what()).find("at most 64 MiB"), std::string::npos);
    }
    std::filesystem::remove(path);
}

bool sameWeights(const RecurrentModel& a, const RecurrentModel& b) {
    if (a.layers().size() != b.layers().size()) return false;
    auto sameBits = [](const auto& x, const auto& y) {
        return x.size() == y.size() &&
               std::memcmp(x.data(), y.data(),
                           static_cast<std::size_t>(x.size()) * sizeof(float)) == 0;
    };
    for (std::size_t i = 0; i < a.layers().size(); ++i) {
        const auto& ga = dynamic_cast<const GruLayer&>(*a.layers()[i]);
        const auto& gb = dynamic_cast<const GruLayer&>(*b.layers()[i]);
        if (!sameBits(ga.weightIh(), gb.weightIh()) || !sameBits(ga.weightHh(), gb.weightHh()) ||
            !sameBits(ga.biasIh(), gb.biasIh()) || !sameBits(ga.biasHh(), gb.biasHh()))
            return false;
    }
    return sameBits(a.head().weight(), b.head().weight()) &&
           sameBits(a.head().bias(), b.head().bias());
}

TEST(NativeFormat, RoundTripIsExactIncludingAwkwardFloats) {
    std::mt19937 rng(3);
    Eigen::MatrixXf weightIh = test::randomMatrix(rng, 6, 1);
    weightIh(0, 0) = 1e-45f;  // smallest denormal
    weightIh(1, 0) = std::numeric_limits<float>::max();
    weightIh(2, 0) = -0.0f;
    weightIh(3, 0) = 0.1f;
    weightIh(4, 0) = 16777217.0f;  // rounds to 2^24 in float
    std::vector<std::unique_ptr<const RecurrentLayer>> layers;
    layers.push_back(std::make_unique<GruLayer>(weightIh, test::randomMatrix(rng, 6, 2),
                                                test::randomVector(rng, 6),
                                                test::randomVector(rng, 6)));
    ModelInfo info;
    info.task = ModelTask::Detector;
    info.sampleRate = 100.0;
    info.inputNames = {"accel"};
    info.outputNames = {"idle", "shake"};
    info.metadata = {{"name", "round trip"}, {"description", "quotes \" and unicode \u00e9"}};
    const RecurrentModel original(
        std::move(layers),
        DenseLayer(test::randomMatrix(rng, 2, 2), test::randomVector(rng, 2), Activation::Softmax),
        0, info);

    const auto path = std::filesystem::temp_directory_path() / "gs_round_trip.json";
    writeNativeModel(original, path);
    const auto loaded = loadModelFile(path);
    std::filesystem::remove(path);
    EXPECT_TRUE(sameWeights(original, *loaded));
    EXPECT_EQ(toNativeText(original), toNativeText(*loaded));
    EXPECT_EQ(loaded->info().outputNames, info.outputNames);
    EXPECT_EQ(loaded->info().metadata, info.metadata);
    EXPECT_EQ(loaded->info().task, ModelTask::Detector);
    EXPECT_EQ(loaded->info().sampleRate, 100.0);
    EXPECT_EQ(loaded->head().activation(), Activation::Softmax);
    EXPECT_TRUE(std::signbit(dynamic_cast<const GruLayer&>(*loaded->layers()[0]).weightIh()(2, 0)));
}

TEST(NativeFormat, DetectsItsOwnFormat) {
    EXPECT_EQ(detectModelFormat(validDocument().dump()), "grustream");
    EXPECT_EQ(detectModelFormat("{\"model_data\": {}}"), "");
    EXPECT_EQ(detectModelFormat("not json"), "");
}

}  // namespace
}  // namespace gs

namespace gs {
namespace {

TEST(NativeFormat, DocumentedExampleLoads) {
    std::ifstream stream(std::string(GS_SOURCE_DIR) + "/docs/model-format.md");
    const std::string doc((std::istreambuf_iterator<char>(stream)),
                          std::istreambuf_iterator<char>());
    const auto start = doc.find("```json\n");
    ASSERT_NE(start, std::string::npos);
    const auto end = doc.find("```", start + 8);
    const auto model = loadModelText(doc.substr(start + 8, end - start - 8), "model-format.md");
    EXPECT_EQ(model->layers()[0]->hiddenSize(), 2);
    EXPECT_EQ(model->skip(), 1);
    EXPECT_EQ(model->info().metadataValue("author"), "GruStream docs");
}

TEST(NativeFormat, BundledDefaultModelIsTrainedAndCarriesItsValidation) {
    const auto model =
        loadModelFile(std::string(GS_SOURCE_DIR) + "/resources/models/default_effect.json");
    EXPECT_EQ(model->info().task, ModelTask::Effect);
    EXPECT_EQ(model->info().sampleRate, 48000.0);
    EXPECT_EQ(model->info().metadataValue("training"), "trained");
    EXPECT_LT(std::stod(model->info().metadataValue("validation_esr", "1")), 0.05);
    // replayed by default_model_engine_matches_torch
    EXPECT_FALSE(model->info().referenceInput.empty());
}

}  // namespace
}  // namespace gs
