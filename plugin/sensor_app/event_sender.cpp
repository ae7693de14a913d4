#include "event_sender.h"

#include "tools/sensor_io/osc_codec.h"

#include <cmath>
#include <stdexcept>

namespace gs::sensor {
namespace {

std::unique_ptr<juce::MidiOutput> openMidi(const EventSenderConfig& config) {
    if (!config.midiVirtual.empty()) {
        auto output = juce::MidiOutput::createNewDevice(config.midiVirtual);
        if (!output)
            throw std::runtime_error("cannot create the virtual MIDI output \"" +
                                     config.midiVirtual + "\"");
        return output;
    }
    if (config.midiOutput.empty()) return nullptr;
    std::string available;
    for (const auto& device : juce::MidiOutput::getAvailableDevices()) {
        if (device.name.containsIgnoreCase(juce::String(config.midiOutput)))
            if (auto output = juce::MidiOutput::openDevice(device.identifier)) return output;
        available += (available.empty() ? "" : ", ") + device.name.toStdString();
    }
    throw std::runtime_error("no MIDI output matches \"" + config.midiOutput + "\"; there are: " +
                             (available.empty() ? std::string("none") : available));
}

}  // namespace

EventSender::EventSender(EventSenderConfig config, std::vector<std::string> classNames,
                         double frameRate)
    : config_(std::move(config)), classNames_(std::move(classNames)), frameRate_(frameRate),
      sounding_(classNames_.size(), false) {
    if (config_.midiChannel < 1 || config_.midiChannel > 16)
        throw std::runtime_error("the MIDI channel must be 1 to 16");
    if (config_.midiBaseNote < 0 ||
        config_.midiBaseNote + static_cast<int>(classNames_.size()) > 128)
        throw std::runtime_error("the MIDI base note leaves no room for one note per class");
    midi_ = openMidi(config_);
}

EventSender::~EventSender() { allNotesOff(); }

void EventSender::sendPacket(const std::vector<std::uint8_t>& packet) {
    if (config_.port <= 0) return;
    if (socket_.write(juce::String(config_.host), config_.port, packet.data(),
                      static_cast<int>(packet.size())) != static_cast<int>(packet.size()))
        sendFailures_.fetch_add(1, std::memory_order_relaxed);
}

void EventSender::sendEvent(const DetectionEvent& event) {
    const auto c = static_cast<std::size_t>(event.classIndex);
    const std::string& name = classNames_[c];
    const auto velocity = static_cast<juce::uint8>(
        std::clamp(std::lround(1.0f + 126.0f * event.peakProbability), 1L, 127L));
    const int note = config_.midiBaseNote + event.classIndex;
    if (event.edge == DetectionEdge::Onset) {
        sendPacket(
            OscMessageWriter("/grustream/event")
                .addString(name)
                .addFloat(event.peakProbability)
                .addInt(static_cast<std::int32_t>(event.onsetFrame))
                .addFloat(static_cast<float>(static_cast<double>(event.onsetFrame) / frameRate_))
                .bytes());
        if (midi_)
            midi_->sendMessageNow(juce::MidiMessage::noteOn(config_.midiChannel, note, velocity));
        sounding_[c] = true;
    } else {
        sendPacket(OscMessageWriter("/grustream/event_end")
                       .addString(name)
                       .addFloat(event.peakProbability)
                       .addInt(static_cast<std::int32_t>(event.onsetFrame))
                       .addInt(static_cast<std::int32_t>(event.offsetFrame))
                       .bytes());
        if (midi_) midi_->sendMessageNow(juce::MidiMessage::noteOff(config_.midiChannel, note));
        sounding_[c] = false;
    }
}

void EventSender::sendProbabilities(std::int64_t frame, const float* scores) {
    OscMessageWriter message("/grustream/probabilities");
    message.addInt(static_cast<std::int32_t>(frame));
    for (std::size_t c = 0; c < classNames_.size(); ++c) message.addFloat(scores[c]);
    sendPacket(message.bytes());
}

void EventSender::allNotesOff() {
    for (std::size_t c = 0; c < sounding_.size(); ++c) {
        if (sounding_[c] && midi_)
            midi_->sendMessageNow(juce::MidiMessage::noteOff(
                config_.midiChannel, config_.midiBaseNote + static_cast<int>(c)));
        sounding_[c] = false;
    }
}

std::string EventSender::description() const {
    std::string text = config_.port > 0
                           ? "OSC to " + config_.host + ":" + std::to_string(config_.port)
                           : "no OSC output";
    if (midi_) text += ", MIDI to " + midi_->getName().toStdString();
    return text;
}

}  // namespace gs::sensor
