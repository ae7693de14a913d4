// `grustream batch MODEL INPUT... --out DIR [options]`: many files, all cores, resumable,
// shardable. Exit codes as for render; 130 when stopped by Ctrl-C.

#include "batch_runner.h"
#include "commands.h"
#include "exit_codes.h"
#include "model/model_error.h"
#include "model/model_loader.h"
#include "tools/sensor_io/atomic_text_file.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>

namespace gs::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> stopRequested{false};
extern "C" void requestStop(int) { stopRequested.store(true); }

struct BatchArguments {
    std::string model;
    std::vector<std::string> inputs;
    std::string out;
    int jobs = 0;
    bool recursive = false;
    std::string format = "wav";
    std::string bitDepth = "32f";
    std::string suffix;
    bool overwrite = false;
    std::string manifest;
    std::string shard = "0/1";
    bool quiet = false;
    std::string report;
    bool allowOutputInsideInput = false;
    bool noResample = false;
    RenderOptions render;
};

AudioOutputFormat parseFormat(const std::string& format, const std::string& bitDepth) {
    AudioOutputFormat result;
    result.container = format == "flac"   ? AudioOutputFormat::Container::Flac
                       : format == "aiff" ? AudioOutputFormat::Container::Aiff
                                          : AudioOutputFormat::Container::Wav;
    result.sample = bitDepth == "16"   ? AudioOutputFormat::Sample::Pcm16
                    : bitDepth == "24" ? AudioOutputFormat::Sample::Pcm24
                                       : AudioOutputFormat::Sample::Float32;
    if (const std::string problem = result.problem(); !problem.empty())
        throw BatchUsageError(problem);
    return result;
}

// --out must not be an input folder or lie inside one (outputs would be read back as inputs).
void checkOutputFolder(const BatchArguments& args) {
    const fs::path out = fs::weakly_canonical(args.out);
    for (const auto& input : args.inputs) {
        std::error_code error;
        if (!fs::is_directory(input, error)) continue;
        const fs::path folder = fs::weakly_canonical(input);
        const auto mismatch = std::mismatch(folder.begin(), folder.end(), out.begin(), out.end());
        if (mismatch.first == folder.end() && !args.allowOutputInsideInput)
            throw BatchUsageError("--out " + args.out + " is inside the input folder " + input +
                                  "; choose another folder or pass --allow-output-inside-input");
    }
}

// The output folder, or the nearest folder above it that exists, must be writable: a read-only
// disk or folder is one clear error up front, not one per file. Empty when fine, else why not.
std::string outputFolderProblem(const fs::path& out) {
    fs::path folder = fs::absolute(out);
    std::error_code error;
    while (!fs::exists(folder, error) && folder.has_parent_path() && folder != folder.parent_path())
        folder = folder.parent_path();
    if (::access(folder.c_str(), W_OK | X_OK) == 0) return {};
    return "--out " + out.string() + ": cannot write in " + folder.string() + ": " +
           std::strerror(errno);
}

// Live progress: one rewritten line on a terminal, one line per file otherwise.
class ProgressPrinter {
public:
    ProgressPrinter(std::size_t total, bool quiet)
        : total_(total), quiet_(quiet), terminal_(::isatty(STDERR_FILENO) != 0),
          started_(std::chrono::steady_clock::now()) {}

    void fileFinished(const BatchResult& result) {
        ++done_;
        audioSeconds_ += result.audioSeconds;
        if (result.status == BatchStatus::BadAudio || result.status == BatchStatus::Failed)
            std::cerr << (terminal_ ? "\r\033[K" : "") << "grustream: " << result.error << '\n';
        if (quiet_) return;
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        const double speed = audioSeconds_ / std::max(elapsed, 1e-9);
        const double eta =
            done_ > 0 ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_)
                      : 0.0;
        char line[256];
        if (terminal_) {
            const int width = 24,
                      filled = static_cast<int>(width * done_ / std::max<std::size_t>(total_, 1));
            std::snprintf(line, sizeof line,
                          "\r\033[K[%s%s] %zu/%zu files  %.1f s audio  %.1fx realtime  ETA %d:%02d",
                          std::string(static_cast<std::size_t>(filled), '#').c_str(),
                          std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done_,
                          total_, audioSeconds_, speed, static_cast<int>(eta) / 60,
                          static_cast<int>(eta) % 60);
            std::cerr << line << (done_ == total_ ? "\n" : "") << std::flush;
        } else {
            std::snprintf(line, sizeof line, "[%zu/%zu] %s %s", done_, total_,
                          batchStatusName(result.status), result.item.input.c_str());
            std::cerr << line << '\n';
        }
    }

private:
    std::size_t total_, done_ = 0;
    bool quiet_, terminal_;
    double audioSeconds_ = 0.0;
    std::chrono::steady_clock::time_point started_;
};

