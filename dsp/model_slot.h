#pragma once
// One model made ready for the engine's current stream configuration: the model running at
// its own rate (resampled if need be), a dry path delayed by the same latency so dry and
// wet stay aligned for the mix, and the block buffers. Built off the audio thread, handed to
// it whole, and destroyed off it.

#include "resampling_model_stream.h"

#include <memory>
#include <vector>

namespace gs {

class ModelSlot {
public:
    // Allocates everything process() needs for blocks of up to maxBlockSize.
    ModelSlot(std::shared_ptr<const RecurrentModel> model, double hostRate, int maxBlockSize,
              int numChannels);

    // audio thread: wet(c) = model(modelInput[c]), dry(c) = dryInput[c], both delayed by
    // latencySamples(). numSamples <= maxBlockSize.
    void process(const float* const* modelInput, const float* const* dryInput, int numChannels,
                 int numSamples) noexcept;
    const float* wet(int channel) const noexcept {
        return wet_[static_cast<std::size_t>(channel)].data();
    }
    const float* dry(int channel) const noexcept {
        return dry_[static_cast<std::size_t>(channel)].data();
    }

    // audio thread: clears the channel's model state, resampler and delay histories.
    void resetChannel(int channel) noexcept;
    bool channelStateFinite(int channel) const noexcept {
        return stream_.channelStateFinite(channel);
    }

    int latencySamples() const noexcept { return stream_.latencySamples(); }
    bool isResampling() const noexcept { return stream_.isResampling(); }
    std::size_t bytesPerChannel() const noexcept;
    const RecurrentModel& model() const noexcept { return stream_.model(); }

private:
    ResamplingModelStream stream_;
    std::vector<SampleHistory> dryDelay_;  // per channel, empty when latency is 0
    std::vector<std::vector<float>> wet_;
    std::vector<std::vector<float>> dry_;
    std::vector<float*> wetPointers_;
};

}  // namespace gs
