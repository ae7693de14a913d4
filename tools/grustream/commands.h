#pragma once
// Each `grustream` sub-command registers itself on the app; its callback stores the exit code.

#include <CLI/CLI.hpp>

#include <string>

namespace gs::cli {

void registerRenderCommand(CLI::App& app, int& exitCode);
void registerInfoCommand(CLI::App& app, int& exitCode);

// Prints "grustream: <message>" to stderr and returns code.
int fail(int code, const std::string& message);

} // namespace gs::cli
