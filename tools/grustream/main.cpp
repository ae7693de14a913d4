// grustream: render audio through GRU models and inspect model files.

#include "commands.h"
#include "exit_codes.h"

#include <iostream>

namespace gs::cli {

int fail(int code, const std::string& message) {
    std::cerr << "grustream: " << message << '\n';
    return code;
}

void addEngineOptions(CLI::App& command, RenderOptions& options, bool& noResample) {
    command
        .add_option("--block-size", options.blockSize,
                    "Frames processed per block (the output does not depend on it)")
        ->check(CLI::Range(1, 1 << 20));
    command.add_option("--input-gain", options.inputGainDb, "Input gain in dB, -60 to 24")
        ->check(CLI::Range(-60.0f, 24.0f));
    command.add_option("--output-gain", options.outputGainDb, "Output gain in dB, -60 to 24")
        ->check(CLI::Range(-60.0f, 24.0f));
    command.add_option("--mix", options.mix, "Dry/wet mix, 0 (dry) to 1 (wet)")
        ->check(CLI::Range(0.0f, 1.0f));
    command.add_flag("--no-resample", noResample,
                     "Fail when a file's rate differs from the model's instead of resampling");
}

}  // namespace gs::cli

int main(int argc, char** argv) {
    using namespace gs::cli;
    // The commands report their own errors; what escapes them (out of memory, a bug) still
    // ends with a message and exitOther rather than std::terminate.
    try {
        CLI::App app{"GruStream: stateful GRU models for audio and sensor streams"};
        app.require_subcommand(1);
        int exitCode = exitOk;
        registerRenderCommand(app, exitCode);
        registerInfoCommand(app, exitCode);
        registerBatchCommand(app, exitCode);
        registerConvertCommands(app, exitCode);
        registerDetectCommand(app, exitCode);
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& error) {
            // Help and version requests print and succeed; every other parse error is a usage
            // error.
            const int code = app.exit(error);
            return code == 0 ? exitOk : exitUsage;
        }
        return exitCode;
    } catch (const std::exception& error) {
        return fail(exitOther, std::string("internal error: ") + error.what());
    }
}
