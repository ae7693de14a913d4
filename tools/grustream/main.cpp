// grustream: render audio through GRU models and inspect model files.

#include "commands.h"
#include "exit_codes.h"

#include <iostream>

namespace gs::cli {

int fail(int code, const std::string& message) {
    std::cerr << "grustream: " << message << '\n';
    return code;
}

} // namespace gs::cli

int main(int argc, char** argv) {
    using namespace gs::cli;
    CLI::App app{"GruStream: stateful GRU models for audio and sensor streams"};
    app.require_subcommand(1);
    int exitCode = exitOk;
    registerRenderCommand(app, exitCode);
    registerInfoCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // Help and version requests print and succeed; every other parse error is a usage error.
        const int code = app.exit(error);
        return code == 0 ? exitOk : exitUsage;
    }
    return exitCode;
}
