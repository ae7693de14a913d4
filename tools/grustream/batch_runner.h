#pragma once
// Renders a list of batch items on a pool of worker threads, each file streamed through its
// own engine (constant memory), every output written to a temporary file and renamed when
// complete. Existing outputs are skipped unless overwrite is set, so a rerun resumes.

#include "batch_inputs.h"
#include "render_file.h"

#include <atomic>
#include <functional>
#include <mutex>

namespace gs {

enum class BatchStatus { Rendered, Skipped, BadAudio, Failed, Interrupted };
const char* batchStatusName(BatchStatus status) noexcept;

struct BatchResult {
    BatchItem item;
    std::filesystem::path output;
    BatchStatus status = BatchStatus::Failed;
    std::string error;
    double audioSeconds = 0.0;
    double wallSeconds = 0.0;
};

struct BatchSettings {
    std::filesystem::path outputFolder;
    std::string suffix;  // inserted before the extension
    bool overwrite = false;
    int jobs = 1;
    RenderOptions render;  // gains, mix, resampling, format; stopRequested is set by the runner
};

class BatchRunner {
public:
    BatchRunner(std::shared_ptr<const RecurrentModel> model, BatchSettings settings);

    // Where an item's output goes.
    std::filesystem::path outputPathFor(const BatchItem& item) const;

    // Runs every item; onFinished is called (serialised) after each. Returns results in item
    // order. Once stop is set, running renders end without output and the rest are not begun.
    std::vector<BatchResult> run(const std::vector<BatchItem>& items, const std::atomic<bool>& stop,
                                 const std::function<void(const BatchResult&)>& onFinished);

private:
    BatchResult renderOne(const BatchItem& item, const std::atomic<bool>& stop) const;

    std::shared_ptr<const RecurrentModel> model_;
    BatchSettings settings_;
};

}  // namespace gs
