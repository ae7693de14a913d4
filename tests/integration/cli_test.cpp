// `grustream` end to end: render a golden WAV and compare with torch, check exit codes.

#include "cli_helpers.h"
#include "engine_helpers.h"
#include "golden_files.h"
#include "golden_tolerance.h"
#include "model/native_format.h"
#include "test_models.h"
#include "tools/grustream/audio_file.h"
#include "tools/grustream/exit_codes.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace gs {
namespace {

namespace fs = std::filesystem;

using test::runGrustream;
using test::RunResult;
using test::shellArg;

class CliTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gs_cli_test_" + std::to_string(::getpid()) + "_" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path writeWav(const std::string& name, int channels, double rate,
                      const std::vector<float>& interleaved) {
        fs::path path = dir_ / name;
        AudioFileWriter writer(path, channels, rate);
        writer.writeInterleaved(interleaved.data(),
                                interleaved.size() / static_cast<std::size_t>(channels));
        writer.commit();
        return path;
    }

    static std::vector<float> readWav(const fs::path& path, int& channels, double& rate) {
        AudioFileReader reader(path);
        channels = reader.channels();
        rate = reader.sampleRate();
        std::vector<float> samples(static_cast<std::size_t>(reader.frames() * channels));
        reader.readInterleaved(samples.data(), static_cast<std::size_t>(reader.frames()));
        return samples;
    }

    bool onlyExpectedFiles(std::initializer_list<std::string> names) const {
        std::size_t count = 0;
        for (const auto& entry : fs::directory_iterator(dir_)) {
            ++count;
            if (std::find(names.begin(), names.end(), entry.path().filename().string()) ==
                names.end())
                return false;
        }
        return count == names.size();
    }

    fs::path dir_;
    const std::string model_ = shellArg(test::goldenPath("cli_stereo.model.json"));
    const std::string wav_ = shellArg(test::goldenPath("cli_stereo.wav"));
};

TEST_F(CliTest, RenderMatchesTorchAndIsIdenticalForEveryBlockSize) {
    const auto expected = test::readFloats(test::goldenPath("cli_stereo.output.f32"));
    std::string firstBytes;
    for (int block : {1, 7, 64, 4096}) {
        SCOPED_TRACE(block);
        const fs::path out = dir_ / ("out_" + std::to_string(block) + ".wav");
        const RunResult run = runGrustream("render " + model_ + " " + wav_ + " " + shellArg(out) +
                                           " --block-size " + std::to_string(block));
        ASSERT_EQ(run.exitCode, cli::exitOk) << run.output;
        int channels;
        double rate;
        const auto samples = readWav(out, channels, rate);
        EXPECT_EQ(channels, 2);
        EXPECT_EQ(rate, 48000.0);
        ASSERT_EQ(samples.size(), expected.size());
        float maxError = 0.0f;
        for (std::size_t i = 0; i < samples.size(); ++i)
            maxError = std::max(maxError, std::fabs(samples[i] - expected[i]));
        EXPECT_LE(maxError, test::goldenTolerance);

        const std::string bytes = test::fileBytes(out);
        if (firstBytes.empty()) firstBytes = bytes;
        EXPECT_TRUE(bytes == firstBytes) << "output bytes differ for block size " << block;
    }
}

TEST_F(CliTest, MissingModelIsExit3AndNamesTheFile) {
    const RunResult run =
        runGrustream("render /nonexistent.json " + wav_ + " " + shellArg(dir_ / "o.wav"));
    EXPECT_EQ(run.exitCode, cli::exitBadModel);
    EXPECT_NE(run.output.find("/nonexistent.json"), std::string::npos) << run.output;
    EXPECT_TRUE(onlyExpectedFiles({}));
}

