#pragma once
// The built GruStreamSensor run headless as a child process, its stdout and stderr in a file.

#include "integration/cli_helpers.h"

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace gs::test {

// The app in headless mode, its stdout in a file.
class HeadlessApp {
public:
    explicit HeadlessApp(std::vector<std::string> arguments) {
        namespace fs = std::filesystem;
        log_ = fs::temp_directory_path() / ("gs_sensor_" + std::to_string(::getpid()) + "_" +
                                            std::to_string(counter_++) + ".log");
        arguments.insert(arguments.begin(), {GS_SENSOR_APP_BIN, "--headless"});
        std::vector<char*> argv;
        argv.reserve(arguments.size() + 1);
        for (auto& a : arguments) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        if (posix_spawn(&pid_, GS_SENSOR_APP_BIN, &actions, nullptr, argv.data(), environ) != 0)
            pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~HeadlessApp() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        std::filesystem::remove(log_);
    }

    // The OSC port from the "ready" line; -1 if the app did not get ready in time.
    int waitForPort() const {
        const std::regex ready("ready source=\"OSC .* on UDP port ([0-9]+)\"");
        for (int i = 0; i < 1000; ++i) {
            std::smatch match;
            const std::string text = output();
            if (std::regex_search(text, match, ready)) return std::stoi(match[1]);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return -1;
    }

    // SIGTERM, then the exit code.
    int stop() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    std::string output() const { return fileBytes(log_); }

    // A number from the final "stats" line.
    long long stat(const std::string& name) const {
        const std::regex pattern(name + "=([0-9.e+-]+)");
        std::smatch match;
        const std::string text = output();
        return std::regex_search(text, match, pattern) ? std::stoll(match[1]) : -1;
    }

private:
    static inline int counter_ = 0;
    pid_t pid_ = -1;
    std::filesystem::path log_;
};

}  // namespace gs::test