// False (after saying why) when the report could not be written in full.
bool writeReport(const std::string& path, const BatchArguments& args,
                 const std::vector<BatchResult>& results, int exitCode, double wallSeconds) {
    nlohmann::ordered_json report;
    report["model"] = args.model;
    report["shard"] = args.shard;
    report["jobs"] = args.jobs;
    report["exit_code"] = exitCode;
    report["wall_seconds"] = wallSeconds;
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    double audio = 0.0;
    for (const auto& r : results) {
        audio += r.audioSeconds;
        files.push_back(
            {{"input", r.item.input.string()},
             {"output", r.output.string()},
             {"status", batchStatusName(r.status)},
             {"error", r.error},
             {"audio_seconds", r.audioSeconds},
             {"wall_seconds", r.wallSeconds},
             {"realtime_factor", r.wallSeconds > 0 ? r.audioSeconds / r.wallSeconds : 0.0}});
    }
    report["audio_seconds"] = audio;
    report["realtime_factor"] = wallSeconds > 0 ? audio / wallSeconds : 0.0;
    report["files"] = files;
    try {
        AtomicTextFile file(path);
        file.stream() << report.dump(2) << '\n';
        file.commit();
        return true;
    } catch (const TextFileError& error) {
        std::cerr << "grustream: cannot write the report: " << error.what() << '\n';
        return false;
    }
}

int runBatch(BatchArguments args) {
    const auto started = std::chrono::steady_clock::now();
    std::shared_ptr<const RecurrentModel> model;
    try {
        model = loadModelFile(args.model);
    } catch (const ModelError& error) {
        return fail(exitBadModel, error.what());
    }
    std::vector<BatchItem> items;
    BatchSettings settings;
    try {
        settings.render = args.render;
        settings.render.allowResampling = !args.noResample;
        settings.render.outputFormat = parseFormat(args.format, args.bitDepth);
        checkOutputFolder(args);
        InputOptions inputs{args.inputs, std::nullopt, args.recursive, fs::path(args.out)};
        if (!args.manifest.empty()) inputs.manifest = args.manifest;
        if (inputs.inputs.empty() && !inputs.manifest)
            throw BatchUsageError("batch needs inputs or --manifest");
        items = selectShard(collectBatchInputs(inputs), parseShard(args.shard));
    } catch (const BatchUsageError& error) {
        return fail(exitUsage, error.what());
    }
    if (model->info().task != ModelTask::Effect || model->inputSize() != 1 ||
        model->outputSize() != 1)
        return fail(exitBadModel,
                    args.model + ": batch needs an effect model with 1 input and 1 output");
    if (const std::string problem = outputFolderProblem(args.out); !problem.empty())
        return fail(exitOther, problem);

    settings.outputFolder = args.out;
    settings.suffix = args.suffix;
    settings.overwrite = args.overwrite;
    settings.jobs = args.jobs > 0
                        ? args.jobs
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    args.jobs = settings.jobs;

    struct sigaction action {};
    action.sa_handler = requestStop;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    ProgressPrinter progress(items.size(), args.quiet);
    BatchRunner runner(model, settings);
    const auto results = runner.run(
        items, stopRequested, [&progress](const BatchResult& r) { progress.fileFinished(r); });

    int exitCode = exitOk;
    std::size_t rendered = 0, skipped = 0, bad = 0;
    for (const auto& r : results) {
        if (r.status == BatchStatus::Rendered) ++rendered;
        if (r.status == BatchStatus::Skipped) ++skipped;
        if (r.status == BatchStatus::BadAudio) {
            ++bad;
            if (exitCode == exitOk) exitCode = exitBadAudio;
        }
        if (r.status == BatchStatus::Failed) {
            ++bad;
            exitCode = exitOther;
        }
    }
    if (stopRequested.load()) exitCode = exitInterrupted;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // A lost report is a failed run: schedulers read it to know what was done.
    if (!args.report.empty() && !writeReport(args.report, args, results, exitCode, wall) &&
        exitCode == exitOk)
        exitCode = exitOther;
    if (!args.quiet || exitCode != exitOk)
        std::cerr << "grustream: " << rendered << " rendered, " << skipped
                  << " skipped (already there), " << bad << " failed"
                  << (stopRequested.load() ? ", stopped by signal" : "") << '\n';
    return exitCode;
}

}  // namespace

void registerBatchCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<BatchArguments>();
    CLI::App* command = app.add_subcommand(
        "batch",
        "Render many files (files, folders, a manifest) in parallel into --out, keeping their "
        "folder structure; resumable (existing outputs are skipped) and shardable");
    command->add_option("model", args->model, "Model file")->required();
    command->add_option("inputs", args->inputs, "Input files and folders");
    command->add_option("--out", args->out, "Output folder")->required();
    command->add_option("--jobs", args->jobs, "Parallel files (default: the number of cores)")
        ->check(CLI::Range(1, 1024));
    command->add_flag("--recursive", args->recursive, "Descend into sub-folders of input folders");
    command->add_option("--format", args->format, "Output container")
        ->check(CLI::IsMember({"wav", "flac", "aiff"}));
    command->add_option("--bit-depth", args->bitDepth, "Output samples")
        ->check(CLI::IsMember({"16", "24", "32f"}));
    command->add_option("--suffix", args->suffix,
                        "Text added to each output's name before the extension");
    command->add_flag("--overwrite", args->overwrite, "Render again over existing outputs");
    command->add_option("--manifest", args->manifest, "File listing one input path per line");
    command->add_option("--shard", args->shard,
                        "Process slice K of N (0-based) of the sorted inputs; auto/N "
                        "reads K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID");
    command->add_flag("--quiet", args->quiet, "Print only errors");
    command->add_option("--report", args->report, "Write a JSON report of every file here");
    command->add_flag("--allow-output-inside-input", args->allowOutputInsideInput,
                      "Allow --out inside an input folder (it is then never scanned as input)");
    addEngineOptions(*command, args->render, args->noResample);
    command->callback([args, &exitCode] { exitCode = runBatch(*args); });
}

}  // namespace gs::cli
