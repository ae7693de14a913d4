#pragma once
// Turns `grustream batch` inputs (files, folders, a manifest) into a sorted list of jobs, each
// an input file and the path its output takes below --out, and selects one shard of it.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs {

// A batch invocation that cannot start: a missing input, a bad --shard, an unsafe --out.
class BatchUsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct BatchItem {
    std::filesystem::path input;
    std::filesystem::path relativeOutput;  // below --out; extension and suffix not yet applied
};

struct InputOptions {
    std::vector<std::string> inputs;      // files and folders
    std::optional<std::string> manifest;  // one path per line; '#' comments, blank lines ignored
    bool recursive = false;
    std::optional<std::filesystem::path> skipFolder;  // never scanned (the output folder)
};

// Folders contribute files with audio extensions (.wav .aif .aiff .flac .ogg ...); files named
// directly are always taken. Sorted by relative output, then input; the same input named
// twice counts once. Throws BatchUsageError for a path that does not exist or a manifest that
// cannot be read.
std::vector<BatchItem> collectBatchInputs(const InputOptions& options);

// A deterministic 1/count slice of a sorted list: items i with i % count == index.
struct Shard {
    int index = 0;
    int count = 1;
};

// "K/N" with 0 <= K < N, or "auto/N" taking K from JOB_COMPLETION_INDEX (Kubernetes Indexed
// Jobs) or SLURM_ARRAY_TASK_ID (Slurm arrays). Throws BatchUsageError.
Shard parseShard(const std::string& text);
std::vector<BatchItem> selectShard(const std::vector<BatchItem>& items, const Shard& shard);

}  // namespace gs
