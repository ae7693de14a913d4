#pragma once
// Running the `grustream` binary from tests.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gs::test {

struct RunResult {
    int exitCode;
    std::string output;  // stdout and stderr together
};

// A shell command line, its stdout and stderr captured together.
inline RunResult runShell(const std::string& commandLine) {
    namespace fs = std::filesystem;
    static int counter = 0;
    const fs::path log = fs::temp_directory_path() / ("gs_cli_" + std::to_string(::getpid()) + "_" +
                                                      std::to_string(counter++) + ".log");
    const std::string command = "{ " + commandLine + "; } > " + log.string() + " 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream stream(log);
    std::stringstream text;
    text << stream.rdbuf();
    fs::remove(log);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

inline RunResult runGrustream(const std::string& arguments) {
    return runShell(std::string(GS_GRUSTREAM_BIN) + " " + arguments);
}

// TEXT as one shell word, whatever it holds (single quotes included).
inline std::string shellArg(const std::string& text) {
    std::string arg(1, '\'');  // appended piecewise: GCC 12 warns falsely on "'" + string
    for (const char c : text) {
        if (c == '\'')
            arg += "'\\''";
        else
            arg += c;
    }
    arg += '\'';
    return arg;
}

inline std::string shellArg(const std::filesystem::path& path) { return shellArg(path.string()); }

inline std::string fileBytes(const std::filesystem::path& path) {
    std::ifstream stream(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

}  // namespace gs::test
