#pragma once
// Turning SensorOptions into a running SensorSession: the model (a file or the bundled
// default detector), its detection settings, the frame source. Shared by the window and
// the headless mode.

#include "sensor_options.h"
#include "sensor_session.h"

#include <memory>

namespace gs::sensor {

// Empty path: the bundled default detector. Throws ModelError, or std::runtime_error when
// the model is not a detector.
std::shared_ptr<const RecurrentModel> loadDetectorModel(const std::string& path);

// Throws std::invalid_argument / std::runtime_error with a message for the user.
std::unique_ptr<SensorSession> makeSession(const SensorOptions& options,
                                           std::shared_ptr<const RecurrentModel> model);

}  // namespace gs::sensor
