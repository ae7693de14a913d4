#pragma once
// The documented exit codes of `grustream` (README, "Command line").

namespace gs::cli {

enum ExitCode : int {
    exitOk = 0,
    exitOther = 1,     // anything not below: I/O failure writing the output, internal error
    exitUsage = 2,     // bad flags or arguments, output that would overwrite the input
    exitBadModel = 3,  // the model file is missing, malformed, or unusable for the command
    exitBadAudio = 4,  // the audio file is missing, unreadable, empty, or unusable with the model
    exitInterrupted = 130,  // batch stopped by SIGINT/SIGTERM; only complete outputs were kept
};

}  // namespace gs::cli
