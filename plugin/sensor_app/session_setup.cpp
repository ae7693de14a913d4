#include "session_setup.h"

#include "audio_sensor_source.h"
#include "csv_replay_source.h"
#include "osc_frame_receiver.h"

#include "model/model_loader.h"

#include <GruStreamSensorData.h>

#include <stdexcept>

namespace gs::sensor {

std::shared_ptr<const RecurrentModel> loadDetectorModel(const std::string& path) {
    std::shared_ptr<const RecurrentModel> model =
        path.empty()
            ? loadModelText(std::string_view(GruStreamSensorData::default_detector_json,
                                             static_cast<std::size_t>(
                                                 GruStreamSensorData::default_detector_jsonSize)),
                            "default_detector.json")
            : loadModelFile(path);
    if (model->info().task != ModelTask::Detector)
        throw std::runtime_error((path.empty() ? std::string("the default model") : path) +
                                 " is an " + modelTaskName(model->info().task) +
                                 " model; the sensor app needs a detector (task \"detector\")");
    return model;
}

std::unique_ptr<SensorSession> makeSession(const SensorOptions& options,
                                           std::shared_ptr<const RecurrentModel> model) {
    const ModelInfo& info = model->info();
    std::unique_ptr<FrameSource> source;
    switch (options.input) {
    case InputKind::Osc:
        source = std::make_unique<OscFrameReceiver>(options.oscPort, options.oscAddress,
                                                    model->inputSize());
        break;
    case InputKind::Audio:
        source = std::make_unique<AudioSensorSource>(options.audioDevice, model->inputSize(),
                                                     info.sampleRate);
        break;
    case InputKind::Replay:
        source = std::make_unique<CsvReplaySource>(options.replayFile, info.inputNames,
                                                   info.sampleRate, options.replayFast);
        break;
    }
    auto settings = detectionSettingsFor(info, model->outputSize(), options.detection);
    return std::make_unique<SensorSession>(std::move(model), std::move(settings), std::move(source),
                                           options.output);
}

}  // namespace gs::sensor
