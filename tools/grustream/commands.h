#pragma once
// Each `grustream` sub-command registers itself on the app; its callback stores the exit code.

#include "render_file.h"

#include <CLI/CLI.hpp>

#include <string>

namespace gs::cli {

void registerRenderCommand(CLI::App& app, int& exitCode);
void registerInfoCommand(CLI::App& app, int& exitCode);
void registerBatchCommand(CLI::App& app, int& exitCode);
void registerConvertCommands(CLI::App& app, int& exitCode);  // convert, verify
void registerDetectCommand(CLI::App& app, int& exitCode);

// The engine options render and batch share: --block-size, --input-gain, --output-gain, --mix,
// --no-resample.
void addEngineOptions(CLI::App& command, RenderOptions& options, bool& noResample);

// Prints "grustream: <message>" to stderr and returns code.
int fail(int code, const std::string& message);

}  // namespace gs::cli
