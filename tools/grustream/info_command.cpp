// `grustream info MODEL [--json]`

#include "commands.h"
#include "exit_codes.h"
#include "model/model_error.h"
#include "model/model_loader.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <sstream>

namespace gs::cli {
namespace {

struct InfoArguments {
    std::string model;
    bool json = false;
};

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

nlohmann::ordered_json describeModel(const RecurrentModel& model, const std::string& file) {
    const ModelInfo& info = model.info();
    nlohmann::ordered_json out;
    out["file"] = file;
    out["task"] = modelTaskName(info.task);
    out["format"] = info.sourceFormat;
    out["sample_rate"] = info.sampleRate;
    out["sample_rate_assumed"] = info.sampleRateAssumed;
    out["inputs"] = info.inputNames;
    out["outputs"] = info.outputNames;
    out["skip"] = model.skip();
    out["parameters"] = model.parameterCount();
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const auto& layer : model.layers())
        layers.push_back({{"type", layer->typeName()},
                          {"input_size", layer->inputSize()},
                          {"hidden_size", layer->hiddenSize()}});
    layers.push_back({{"type", "dense"},
                      {"input_size", model.head().inputSize()},
                      {"output_size", model.head().outputSize()},
                      {"activation", activationName(model.head().activation())}});
    out["layers"] = layers;
    nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
    for (const auto& [key, value] : info.metadata) metadata[key] = value;
    out["metadata"] = metadata;
    return out;
}

std::string referenceText(const RecurrentModel& model) {
    const auto& reference = model.info().referenceInput;
    if (reference.empty()) return "none";
    return std::to_string(reference.size() / static_cast<std::size_t>(model.inputSize())) +
           " frames of reference I/O (check with grustream verify)";
}

void printText(const RecurrentModel& model, const std::string& file) {
    const ModelInfo& info = model.info();
    std::ostringstream layers;
    for (const auto& layer : model.layers())
        layers << layer->typeName() << " " << layer->inputSize() << "->" << layer->hiddenSize()
               << ", ";
    layers << "dense " << model.head().inputSize() << "->" << model.head().outputSize() << " ("
           << activationName(model.head().activation()) << ")";
    std::cout << "file:        " << file << '\n'
              << "name:        " << info.metadataValue("name", "(unnamed)") << '\n'
              << "task:        " << modelTaskName(info.task) << '\n'
              << "format:      " << info.sourceFormat << '\n'
              << "sample rate: " << info.sampleRate << " Hz"
              << (info.sampleRateAssumed
                      ? " (assumed: the file does not say; the format's usual rate)"
                      : "")
              << '\n'
              << "reference:   " << referenceText(model) << '\n'
              << "inputs:      " << model.inputSize() << " (" << joined(info.inputNames) << ")\n"
              << "outputs:     " << model.outputSize() << " (" << joined(info.outputNames) << ")\n"
              << "layers:      " << layers.str() << '\n'
              << "skip:        " << model.skip() << '\n'
              << "parameters:  " << model.parameterCount() << '\n';
    for (const auto& [key, value] : info.metadata)
        if (key != "name") std::cout << key << ": " << value << '\n';
}

int runInfo(const InfoArguments& args) {
    try {
        const auto model = loadModelFile(args.model);
        if (args.json)
            std::cout << describeModel(*model, args.model).dump(2) << '\n';
        else
            printText(*model, args.model);
        return exitOk;
    } catch (const ModelError& error) {
        return fail(exitBadModel, error.what());
    }
}

}  // namespace

void registerInfoCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<InfoArguments>();
    CLI::App* command = app.add_subcommand("info", "Describe a model: architecture, sizes, "
                                                   "parameter count, sample rate, task, metadata");
    command->add_option("model", args->model, "Model file")->required();
    command->add_flag("--json", args->json, "Print the description as JSON");
    command->callback([args, &exitCode] { exitCode = runInfo(*args); });
}

}  // namespace gs::cli
