#pragma once
// Sends what the detector found: OSC to host:port and MIDI notes on a chosen output.
//
//   /grustream/event         s class, f probability, i onset frame, f onset seconds   (onset)
//   /grustream/event_end     s class, f peak probability, i onset frame, i offset frame (offset)
//   /grustream/probabilities i frame, f score per class                              (optional)
//
// MIDI: note (base + class index), velocity from the probability, on at the onset, off at
// the offset. Sender thread only.

#include "sensor_frames.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace gs::sensor {

struct EventSenderConfig {
    std::string host = "127.0.0.1";
    int port = 12000;  // 0: no OSC output
    bool sendProbabilities = false;
    std::string midiOutput;   // a device name (or part of one); empty: no MIDI
    std::string midiVirtual;  // create a virtual MIDI output of this name (Linux, macOS)
    int midiChannel = 1;      // 1-16
    int midiBaseNote = 60;    // class 0 plays this note
};

class EventSender {
public:
    // Throws std::runtime_error when the MIDI output is not found (naming the ones there are)
    // or the OSC socket cannot be made.
    EventSender(EventSenderConfig config, std::vector<std::string> classNames, double frameRate);
    ~EventSender();

    void sendEvent(const DetectionEvent& event);
    void sendProbabilities(std::int64_t frame, const float* scores);
    // Note offs for every sounding note (when the session stops).
    void allNotesOff();

    std::string description() const;
    bool sendsProbabilities() const noexcept {
        return config_.sendProbabilities && config_.port > 0;
    }
    std::int64_t sendFailures() const noexcept {
        return sendFailures_.load(std::memory_order_relaxed);
    }

private:
    void sendPacket(const std::vector<std::uint8_t>& packet);

    EventSenderConfig config_;
    std::vector<std::string> classNames_;
    double frameRate_;
    juce::DatagramSocket socket_{false};
    std::unique_ptr<juce::MidiOutput> midi_;
    std::vector<bool> sounding_;
    std::atomic<std::int64_t> sendFailures_{0};  // read by the UI thread
};

}  // namespace gs::sensor
