// Models people already have: GuitarML, RTNeural/Keras/AIDA-X and PyTorch state_dict files,
// written from torch models by tools/training/make_import_fixtures.py, must reproduce torch;
// broken files of each format must be refused with a clear message.

#include "cli_helpers.h"
#include "golden_tolerance.h"
#include "model/gru_layer.h"
#include "model/model_error.h"
#include "model/model_loader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>

namespace gs {
namespace {

namespace fs = std::filesystem;

std::string importPath(const std::string& name) { return std::string(GS_IMPORT_DIR) + "/" + name; }

std::vector<float> readFloats(const std::string& path) {
    std::ifstream stream(path, std::ios::binary | std::ios::ate);
    std::vector<float> values(static_cast<std::size_t>(stream.tellg()) / sizeof(float));
    stream.seekg(0);
    stream.read(reinterpret_cast<char*>(values.data()),
                static_cast<std::streamsize>(values.size() * sizeof(float)));
    return values;
}

std::vector<float> run(const RecurrentModel& model, const std::vector<float>& input) {
    ModelState state(model);
    std::vector<float> output(input.size());
    for (std::size_t t = 0; t < input.size(); ++t) model.processFrame(&input[t], &output[t], state);
    return output;
}

std::vector<std::string> caseNames() {
    std::ifstream stream(importPath("manifest.json"));
    const auto manifest = nlohmann::json::parse(stream);
    std::vector<std::string> names;
    for (const auto& c : manifest["cases"]) names.push_back(c["name"]);
    return names;
}

TEST(Import, EveryFormatReproducesTorch) {
    int files = 0;
    for (const auto& name : caseNames()) {
        const auto input = readFloats(importPath(name + ".input.f32"));
        const auto expected = readFloats(importPath(name + ".output.f32"));
        for (const char* format : {"guitarml", "rtneural", "statedict", "native"}) {
            const std::string path = importPath(name + "." + format + ".json");
            if (!fs::exists(path)) continue;  // state_dicts exist only for cases without skip
            SCOPED_TRACE(path);
            const auto model = loadModelFile(path);
            const auto output = run(*model, input);
            float maxError = 0.0f;
            for (std::size_t i = 0; i < output.size(); ++i)
                maxError = std::max(maxError, std::fabs(output[i] - expected[i]));
            EXPECT_LE(maxError, test::goldenTolerance);
            ++files;
        }
    }
    EXPECT_GE(files, 28);
}

TEST(Import, FormatsAreDetectedByContent) {
    EXPECT_EQ(loadModelFile(importPath("gru_l1_h8_skip.guitarml.json"))->info().sourceFormat,
              "guitarml");
    EXPECT_EQ(loadModelFile(importPath("gru_l1_h8_skip.rtneural.json"))->info().sourceFormat,
              "rtneural");
    EXPECT_EQ(loadModelFile(importPath("gru_l2_h16_noskip.statedict.json"))->info().sourceFormat,
              "state_dict");
    const auto guitarml = loadModelFile(importPath("lstm_l3_h16_skip.guitarml.json"));
    EXPECT_EQ(guitarml->layers().size(), 3u);
    EXPECT_STREQ(guitarml->layers()[0]->typeName(), "lstm");
    EXPECT_EQ(guitarml->skip(), 1);
    EXPECT_TRUE(guitarml->info().sampleRateAssumed);
    EXPECT_EQ(guitarml->info().sampleRate, 44100.0);
    const auto aidax = loadModelFile(importPath("lstm_l3_h16_skip.rtneural.json"));
    EXPECT_FALSE(aidax->info().sampleRateAssumed);
    EXPECT_EQ(aidax->info().referenceInput.size(), 2000u);
}

TEST(Import, KerasOrderedAndTorchOrderedGrusWithTheSameWeightsAgreeExactly) {
    // The gate-order regression: z, r, h must become r, z, n with no arithmetic on the way.
    for (const auto& name : caseNames()) {
        if (name.rfind("gru", 0) != 0) continue;
        SCOPED_TRACE(name);
        const auto keras = loadModelFile(importPath(name + ".rtneural.json"));
        const auto torch = loadModelFile(importPath(name + ".native.json"));
        const auto input = readFloats(importPath(name + ".input.f32"));
        const auto a = run(*keras, input), b = run(*torch, input);
        EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
        const auto& k = dynamic_cast<const GruLayer&>(*keras->layers()[0]);
        const auto& t = dynamic_cast<const GruLayer&>(*torch->layers()[0]);
        EXPECT_EQ(k.weightHh(), t.weightHh());
        EXPECT_EQ(k.biasHh(), t.biasHh());
    }
}

TEST(Import, ConvertKeepsWeightsMetadataAndReferenceAndVerifyPasses) {
    const fs::path out =
        fs::temp_directory_path() / ("gs_convert_" + std::to_string(::getpid()) + ".json");
    const std::string source = importPath("lstm_l2_h32_noskip.rtneural.json");
    const auto run1 =
        test::runGrustream("convert " + test::shellArg(source) + " " + test::shellArg(out));
    ASSERT_EQ(run1.exitCode, 0) << run1.output;
    const auto original = loadModelFile(source), converted = loadModelFile(out);
    EXPECT_EQ(converted->info().sourceFormat, "grustream");
    EXPECT_EQ(converted->info().metadataValue("name"), "fixture");
    EXPECT_NE(converted->info().metadataValue("converted_from").find("rtneural"),
              std::string::npos);
    const auto input = readFloats(importPath("lstm_l2_h32_noskip.input.f32"));
    EXPECT_EQ(run(*original, input), run(*converted, input));
    const auto verify = test::runGrustream("verify " + test::shellArg(out));
    EXPECT_EQ(verify.exitCode, 0) << verify.output;
    EXPECT_NE(verify.output.find("2000 reference frames"), std::string::npos) << verify.output;
    EXPECT_EQ(
        test::runGrustream("verify " + test::shellArg(importPath("gru_l1_h8_skip.guitarml.json")))
            .exitCode,
        3);
    fs::remove(out);
}

std::string loadError(const std::string& text) {
    try {
        loadModelText(text, "broken.json");
    } catch (const ModelError& error) {
        return error.what();
    }
    ADD_FAILURE() << "accepted: " << text.substr(0, 200);
    return {};
}

nlohmann::ordered_json fixture(const std::string& name) {
    std::ifstream stream(importPath(name));
    return nlohmann::ordered_json::parse(stream);
}

TEST(ImportFaults, GuitarMl) {
    auto doc = fixture("gru_l2_h16_noskip.guitarml.json");
    auto broken = doc;
    broken["model_data"]["unit_type"] = "RNN";
    EXPECT_NE(loadError(broken.dump()).find("model_data.unit_type"), std::string::npos);
    broken = doc;
    broken["state_dict"].erase("rec.weight_hh_l1");
    EXPECT_NE(loadError(broken.dump()).find("state_dict.rec.weight_hh_l1"), std::string::npos);
    broken = doc;
    broken["model_data"]["hidden_size"] = 17;  // wrong shapes for every weight
    EXPECT_NE(loadError(broken.dump()).find("51 rows"), std::string::npos);
    broken = doc;
    broken["state_dict"]["lin.bias"][0] = "0.1";
    EXPECT_NE(loadError(broken.dump()).find("state_dict.lin.bias[0]: expected a number"),
              std::string::npos);
    const std::string text = doc.dump();
    EXPECT_NE(loadError(text.substr(0, text.size() / 3)).find("valid JSON"), std::string::npos);
}

TEST(ImportFaults, RtneuralAndAidaX) {
    auto doc = fixture("gru_l1_h8_skip.rtneural.json");
    auto broken = doc;
    broken["layers"].insert(
        broken["layers"].begin() + 1,
        nlohmann::ordered_json::object({{"type", "conv1d"},
                                        {"shape", {nullptr, 8}},
                                        {"weights", nlohmann::ordered_json::array()}}));
    const std::string conv = loadError(broken.dump());
    EXPECT_NE(conv.find("layers[1].type"), std::string::npos) << conv;
    EXPECT_NE(conv.find("unsupported layer type"), std::string::npos) << conv;
    EXPECT_NE(conv.find("conv1d"), std::string::npos) << conv;
    broken = doc;
    // bias with the wrong shape
    broken["layers"][0]["weights"][2] = broken["layers"][0]["weights"][1];
    EXPECT_NE(loadError(broken.dump()).find("layers[0].weights[2]"), std::string::npos);
    broken = doc;
    broken["layers"].push_back(broken["layers"][1]);
    EXPECT_NE(loadError(broken.dump()).find("one dense output layer"), std::string::npos);
    broken = doc;
    broken["in_gain"] = 6.0;  // with a skip path and no matching out_gain
    EXPECT_NE(loadError(broken.dump()).find("in_skip"), std::string::npos);
    broken = doc;
    broken["layers"][0]["activation"] = "relu";
    EXPECT_NE(loadError(broken.dump()).find("layers[0].activation"), std::string::npos);
}

TEST(ImportFaults, AidaXGainsAreFoldedIntoTheWeights) {
    auto doc = fixture("gru_l1_h64_noskip.rtneural.json");
    doc["in_gain"] = 6.0;
    doc["out_gain"] = -3.0;
    const auto gained = loadModelText(doc.dump(), "gained.json");
    doc["in_gain"] = 0.0;
    doc["out_gain"] = 0.0;
    const auto plain = loadModelText(doc.dump(), "plain.json");
    std::vector<float> x(500), scaled(500);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = 0.3f * std::sin(0.05f * static_cast<float>(i));
        scaled[i] = x[i] * std::pow(10.0f, 6.0f / 20.0f);
    }
    const auto a = run(*gained, x), b = run(*plain, scaled);
    for (std::size_t i = 0; i < x.size(); ++i)
        ASSERT_NEAR(a[i], b[i] * std::pow(10.0f, -3.0f / 20.0f), 2e-6f) << i;
}

TEST(ImportFaults, StateDict) {
    auto doc = fixture("gru_l2_h16_noskip.statedict.json");
    auto broken = doc;
    // 49 rows: neither 3H nor 4H
    broken["rnn.weight_hh_l0"].push_back(broken["rnn.weight_hh_l0"][0]);
    EXPECT_NE(loadError(broken.dump()).find("rnn.weight_hh_l0"), std::string::npos);
    broken = doc;
    broken["norm.scale"] = {1.0, 2.0};
    const std::string ambiguous = loadError(broken.dump());
    EXPECT_NE(ambiguous.find("norm"), std::string::npos) << ambiguous;
    broken = doc;
    broken.erase("dense.weight");
    broken.erase("dense.bias");
    EXPECT_NE(loadError(broken.dump()).find("Linear"), std::string::npos);
    broken = doc;
    broken["rnn.weight_ih_l0_reverse"] = broken["rnn.weight_ih_l0"];
    EXPECT_NE(loadError(broken.dump()).find("bidirectional"), std::string::npos);
}

TEST(ImportFaults, FiftyMegabytesOfNestedArraysAreRefusedByShapeNotByCrashing) {
    // A GuitarML file whose first weight claims millions of columns: parsed (it is under the
    // 64 MiB limit), then refused at the shape check, before any model memory is allocated.
    std::string text = R"({"model_data": {"unit_type": "GRU", "input_size": 1, "hidden_size": 8},
                           "state_dict": {"rec.weight_ih_l0": [[)";
    text.reserve(50u * 1024u * 1024u + 200u);
    while (text.size() < 50u * 1024u * 1024u) text += "0.25,";
    text += "0.25]]}}";
    const std::string message = loadError(text);
    EXPECT_NE(message.find("state_dict.rec.weight_ih_l0"), std::string::npos)
        << message.substr(0, 300);
    EXPECT_NE(message.find("24 rows"), std::string::npos) << message.substr(0, 300);
}

TEST(ImportFaults, NamAndEmptyAndUnknownFilesAreNamed) {
    EXPECT_NE(
        loadError(
            R"({"version": "0.5.2", "architecture": "WaveNet", "config": {}, "weights": [0.1]})")
            .find("NAM \"WaveNet\""),
        std::string::npos);
    EXPECT_NE(loadError("").find("empty"), std::string::npos);
    EXPECT_NE(loadError(R"({"hello": 1})").find("no known model format"), std::string::npos);
}

}  // namespace
}  // namespace gs