TEST_F(CliTest, MalformedModelIsExit3WithTheJsonPath) {
    std::ifstream in(test::goldenPath("cli_stereo.model.json"));
    nlohmann::json document = nlohmann::json::parse(in);
    document["layers"][0]["hidden_size"] = -4;
    const fs::path broken = dir_ / "broken.json";
    std::ofstream(broken) << document.dump();
    const RunResult run =
        runGrustream("render " + shellArg(broken) + " " + wav_ + " " + shellArg(dir_ / "o.wav"));
    EXPECT_EQ(run.exitCode, cli::exitBadModel);
    EXPECT_NE(run.output.find("layers[0].hidden_size"), std::string::npos) << run.output;
    EXPECT_FALSE(fs::exists(dir_ / "o.wav"));
}

TEST_F(CliTest, MissingOrNonAudioInputIsExit4) {
    EXPECT_EQ(
        runGrustream("render " + model_ + " /nonexistent.wav " + shellArg(dir_ / "o.wav")).exitCode,
        cli::exitBadAudio);
    const fs::path text = dir_ / "notes.wav";
    std::ofstream(text) << "this is not audio";
    const RunResult run =
        runGrustream("render " + model_ + " " + shellArg(text) + " " + shellArg(dir_ / "o.wav"));
    EXPECT_EQ(run.exitCode, cli::exitBadAudio);
    EXPECT_NE(run.output.find("notes.wav"), std::string::npos);
    EXPECT_TRUE(onlyExpectedFiles({"notes.wav"}));
}

TEST_F(CliTest, SampleRateMismatchIsExit4WithNoResample) {
    const fs::path input = writeWav("44k.wav", 1, 44100.0, std::vector<float>(100, 0.1f));
    const RunResult run = runGrustream("render " + model_ + " " + shellArg(input) + " " +
                                       shellArg(dir_ / "o.wav") + " --no-resample");
    EXPECT_EQ(run.exitCode, cli::exitBadAudio);
    EXPECT_NE(run.output.find("44100 Hz but the model runs at 48000 Hz"), std::string::npos)
        << run.output;
    EXPECT_TRUE(onlyExpectedFiles({"44k.wav"}));
}

TEST_F(CliTest, OtherRatesAreResampledWithTheLatencyCompensated) {
    // Through an identity model the output must be the input: same length, same timing.
    const fs::path model = dir_ / "identity.json";
    writeNativeModel(*test::identityModel(48000.0), model);
    const std::vector<float> signal = test::bandLimited(44100, 44100.0, 0.35 * 44100.0);
    const fs::path input = writeWav("44k.wav", 1, 44100.0, signal);
    const fs::path out = dir_ / "o.wav";
    const RunResult run =
        runGrustream("render " + shellArg(model) + " " + shellArg(input) + " " + shellArg(out));
    ASSERT_EQ(run.exitCode, cli::exitOk) << run.output;
    EXPECT_NE(run.output.find("resampled to the model's 48000 Hz"), std::string::npos)
        << run.output;
    int channels;
    double rate;
    const auto samples = readWav(out, channels, rate);
    ASSERT_EQ(samples.size(), signal.size());
    EXPECT_EQ(rate, 44100.0);
    float maxError = 0.0f;
    for (std::size_t i = 200; i + 200 < signal.size(); ++i)
        maxError = std::max(maxError, std::fabs(samples[i] - signal[i]));
    EXPECT_LT(maxError, 1e-4f);
}

TEST_F(CliTest, MixAndGainsReachTheEngine) {
    int channels;
    double rate;
    const auto dry = readWav(test::goldenPath("cli_stereo.wav"), channels, rate);
    const fs::path out = dir_ / "dry.wav";
    ASSERT_EQ(
        runGrustream("render " + model_ + " " + wav_ + " " + shellArg(out) + " --mix 0").exitCode,
        cli::exitOk);
    EXPECT_EQ(readWav(out, channels, rate), dry);  // all dry: the input, bit for bit

    const fs::path quiet = dir_ / "quiet.wav";
    ASSERT_EQ(runGrustream("render " + model_ + " " + wav_ + " " + shellArg(quiet) +
                           " --mix 0 --output-gain -20")
                  .exitCode,
              cli::exitOk);
    const auto attenuated = readWav(quiet, channels, rate);
    for (std::size_t i = 0; i < dry.size(); i += 97)
        ASSERT_NEAR(attenuated[i], 0.1f * dry[i], 1e-6f);
    EXPECT_EQ(runGrustream("render " + model_ + " " + wav_ + " x.wav --mix 2").exitCode,
              cli::exitUsage);
}

