// `grustream convert INPUT OUTPUT` and `grustream verify MODEL`.

#include "commands.h"
#include "exit_codes.h"
#include "model/model_error.h"
#include "model/model_loader.h"
#include "model/native_format.h"

#include <cmath>
#include <iostream>
#include <memory>

namespace gs::cli {
namespace {

namespace fs = std::filesystem;

// Agreement `verify` demands by default between the file's reference output and ours.
constexpr float defaultVerifyTolerance = 1e-4f;

struct ConvertArguments {
    std::string input, output;
};

int runConvert(const ConvertArguments& args) {
    std::shared_ptr<const RecurrentModel> model;
    try {
        model = loadModelFile(args.input);
    } catch (const ModelError& error) {
        return fail(exitBadModel, error.what());
    }
    std::error_code error;
    if (fs::exists(args.output, error) && fs::equivalent(args.input, args.output, error))
        return fail(exitUsage, args.output + ": the output would overwrite the input");
    // The native file states its rate; record when that rate was only assumed on import.
    ModelInfo info = model->info();
    info.metadata.emplace_back("converted_from", info.sourceFormat + " file " +
                                                     fs::path(args.input).filename().string());
    if (info.sampleRateAssumed)
        info.metadata.emplace_back("sample_rate_note",
                                   "assumed on import: the source file did not state it");
    try {
        const std::string text = toNativeText(*model);
        // Rewrite the metadata in the written document, leaving weights untouched.
        auto document = ModelJson::parse(text);
        ModelJson metadata = ModelJson::object();
        for (const auto& [key, value] : info.metadata) metadata[key] = value;
        document["metadata"] = metadata;
        const auto converted = loadModelText(document.dump(), args.output);
        writeNativeModel(*converted, args.output);
    } catch (const std::exception& failure) {
        return fail(exitOther, failure.what());
    }
    std::cerr << "grustream: wrote " << args.output << " (native format, from " << info.sourceFormat
              << ")\n";
    return exitOk;
}

int runVerify(const std::string& file, float verifyTolerance) {
    std::shared_ptr<const RecurrentModel> model;
    try {
        model = loadModelFile(file);
    } catch (const ModelError& error) {
        return fail(exitBadModel, error.what());
    }
    const ModelInfo& info = model->info();
    if (info.referenceInput.empty())
        return fail(exitBadModel, file + ": holds no reference input/output to verify against");
    const auto inputs = static_cast<std::size_t>(model->inputSize());
    const auto outputs = static_cast<std::size_t>(model->outputSize());
    const std::size_t frames = info.referenceInput.size() / inputs;
    ModelState state(*model);
    std::vector<float> output(outputs);
    float maxError = 0.0f;
    for (std::size_t t = 0; t < frames; ++t) {
        model->processFrame(&info.referenceInput[t * inputs], output.data(), state);
        for (std::size_t o = 0; o < outputs; ++o)
            maxError =
                std::max(maxError, std::fabs(output[o] - info.referenceOutput[t * outputs + o]));
    }
    const bool ok = maxError <= verifyTolerance;
    std::cout << file << ": " << frames << " reference frames, max abs error " << maxError << " ("
              << (ok ? "ok" : "MISMATCH") << ", tolerance " << verifyTolerance << ")\n";
    return ok ? exitOk : exitOther;
}

}  // namespace

void registerConvertCommands(CLI::App& app, int& exitCode) {
    auto convert = std::make_shared<ConvertArguments>();
    CLI::App* command = app.add_subcommand(
        "convert",
        "Write any readable model (GuitarML, RTNeural/AIDA-X, PyTorch state_dict, native) "
        "in the native format, keeping its metadata");
    command->add_option("input", convert->input, "Model file to read")->required();
    command->add_option("output", convert->output, "Native model file to write")->required();
    command->callback([convert, &exitCode] { exitCode = runConvert(*convert); });

    auto verifyFile = std::make_shared<std::string>();
    auto tolerance = std::make_shared<float>(defaultVerifyTolerance);
    CLI::App* verify = app.add_subcommand(
        "verify",
        "Replay a model's in-file reference I/O (AIDA-X input_batch/output_batch, native "
        "\"reference\") from a zero state and print the max error; exit 1 above the tolerance");
    verify->add_option("model", *verifyFile, "Model file")->required();
    verify
        ->add_option("--tolerance", *tolerance, "Largest max abs error that passes (default 1e-4)")
        ->check(CLI::PositiveNumber);
    verify->callback(
        [verifyFile, tolerance, &exitCode] { exitCode = runVerify(*verifyFile, *tolerance); });
}

}  // namespace gs::cli
