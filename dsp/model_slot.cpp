#include "model_slot.h"

#include <algorithm>

namespace gs {

ModelSlot::ModelSlot(std::shared_ptr<const RecurrentModel> model, double hostRate, int maxBlockSize,
                     int numChannels)
    : stream_(std::move(model), hostRate, numChannels) {
    const auto channels = static_cast<std::size_t>(numChannels);
    const auto block = static_cast<std::size_t>(std::max(maxBlockSize, 1));
    if (stream_.latencySamples() > 0)
        dryDelay_.assign(channels,
                         SampleHistory(static_cast<std::size_t>(stream_.latencySamples()) + 1));
    wet_.assign(channels, std::vector<float>(block, 0.0f));
    dry_.assign(channels, std::vector<float>(block, 0.0f));
    for (auto& channel : wet_) wetPointers_.push_back(channel.data());
}

void ModelSlot::process(const float* const* modelInput, const float* const* dryInput,
                        int numChannels, int numSamples) noexcept {
    stream_.process(modelInput, wetPointers_.data(), numChannels, numSamples);
    const auto latency = static_cast<std::size_t>(stream_.latencySamples());
    for (int c = 0; c < numChannels; ++c) {
        float* dry = dry_[static_cast<std::size_t>(c)].data();
        if (latency == 0) {
            std::copy(dryInput[c], dryInput[c] + numSamples, dry);
            continue;
        }
        SampleHistory& delay = dryDelay_[static_cast<std::size_t>(c)];
        for (int i = 0; i < numSamples; ++i) {
            delay.push(dryInput[c][i]);
            dry[i] = delay.at(latency);
        }
    }
}

void ModelSlot::resetChannel(int channel) noexcept {
    stream_.resetChannel(channel);
    if (!dryDelay_.empty()) dryDelay_[static_cast<std::size_t>(channel)].clear();
}

std::size_t ModelSlot::bytesPerChannel() const noexcept {
    std::size_t bytes =
        stream_.bytesPerChannel() + (wet_[0].size() + dry_[0].size()) * sizeof(float);
    if (!dryDelay_.empty()) bytes += dryDelay_[0].bytes();
    return bytes;
}

}  // namespace gs
