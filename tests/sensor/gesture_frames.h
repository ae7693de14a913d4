#pragma once
// The scripted gesture recording (resources/demo/demo_gestures.csv) and the detections the
// command-line pipeline finds in it: what every sensor-app test compares against.

#include "dsp/frame_detector.h"
#include "model/model_loader.h"
#include "tools/sensor_io/frame_csv.h"

#include <string>
#include <vector>

namespace gs::test {

inline const std::string demoGestures =
    std::string(GS_SOURCE_DIR) + "/resources/demo/demo_gestures.csv";
inline const std::string defaultDetector =
    std::string(GS_SOURCE_DIR) + "/resources/models/default_detector.json";

// Frame-major values of the model's inputs.
inline std::vector<std::vector<float>> readGestureFrames(const RecurrentModel& model) {
    FrameCsvReader reader(demoGestures, model.info().inputNames);
    std::vector<std::vector<float>> frames;
    std::vector<float> frame(static_cast<std::size_t>(model.inputSize()));
    while (reader.next(frame.data())) frames.push_back(frame);
    return frames;
}

// Every event FrameDetector emits over the frames, with the model's default settings.
inline std::vector<DetectionEvent>
referenceEvents(const std::shared_ptr<const RecurrentModel>& model,
                const std::vector<std::vector<float>>& frames) {
    FrameDetector detector;
    detector.prepare(model, detectionSettingsFor(model->info(), model->outputSize()));
    std::vector<DetectionEvent> all, events(static_cast<std::size_t>(model->outputSize()));
    for (const auto& frame : frames) {
        const int n = detector.processFrame(frame.data(), events.data());
        all.insert(all.end(), events.begin(), events.begin() + n);
    }
    const int n = detector.finish(events.data());
    all.insert(all.end(), events.begin(), events.begin() + n);
    return all;
}

}  // namespace gs::test