TEST_F(CliTest, EmptyAndNonFiniteInputsAreExit4AndLeaveNoOutput) {
    const fs::path empty = writeWav("empty.wav", 1, 48000.0, {});
    EXPECT_EQ(
        runGrustream("render " + model_ + " " + shellArg(empty) + " " + shellArg(dir_ / "o.wav"))
            .exitCode,
        cli::exitBadAudio);
    std::vector<float> samples(10000, 0.25f);
    samples[9000] = std::numeric_limits<float>::quiet_NaN();
    const fs::path nan = writeWav("nan.wav", 1, 48000.0, samples);
    const RunResult run = runGrustream("render " + model_ + " " + shellArg(nan) + " " +
                                       shellArg(dir_ / "o.wav") + " --block-size 512");
    EXPECT_EQ(run.exitCode, cli::exitBadAudio);
    EXPECT_NE(run.output.find("sample 9000"), std::string::npos) << run.output;
    EXPECT_TRUE(onlyExpectedFiles({"empty.wav", "nan.wav"}));  // no partial output, no temp file
}

// A WAV written byte by byte, so its header can lie: FORMAT_TAG 1 = PCM, 3 = float.
std::string rawWav(int channels, int rate, int formatTag, int bits, std::uint32_t claimedDataBytes,
                   const std::string& payload) {
    std::string out;
    auto u32 = [&out](std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFFu);
    };
    auto u16 = [&out](std::uint32_t v) {
        for (int i = 0; i < 2; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFFu);
    };
    const auto blockAlign = static_cast<std::uint32_t>(channels * bits / 8);
    out += "RIFF";
    u32(claimedDataBytes > 0xFFFFFFFFu - 36 ? 0xFFFFFFFFu : 36 + claimedDataBytes);
    out += "WAVEfmt ";
    u32(16);
    u16(static_cast<std::uint32_t>(formatTag));
    u16(static_cast<std::uint32_t>(channels));
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate) * blockAlign);
    u16(blockAlign);
    u16(static_cast<std::uint32_t>(bits));
    out += "data";
    u32(claimedDataBytes);
    return out + payload;
}

std::string floatBytes(std::vector<float> samples) {
    return {reinterpret_cast<const char*>(samples.data()), samples.size() * sizeof(float)};
}

TEST_F(CliTest, MalformedAudioFilesAreExit4WithTheReasonAndLeaveNoOutput) {
    const std::string tone = floatBytes(std::vector<float>(1000, 0.25f));
    std::vector<float> withInf(1000, 0.25f);
    withInf[700] = std::numeric_limits<float>::infinity();
    const struct {
        const char* name;
        std::string bytes;
        const char* reason;
    } cases[] = {
        {"cut_short", rawWav(1, 48000, 3, 32, 4000, tone.substr(0, 2000)), "cut short"},
        {"claims_4_gb", rawWav(1, 48000, 3, 32, 0xFFFFFFF0u, tone), "cut short"},
        {"zero_channels", rawWav(0, 48000, 3, 32, 4000, tone), "cannot read audio"},
        {"1024_channels", rawWav(1024, 48000, 3, 32, 4096 * 4, std::string(4096 * 4, '\0')),
         "at most 64"},
        {"zero_rate", rawWav(1, 0, 3, 32, 4000, tone), "cannot read audio"},
        {"unknown_encoding", rawWav(1, 48000, 0x55, 32, 4000, tone), "cannot read audio"},
        {"header_only", rawWav(1, 48000, 3, 32, 4000, "").substr(0, 30), "cannot read audio"},
        {"infinity", rawWav(1, 48000, 3, 32, 4000, floatBytes(withInf)),
         "sample 700 of channel 1 is not a finite"},
    };
    for (const auto& bad : cases) {
        SCOPED_TRACE(bad.name);
        const fs::path input = dir_ / (std::string(bad.name) + ".wav");
        std::ofstream(input, std::ios::binary) << bad.bytes;
        const RunResult run = runGrustream("render " + model_ + " " + shellArg(input) + " " +
                                           shellArg(dir_ / "o.wav"));
        EXPECT_EQ(run.exitCode, cli::exitBadAudio) << run.output;
        EXPECT_NE(run.output.find(bad.reason), std::string::npos) << run.output;
        // names the file
        EXPECT_NE(run.output.find(input.string()), std::string::npos) << run.output;
        EXPECT_FALSE(fs::exists(dir_ / "o.wav"));
        fs::remove(input);
        EXPECT_TRUE(onlyExpectedFiles({}));  // no temporary left either
    }
}

