// `grustream batch` end to end: a folder of good, empty, corrupt and non-audio files; resume;
// sharding; Ctrl-C; constant memory on a long file.

#include "cli_helpers.h"
#include "golden_files.h"
#include "model/native_format.h"
#include "test_models.h"
#include "tools/grustream/audio_file.h"
#include "tools/grustream/exit_codes.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <thread>

extern char** environ;

namespace gs {
namespace {

namespace fs = std::filesystem;
using test::runGrustream;
using test::shellArg;

void writeTone(const fs::path& path, int channels, double rate, std::size_t frames,
               AudioOutputFormat format = {}) {
    fs::create_directories(path.parent_path());
    AudioFileWriter writer(path, channels, rate, format);
    std::vector<float> block(4096 * static_cast<std::size_t>(channels));
    for (std::size_t start = 0; start < frames; start += 4096) {
        const std::size_t n = std::min<std::size_t>(4096, frames - start);
        for (std::size_t i = 0; i < n; ++i)
            for (int c = 0; c < channels; ++c)
                block[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] =
                    0.5f *
                    std::sin(0.01f * static_cast<float>(start + i) * static_cast<float>(c + 1));
        writer.writeInterleaved(block.data(), n);
    }
    writer.commit();
}

std::set<std::string> filesBelow(const fs::path& folder) {
    std::set<std::string> names;
    if (!fs::exists(folder)) return names;
    for (const auto& entry : fs::recursive_directory_iterator(folder))
        if (entry.is_regular_file()) names.insert(fs::relative(entry.path(), folder).string());
    return names;
}

class BatchTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gs_batch_" + std::to_string(::getpid()) + "_" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        in_ = dir_ / "in";
        out_ = dir_ / "out";
        fs::create_directories(in_);
        model_ = dir_ / "model.json";
        writeNativeModel(*test::randomModel(81, 1, 8, 1, 1, 1), model_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // The folder the batch tests share: good files at several rates, channel counts and
    // lengths, and three bad ones.
    void makeMixedFolder() {
        writeTone(in_ / "mono48.wav", 1, 48000.0, 5000);
        writeTone(in_ / "sub" / "stereo44.wav", 2, 44100.0, 3000);
        writeTone(in_ / "sub" / "deeper" / "one.flac", 1, 48000.0, 1,
                  {AudioOutputFormat::Container::Flac, AudioOutputFormat::Sample::Pcm16});
        writeTone(in_ / "empty.wav", 1, 48000.0, 0);
        writeTone(in_ / "corrupt.wav", 1, 48000.0, 1000);
        fs::resize_file(in_ / "corrupt.wav", 20);  // the header cut short
        std::ofstream(in_ / "notes.wav") << "not audio";
        std::ofstream(in_ / "readme.txt") << "ignored: not an audio file name";
    }

    std::string renderAlone(const fs::path& input) {
        const fs::path out = dir_ / "single.wav";
        EXPECT_EQ(
            runGrustream("render " + shellArg(model_) + " " + shellArg(input) + " " + shellArg(out))
                .exitCode,
            0);
        std::string bytes = test::fileBytes(out);
        fs::remove(out);
        return bytes;
    }

    std::string batch(const std::string& extra) {
        return "batch " + shellArg(model_) + " " + shellArg(in_) + " --out " + shellArg(out_) +
               " " + extra;
    }

    fs::path dir_, in_, out_, model_;
};

TEST_F(BatchTest, RendersGoodFilesLikeRenderReportsBadOnesAndLeavesNoTemporaries) {
    makeMixedFolder();
    const fs::path report = dir_ / "report.json";
    const auto run = runGrustream(batch("--recursive --jobs 2 --report " + shellArg(report)));
    EXPECT_EQ(run.exitCode, cli::exitBadAudio) << run.output;
    EXPECT_EQ(filesBelow(out_),
              (std::set<std::string>{"mono48.wav", "sub/stereo44.wav", "sub/deeper/one.wav"}));
    EXPECT_EQ(test::fileBytes(out_ / "mono48.wav"), renderAlone(in_ / "mono48.wav"));
    EXPECT_EQ(test::fileBytes(out_ / "sub/stereo44.wav"), renderAlone(in_ / "sub/stereo44.wav"));
    EXPECT_EQ(test::fileBytes(out_ / "sub/deeper/one.wav"),
              renderAlone(in_ / "sub/deeper/one.flac"));
    for (const char* bad : {"empty.wav", "corrupt.wav", "notes.wav"})
        EXPECT_NE(run.output.find((in_ / bad).string()), std::string::npos) << bad << "\n"
                                                                            << run.output;

    std::ifstream stream(report);
    const auto json = nlohmann::json::parse(stream);
    std::map<std::string, std::string> status;
    for (const auto& file : json["files"])
        status[fs::path(file["input"].get<std::string>()).filename()] = file["status"];
    EXPECT_EQ(status["mono48.wav"], "rendered");
    EXPECT_EQ(status["empty.wav"], "bad_audio");
    EXPECT_EQ(status["notes.wav"], "bad_audio");
    EXPECT_EQ(json["exit_code"], cli::exitBadAudio);
}

TEST_F(BatchTest, RerunSkipsFinishedFilesAndOverwriteRedoesThem) {
    writeTone(in_ / "a.wav", 1, 48000.0, 2000);
    writeTone(in_ / "b.wav", 1, 48000.0, 2000);
    ASSERT_EQ(runGrustream(batch("")).exitCode, 0);
    std::ofstream(out_ / "a.wav", std::ios::trunc) << "marker";  // would be replaced by a re-render
    const auto rerun = runGrustream(batch(""));
    EXPECT_EQ(rerun.exitCode, 0);
    EXPECT_NE(rerun.output.find("0 rendered, 2 skipped"), std::string::npos) << rerun.output;
    EXPECT_EQ(test::fileBytes(out_ / "a.wav"), "marker");
    ASSERT_EQ(runGrustream(batch("--overwrite")).exitCode, 0);
    EXPECT_EQ(test::fileBytes(out_ / "a.wav"), renderAlone(in_ / "a.wav"));
}

TEST_F(BatchTest, ShardsPartitionTheInputsExactly) {
    for (int i = 0; i < 7; ++i)
        writeTone(in_ / (std::string("f") + std::to_string(i) + ".wav"), 1, 48000.0, 500);
    ASSERT_EQ(runGrustream(batch("")).exitCode, 0);
    const auto full = filesBelow(out_);
    std::map<std::string, std::string> fullBytes;
    for (const auto& name : full) fullBytes[name] = test::fileBytes(out_ / name);
    fs::remove_all(out_);

    std::multiset<std::string> union_;
    for (int k = 0; k < 3; ++k) {
        const fs::path shardOut = dir_ / (std::string("shard") + std::to_string(k));
        ASSERT_EQ(runGrustream("batch " + shellArg(model_) + " " + shellArg(in_) + " --out " +
                               shellArg(shardOut) + " --shard " + std::to_string(k) + "/3")
                      .exitCode,
                  0);
        for (const auto& name : filesBelow(shardOut)) {
            union_.insert(name);
            EXPECT_EQ(test::fileBytes(shardOut / name), fullBytes[name]);
        }
    }
    EXPECT_EQ(std::set<std::string>(union_.begin(), union_.end()), full);
    EXPECT_EQ(union_.size(), full.size());  // none done twice
}

TEST_F(BatchTest, ShardIndexCanComeFromTheScheduler) {
    for (int i = 0; i < 4; ++i)
        writeTone(in_ / (std::string("f") + std::to_string(i) + ".wav"), 1, 48000.0, 300);
    const auto run = runGrustream("batch " + shellArg(model_) + " " + shellArg(in_) + " --out " +
                                  shellArg(out_) + " --shard auto/2");
    EXPECT_EQ(run.exitCode, cli::exitUsage);  // no index in the environment
    ASSERT_EQ(std::system(("JOB_COMPLETION_INDEX=1 " + std::string(GS_GRUSTREAM_BIN) + " " +
                           batch("--shard auto/2 --quiet"))
                              .c_str()),
              0);
    EXPECT_EQ(filesBelow(out_), (std::set<std::string>{"f1.wav", "f3.wav"}));
}

TEST_F(BatchTest, RefusesUnsafeOrImpossibleRequests) {
    writeTone(in_ / "a.wav", 1, 48000.0, 100);
    EXPECT_EQ(runGrustream("batch " + shellArg(model_) + " " + shellArg(in_) + " --out " +
                           shellArg(in_ / "rendered"))
                  .exitCode,
              cli::exitUsage);
    EXPECT_EQ(runGrustream(batch("--shard 3/3")).exitCode, cli::exitUsage);
    // FLAC holds no floats
    EXPECT_EQ(runGrustream(batch("--format flac")).exitCode, cli::exitUsage);
    EXPECT_EQ(runGrustream(batch("--format ogg")).exitCode, cli::exitUsage);
    EXPECT_EQ(runGrustream("batch " + shellArg(model_) + " /nonexistent --out " + shellArg(out_))
                  .exitCode,
              cli::exitUsage);
    EXPECT_FALSE(fs::exists(out_));
    // Allowed on request, and the output folder is then never read back as input.
    const fs::path inside = in_ / "rendered";
    ASSERT_EQ(runGrustream("batch " + shellArg(model_) + " " + shellArg(in_) +
                           " --recursive --out " + shellArg(inside) +
                           " --allow-output-inside-input")
                  .exitCode,
              0);
    ASSERT_EQ(runGrustream("batch " + shellArg(model_) + " " + shellArg(in_) +
                           " --recursive --out " + shellArg(inside) +
                           " --allow-output-inside-input")
                  .exitCode,
              0);
    EXPECT_EQ(filesBelow(inside), (std::set<std::string>{"a.wav"}));
}

TEST_F(BatchTest, InputsThatWouldShareAnOutputAreRefusedNotMixed) {
    writeTone(in_ / "take.wav", 1, 48000.0, 3000);
    writeTone(in_ / "take.flac", 1, 48000.0, 3000,
              {AudioOutputFormat::Container::Flac, AudioOutputFormat::Sample::Pcm16});
    const auto run = runGrustream(batch("--jobs 2"));
    EXPECT_EQ(run.exitCode, cli::exitOther) << run.output;
    EXPECT_NE(run.output.find("would write the same output"), std::string::npos) << run.output;
    EXPECT_EQ(filesBelow(out_), (std::set<std::string>{"take.wav"}));
    EXPECT_EQ(test::fileBytes(out_ / "take.wav"), renderAlone(in_ / "take.flac"));  // sorted first
}

TEST_F(BatchTest, FormatsBitDepthsAndSuffix) {
    writeTone(in_ / "a.wav", 2, 48000.0, 1000);
    ASSERT_EQ(runGrustream(batch("--format flac --bit-depth 24 --suffix _amp")).exitCode, 0);
    AudioFileReader reader(out_ / "a_amp.flac");
    EXPECT_EQ(reader.channels(), 2);
    EXPECT_EQ(reader.frames(), 1000);
}

struct ChildRun {
    int exitCode;
    long maxRssKb;
};

// Spawns grustream with arguments; with interruptWhen, sends SIGINT as soon as it holds
// (polled every 5 ms; after 2 minutes regardless, so a broken run cannot hang the test).
ChildRun spawnGrustream(const std::vector<std::string>& arguments,
                        const std::function<bool()>& interruptWhen = nullptr) {
    std::vector<std::string> all{GS_GRUSTREAM_BIN};
    all.insert(all.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    argv.reserve(all.size() + 1);
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
    if (interruptWhen) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
        while (!interruptWhen() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        kill(pid, SIGINT);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, usage.ru_maxrss};
}

TEST_F(BatchTest, InterruptLeavesOnlyCompleteOutputs) {
    // A large model, so five minutes of audio take seconds on any machine with the SIMD
    // kernels (GRU 128: ~1 us per sample here); the short file still finishes at once.
    writeNativeModel(*test::randomModel(83, 1, 128, 1, 1, 1), model_);
    const AudioOutputFormat pcm16{AudioOutputFormat::Container::Wav,
                                  AudioOutputFormat::Sample::Pcm16};
    writeTone(in_ / "a_short.wav", 1, 48000.0, 4800, pcm16);  // sorted first
    for (int i = 0; i < 5; ++i)
        writeTone(in_ / (std::string("long") + std::to_string(i) + ".wav"), 1, 48000.0, 48000 * 60,
                  pcm16);
    // The signal comes once the short file is complete (its final name appears only then):
    // a fixed 500 ms delay failed once under ASan with both cores busy, before even that file.
    const ChildRun run = spawnGrustream(
        {"batch", model_.string(), in_.string(), "--out", out_.string(), "--jobs", "2", "--quiet"},
        [&] { return fs::exists(out_ / "a_short.wav"); });
    EXPECT_EQ(run.exitCode, cli::exitInterrupted);
    const auto written = filesBelow(out_);
    EXPECT_GE(written.size(), 1u);
    EXPECT_LT(written.size(), 6u) << "finished before the interrupt: make the files longer";
    for (const auto& name : written) {
        EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
        EXPECT_EQ(test::fileBytes(out_ / name), renderAlone(in_ / name)) << name;
    }
}

TEST_F(BatchTest, MemoryStaysConstantWhateverTheFileLength) {
    // tiny: this measures I/O, not maths
    writeNativeModel(*test::randomModel(82, 1, 2, 1, 1, 1), model_);
    const AudioOutputFormat pcm16{AudioOutputFormat::Container::Wav,
                                  AudioOutputFormat::Sample::Pcm16};
    writeTone(dir_ / "short" / "a.wav", 1, 48000.0, 48000 * 60, pcm16);  // 1 minute
    writeTone(dir_ / "long" / "a.wav", 1, 48000.0, 48000 * 600, pcm16);  // 10 minutes
    const ChildRun shortRun = spawnGrustream({"batch", model_.string(), (dir_ / "short").string(),
                                              "--out", (dir_ / "out_short").string(), "--format",
                                              "wav", "--bit-depth", "16", "--quiet"});
    const ChildRun longRun = spawnGrustream({"batch", model_.string(), (dir_ / "long").string(),
                                             "--out", (dir_ / "out_long").string(), "--format",
                                             "wav", "--bit-depth", "16", "--quiet"});
    ASSERT_EQ(shortRun.exitCode, 0);
    ASSERT_EQ(longRun.exitCode, 0);
    std::printf("peak RSS: 1 min file %ld kB, 10 min file %ld kB\n", shortRun.maxRssKb,
                longRun.maxRssKb);
    // a whole 10-minute file would be 55 MB
    EXPECT_LT(longRun.maxRssKb - shortRun.maxRssKb, 4 * 1024);
    EXPECT_EQ(AudioFileReader(dir_ / "out_long" / "a.wav").frames(), 48000 * 600);
}

// Runs a batch with --out on a small tmpfs of its own (OPTIONS: "size=96k", "ro"), mounted in a
// private mount namespace so nothing outside the test sees it; what the batch left there is
// copied to `kept` before the mount goes away. Needs root (or user namespaces): nullopt if not.
std::optional<test::RunResult> batchOnOwnDisk(const std::string& options,
                                              const std::string& batchArguments,
                                              const fs::path& out, const fs::path& kept) {
    if (std::system("unshare -m true > /dev/null 2>&1") != 0) return std::nullopt;
    fs::create_directories(out);
    fs::create_directories(kept);
    const std::string script = "mount -t tmpfs -o " + options + " gs_test_disk " + shellArg(out) +
                               " || exit 99; " + GS_GRUSTREAM_BIN + std::string(" ") +
                               batchArguments + "; code=$?; cp -a " + shellArg(out) + "/. " +
                               shellArg(kept) + "/; exit $code";
    const auto run = test::runShell("unshare -m sh -c " + shellArg(script));
    if (run.exitCode == 99) return std::nullopt;
    return run;
}

std::map<std::string, std::string> contentsBelow(const fs::path& folder) {
    std::map<std::string, std::string> contents;
    for (const auto& name : filesBelow(folder)) contents[name] = test::fileBytes(folder / name);
    return contents;
}

TEST_F(BatchTest, FullDiskFailsTheFileThatHitItAndKeepsEverythingElse) {
    writeTone(in_ / "a.wav", 1, 48000.0, 2000);   //   8 kB of float output: fits
    writeTone(in_ / "b.wav", 1, 48000.0, 48000);  // 192 kB: cannot fit on a 96 kB disk
    writeTone(in_ / "c.wav", 1, 48000.0, 2000);   // fits again once b's temporary file is gone
    const auto inputsBefore = contentsBelow(in_);
    const fs::path kept = dir_ / "kept", report = dir_ / "report.json";
    const auto run =
        batchOnOwnDisk("size=96k", batch("--jobs 1 --report " + shellArg(report)), out_, kept);
    if (!run) GTEST_SKIP() << "no private mounts here (needs root): the full-disk test cannot run";
    EXPECT_EQ(run->exitCode, cli::exitOther) << run->output;
    EXPECT_NE(run->output.find("b.wav"), std::string::npos) << run->output;
    EXPECT_NE(run->output.find("write error"), std::string::npos) << run->output;
    // no partial b, no temporaries
    EXPECT_EQ(filesBelow(kept), (std::set<std::string>{"a.wav", "c.wav"}));
    EXPECT_EQ(test::fileBytes(kept / "a.wav"), renderAlone(in_ / "a.wav"));
    EXPECT_EQ(test::fileBytes(kept / "c.wav"), renderAlone(in_ / "c.wav"));
    EXPECT_EQ(contentsBelow(in_), inputsBefore);
    std::ifstream stream(report);
    const auto json = nlohmann::json::parse(stream);
    EXPECT_EQ(json["files"][1]["status"], "failed");
    EXPECT_NE(json["files"][1]["error"].get<std::string>().find("write error"), std::string::npos);
}

TEST_F(BatchTest, ReadOnlyOutputFolderIsOneClearErrorAndWritesNothing) {
    writeTone(in_ / "a.wav", 1, 48000.0, 2000);
    writeTone(in_ / "b.wav", 1, 48000.0, 2000);
    const auto inputsBefore = contentsBelow(in_);
    const fs::path kept = dir_ / "kept";
    const auto run = batchOnOwnDisk("ro", batch("--jobs 2"), out_, kept);
    if (!run) GTEST_SKIP() << "no private mounts here (needs root): the read-only test cannot run";
    EXPECT_EQ(run->exitCode, cli::exitOther) << run->output;
    EXPECT_NE(run->output.find("Read-only file system"), std::string::npos) << run->output;
    EXPECT_EQ(run->output.find("a.wav"), std::string::npos)
        << "one error for the folder, not one per file:\n"
        << run->output;
    EXPECT_TRUE(filesBelow(kept).empty());
    EXPECT_EQ(contentsBelow(in_), inputsBefore);
}

TEST_F(BatchTest, AReportThatCannotBeWrittenFailsTheRun) {
    writeTone(in_ / "a.wav", 1, 48000.0, 2000);
    const auto run = runGrustream(
        batch("--report " + shellArg(dir_ / "no" / "such" / "folder" / "report.json")));
    EXPECT_EQ(run.exitCode, cli::exitOther) << run.output;
    EXPECT_NE(run.output.find("cannot write the report"), std::string::npos) << run.output;
    EXPECT_EQ(filesBelow(out_), (std::set<std::string>{"a.wav"}));  // the rendering itself is kept
}

}  // namespace
}  // namespace gs
