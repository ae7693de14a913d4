// `grustream render MODEL INPUT OUTPUT [--block-size N]`

#include "audio_file.h"
#include "commands.h"
#include "exit_codes.h"
#include "model/model_error.h"
#include "model/model_loader.h"
#include "render_file.h"

#include <cmath>
#include <iostream>
#include <memory>

namespace gs::cli {
namespace {

struct RenderArguments {
    std::string model;
    std::string input;
    std::string output;
    RenderOptions options;
    bool noResample = false;
};

int runRender(const RenderArguments& args) {
    std::shared_ptr<const RecurrentModel> model;
    try {
        model = loadModelFile(args.model);
    } catch (const ModelError& error) {
        return fail(exitBadModel, error.what());
    }
    try {
        RenderOptions options = args.options;
        options.allowResampling = !args.noResample;
        const RenderResult result = renderFile(model, args.input, args.output, options);
        const double audioSeconds = static_cast<double>(result.frames) / result.sampleRate;
        std::cerr << "grustream: wrote " << args.output << " (" << result.frames << " frames, "
                  << result.channels << " channels, " << result.sampleRate << " Hz, "
                  << audioSeconds / std::max(result.seconds, 1e-9) << "x real time"
                  << (result.resampled ? ", resampled to the model's " +
                                             std::to_string(std::lround(model->info().sampleRate)) +
                                             " Hz and back"
                                       : std::string())
                  << ")\n";
        return exitOk;
    } catch (const ModelUnsuitableError& error) {
        return fail(exitBadModel, args.model + ": " + error.what());
    } catch (const OutputPathError& error) {
        return fail(exitUsage, error.what());
    } catch (const AudioFileError& error) {
        return fail(exitBadAudio, error.what());
    } catch (const std::exception& error) {
        return fail(exitOther, error.what());
    }
}

}  // namespace

void registerRenderCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<RenderArguments>();
    CLI::App* command = app.add_subcommand(
        "render", "Render an audio file (WAV, AIFF, FLAC, ...) through an effect model into a "
                  "32-bit float WAV; each channel keeps its own state");
    command->add_option("model", args->model, "Model file")->required();
    command->add_option("input", args->input, "Input audio file")->required();
    command->add_option("output", args->output, "Output WAV file")->required();
    addEngineOptions(*command, args->options, args->noResample);
    command->callback([args, &exitCode] { exitCode = runRender(*args); });
}

}  // namespace gs::cli