TEST_F(CliTest, StreamedWavWithUnknownLengthRendersInFull) {
    // ffmpeg writing to a pipe cannot go back to fill in the length: it leaves 0xFFFFFFFF.
    const fs::path input = dir_ / "streamed.wav";
    std::ofstream(input, std::ios::binary)
        << rawWav(1, 48000, 3, 32, 0xFFFFFFFFu, floatBytes(std::vector<float>(1000, 0.25f)));
    const RunResult run =
        runGrustream("render " + model_ + " " + shellArg(input) + " " + shellArg(dir_ / "o.wav"));
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_EQ(AudioFileReader(dir_ / "o.wav").frames(), 1000);
}

TEST_F(CliTest, RefusesToOverwriteTheInput) {
    const fs::path input = writeWav("in.wav", 1, 48000.0, std::vector<float>(100, 0.1f));
    const auto before = fs::file_size(input);
    const RunResult run =
        runGrustream("render " + model_ + " " + shellArg(input) + " " + shellArg(input));
    EXPECT_EQ(run.exitCode, cli::exitUsage);
    EXPECT_NE(run.output.find("overwrite the input"), std::string::npos);
    EXPECT_EQ(fs::file_size(input), before);
}

TEST_F(CliTest, DetectorModelCannotRenderAudio) {
    const RunResult run =
        runGrustream("render " + shellArg(test::goldenPath("h8_i6_l1_softmax.model.json")) + " " +
                     wav_ + " " + shellArg(dir_ / "o.wav"));
    EXPECT_EQ(run.exitCode, cli::exitBadModel);
    EXPECT_NE(run.output.find("needs an effect model"), std::string::npos) << run.output;
}

TEST_F(CliTest, UsageErrorsAreExit2) {
    EXPECT_EQ(runGrustream("").exitCode, cli::exitUsage);
    EXPECT_EQ(runGrustream("render " + model_).exitCode, cli::exitUsage);
    EXPECT_EQ(runGrustream("render " + model_ + " " + wav_ + " x.wav --block-size 0").exitCode,
              cli::exitUsage);
    EXPECT_EQ(runGrustream("frobnicate").exitCode, cli::exitUsage);
    EXPECT_EQ(runGrustream("--help").exitCode, cli::exitOk);
}

TEST_F(CliTest, InfoDescribesTheModel) {
    const RunResult text = runGrustream("info " + model_);
    EXPECT_EQ(text.exitCode, cli::exitOk);
    EXPECT_NE(text.output.find("gru 1->24"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("48000 Hz"), std::string::npos);

    const RunResult json = runGrustream("info --json " + model_);
    ASSERT_EQ(json.exitCode, cli::exitOk);
    const auto parsed = nlohmann::json::parse(json.output);
    EXPECT_EQ(parsed["parameters"], 3 * 24 * (1 + 24 + 2) + 24 + 1);
    EXPECT_EQ(parsed["task"], "effect");
    EXPECT_EQ(parsed["layers"][0]["hidden_size"], 24);
    EXPECT_EQ(runGrustream("info /nonexistent.json").exitCode, cli::exitBadModel);
}

}  // namespace
}  // namespace gs
