#include "batch_runner.h"

#include <chrono>
#include <map>
#include <thread>

namespace gs {
namespace fs = std::filesystem;

const char* batchStatusName(BatchStatus status) noexcept {
    switch (status) {
    case BatchStatus::Rendered: return "rendered";
    case BatchStatus::Skipped: return "skipped";
    case BatchStatus::BadAudio: return "bad_audio";
    case BatchStatus::Failed: return "failed";
    case BatchStatus::Interrupted: return "interrupted";
    }
    return "failed";
}

BatchRunner::BatchRunner(std::shared_ptr<const RecurrentModel> model, BatchSettings settings)
    : model_(std::move(model)), settings_(std::move(settings)) {}

fs::path BatchRunner::outputPathFor(const BatchItem& item) const {
    fs::path relative = item.relativeOutput;
    const std::string stem = relative.stem().string() + settings_.suffix;
    relative.replace_filename(stem + settings_.render.outputFormat.extension());
    return settings_.outputFolder / relative;
}

BatchResult BatchRunner::renderOne(const BatchItem& item, const std::atomic<bool>& stop) const {
    BatchResult result;
    result.item = item;
    result.output = outputPathFor(item);
    const auto started = std::chrono::steady_clock::now();
    std::error_code error;
    if (!settings_.overwrite && fs::exists(result.output, error)) {
        result.status = BatchStatus::Skipped;
        return result;
    }
    if (stop.load()) {
        result.status = BatchStatus::Interrupted;
        return result;
    }
    RenderOptions options = settings_.render;
    options.stopRequested = &stop;
    try {
        fs::create_directories(result.output.parent_path(), error);
        if (error)
            throw AudioFileError(result.output.parent_path().string() +
                                 ": cannot create folder: " + error.message());
        const RenderResult rendered = renderFile(model_, item.input, result.output, options);
        result.status = BatchStatus::Rendered;
        result.audioSeconds = static_cast<double>(rendered.frames) / rendered.sampleRate;
    } catch (const RenderInterrupted&) {
        result.status = BatchStatus::Interrupted;
    } catch (const AudioFileError& failure) {
        // Reading problems are the input's fault; writing problems (disk full) are not.
        const std::string message = failure.what();
        result.status = message.rfind(item.input.string(), 0) == 0 ? BatchStatus::BadAudio
                                                                   : BatchStatus::Failed;
        result.error = message;
    } catch (const std::exception& failure) {
        result.status = BatchStatus::Failed;
        result.error = failure.what();
    }
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::vector<BatchResult>
BatchRunner::run(const std::vector<BatchItem>& items, const std::atomic<bool>& stop,
                 const std::function<void(const BatchResult&)>& onFinished) {
    std::vector<BatchResult> results(items.size());
    // Two inputs that map to one output (x.wav and x.flac, or a/t.wav and b/t.wav given as
    // folders) would overwrite each other: the later ones fail with a message instead.
    std::vector<bool> collides(items.size(), false);
    {
        std::map<fs::path, std::size_t> firstOwner;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto [it, inserted] = firstOwner.emplace(outputPathFor(items[i]), i);
            if (!inserted) {
                collides[i] = true;
                results[i].item = items[i];
                results[i].output = it->first;
                results[i].status = BatchStatus::Failed;
                results[i].error = items[i].input.string() + ": would write the same output " +
                                   it->first.string() + " as " + items[it->second].input.string() +
                                   "; use separate runs or --suffix";
            }
        }
    }
    std::atomic<std::size_t> next{0};
    std::mutex reportMutex;
    auto worker = [&] {
        for (std::size_t i = next++; i < items.size(); i = next++) {
            if (!collides[i]) results[i] = renderOne(items[i], stop);
            const std::lock_guard<std::mutex> lock(reportMutex);
            if (onFinished) onFinished(results[i]);
        }
    };
    const int threads = std::max(1, std::min<int>(settings_.jobs, static_cast<int>(items.size())));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& thread : pool) thread.join();
    return results;
}

}  // namespace gs
