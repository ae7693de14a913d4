#include "batch_inputs.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>

namespace gs {
namespace fs = std::filesystem;
namespace {

bool hasAudioExtension(const fs::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const std::set<std::string> audio = {".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac",
                                                ".ogg", ".oga",  ".caf", ".w64",  ".rf64", ".au"};
    return audio.count(extension) > 0;
}

bool isInside(const fs::path& path, const fs::path& folder) {
    const fs::path p = fs::weakly_canonical(path), f = fs::weakly_canonical(folder);
    auto mismatch = std::mismatch(f.begin(), f.end(), p.begin(), p.end());
    return mismatch.first == f.end();
}

void addFolder(const fs::path& folder, const InputOptions& options, std::vector<BatchItem>& items) {
    std::error_code error;
    auto visit = [&](const fs::directory_entry& entry) {
        if (entry.is_regular_file(error) && hasAudioExtension(entry.path()))
            items.push_back({entry.path(), fs::relative(entry.path(), folder)});
    };
    if (options.recursive) {
        for (auto it = fs::recursive_directory_iterator(
                 folder, fs::directory_options::skip_permission_denied, error);
             it != fs::recursive_directory_iterator(); it.increment(error)) {
            if (options.skipFolder && it->is_directory(error) &&
                isInside(it->path(), *options.skipFolder)) {
                it.disable_recursion_pending();
                continue;
            }
            visit(*it);
        }
    } else {
        for (const auto& entry : fs::directory_iterator(folder, error)) visit(entry);
    }
    if (error)
        throw BatchUsageError(folder.string() + ": cannot list the folder: " + error.message());
}

void addPath(const fs::path& path, const fs::path& base, const InputOptions& options,
             std::vector<BatchItem>& items) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
        addFolder(path, options, items);
    } else if (fs::exists(path, error)) {
        // A file: keep its place below the manifest's folder when it has one there.
        items.push_back({path, !base.empty() && isInside(path, base) ? fs::relative(path, base)
                                                                     : path.filename()});
    } else {
        throw BatchUsageError(path.string() + ": no such file or folder");
    }
}

}  // namespace

std::vector<BatchItem> collectBatchInputs(const InputOptions& options) {
    std::vector<BatchItem> items;
    for (const auto& input : options.inputs) addPath(input, {}, options, items);
    if (options.manifest) {
        std::ifstream manifest(*options.manifest);
        if (!manifest) throw BatchUsageError(*options.manifest + ": cannot read the manifest");
        const fs::path base = fs::path(*options.manifest).parent_path();
        std::string line;
        while (std::getline(manifest, line)) {
            const auto first = line.find_first_not_of(" \t\r");
            if (first == std::string::npos || line[first] == '#') continue;
            const auto last = line.find_last_not_of(" \t\r");
            const fs::path path = line.substr(first, last - first + 1);
            addPath(path.is_absolute() ? path : base / path, base, options, items);
        }
    }
    std::sort(items.begin(), items.end(), [](const BatchItem& a, const BatchItem& b) {
        return a.relativeOutput != b.relativeOutput ? a.relativeOutput < b.relativeOutput
                                                    : a.input < b.input;
    });
    items.erase(std::unique(items.begin(), items.end(),
                            [](const BatchItem& a, const BatchItem& b) {
                                std::error_code error;
                                return fs::equivalent(a.input, b.input, error);
                            }),
                items.end());
    return items;
}

Shard parseShard(const std::string& text) {
    const auto slash = text.find('/');
    const std::string usage = "--shard takes K/N with 0 <= K < N, or auto/N; got \"" + text + "\"";
    if (slash == std::string::npos) throw BatchUsageError(usage);
    std::string indexText = text.substr(0, slash);
    const std::string countText = text.substr(slash + 1);
    if (indexText == "auto") {
        const char* fromEnvironment = std::getenv("JOB_COMPLETION_INDEX");
        if (!fromEnvironment) fromEnvironment = std::getenv("SLURM_ARRAY_TASK_ID");
        if (!fromEnvironment)
            throw BatchUsageError("--shard auto/N needs JOB_COMPLETION_INDEX or "
                                  "SLURM_ARRAY_TASK_ID in the environment");
        indexText = fromEnvironment;
    }
    auto parseWhole = [&usage](const std::string& digits) {
        if (digits.empty() || digits.size() > 9 ||
            !std::all_of(digits.begin(), digits.end(),
                         [](unsigned char c) { return std::isdigit(c); }))
            throw BatchUsageError(usage);
        return std::stoi(digits);
    };
    Shard shard{parseWhole(indexText), parseWhole(countText)};
    if (shard.count < 1 || shard.index >= shard.count) throw BatchUsageError(usage);
    return shard;
}

std::vector<BatchItem> selectShard(const std::vector<BatchItem>& items, const Shard& shard) {
    std::vector<BatchItem> selected;
    for (auto i = static_cast<std::size_t>(shard.index); i < items.size();
         i += static_cast<std::size_t>(shard.count))
        selected.push_back(items[i]);
    return selected;
}

}  // namespace gs
