#include "frame_detector.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace gs {

void FrameDetector::prepare(std::shared_ptr<const RecurrentModel> model,
                            const std::vector<ClassDetectionSettings>& settings) {
    if (!model) throw std::invalid_argument("no detector model");
    if (static_cast<int>(settings.size()) != model->outputSize())
        throw std::invalid_argument("detection settings for " + std::to_string(settings.size()) +
                                    " classes, but the model has " +
                                    std::to_string(model->outputSize()) + " outputs");
    DetectionPostProcessor post;
    post.prepare(settings);
    state_.emplace(*model);
    input_.assign(static_cast<std::size_t>(model->inputSize()), 0.0f);
    scores_.assign(static_cast<std::size_t>(model->outputSize()), 0.0f);
    post_ = std::move(post);
    model_ = std::move(model);
    frame_ = 0;
    nonFiniteValues_ = 0;
}

int FrameDetector::processFrame(const float* values, DetectionEvent* events) noexcept {
    for (std::size_t i = 0; i < input_.size(); ++i) {
        const bool finite = std::isfinite(values[i]);
        nonFiniteValues_ += finite ? 0 : 1;
        input_[i] = finite ? values[i] : 0.0f;
    }
    model_->processFrame(input_.data(), scores_.data(), *state_);
    // Huge inputs can still overflow the state; start over rather than emit NaN forever.
    if (!state_->isFinite()) state_->reset();
    const int count = post_.process(frame_, scores_.data(), events);
    ++frame_;
    return count;
}

int FrameDetector::finish(DetectionEvent* events) noexcept { return post_.finish(frame_, events); }

void FrameDetector::reset() noexcept {
    state_->reset();
    post_.reset();
    std::fill(scores_.begin(), scores_.end(), 0.0f);
    frame_ = 0;
}

}  // namespace gs
