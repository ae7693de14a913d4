#pragma once
// A detector stream: one frame of sensor values in, one frame of class scores and any
// detection events out. Owns the model's hidden state, the post-processing and the frame
// count, so the command line and the sensor app run exactly the same pipeline.
//
// Threads: prepare() allocates (not concurrently with the rest); processFrame(), finish(),
// reset() and postProcessor() belong to the one detection thread and never allocate.

#include "detection_post_processor.h"
#include "model/recurrent_model.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace gs {

class FrameDetector {
public:
    // Throws std::invalid_argument when settings has not one entry per model output or a
    // setting is unusable.
    void prepare(std::shared_ptr<const RecurrentModel> model,
                 const std::vector<ClassDetectionSettings>& settings);

    int numInputs() const noexcept { return model_->inputSize(); }
    int numClasses() const noexcept { return model_->outputSize(); }
    double frameRate() const noexcept { return model_->info().sampleRate; }
    const RecurrentModel& model() const noexcept { return *model_; }

    // realtime: runs one frame of numInputs() values (a non-finite value counts as 0 and is
    // counted). Writes at most numClasses() events; returns how many.
    int processFrame(const float* values, DetectionEvent* events) noexcept;

    // realtime: Offset events for detections still running at the end of a stream.
    int finish(DetectionEvent* events) noexcept;

    // realtime: zero state, frame count 0, no detections.
    void reset() noexcept;

    const float* scores() const noexcept { return scores_.data(); }  // of the last frame
    std::int64_t framesProcessed() const noexcept { return frame_; }
    std::int64_t nonFiniteValues() const noexcept { return nonFiniteValues_; }
    DetectionPostProcessor& postProcessor() noexcept { return post_; }
    const DetectionPostProcessor& postProcessor() const noexcept { return post_; }

private:
    std::shared_ptr<const RecurrentModel> model_;
    std::optional<ModelState> state_;
    std::vector<float> input_;
    std::vector<float> scores_;
    DetectionPostProcessor post_;
    std::int64_t frame_ = 0;
    std::int64_t nonFiniteValues_ = 0;
};

}  // namespace gs
