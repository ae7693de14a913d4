#pragma once
// Open Sound Control 1.0 over UDP: reading sensor frames out of packets, and writing the
// messages GruStream sends. A frame is a message at one address whose arguments are all
// numbers (f, i, d or h type tags), one per model input: the Wekinator convention is
// address "/wek/inputs" with N floats. Bundles are opened (nested up to 8 deep).
//
// decodeOscFrames() never allocates and never reads outside the packet: it is safe on any
// bytes from the network (fuzzed in tests/fuzz).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

struct OscFrameCounts {
    int frames = 0;          // frames written
    int otherAddress = 0;    // well-formed messages for another address: ignored
    int wrongCount = 0;      // right address, wrong number of arguments: dropped
    int wrongTypes = 0;      // right address, a non-numeric argument: dropped
    int overflow = 0;        // frames beyond maxFrames in one packet: dropped
    bool malformed = false;  // the packet (or part of it) is not valid OSC: the rest dropped

    int dropped() const noexcept {
        return wrongCount + wrongTypes + overflow + (malformed ? 1 : 0);
    }
};

// Writes up to maxFrames frames of `valuesPerFrame` floats each to `frames` (frame-major).
OscFrameCounts decodeOscFrames(const std::uint8_t* packet, std::size_t size,
                               std::string_view address, int valuesPerFrame, float* frames,
                               int maxFrames) noexcept;

// Builds one OSC message. Not real-time (it allocates), cheap enough for a sender thread.
class OscMessageWriter {
public:
    explicit OscMessageWriter(std::string_view address);
    OscMessageWriter& addFloat(float value);
    OscMessageWriter& addInt(std::int32_t value);
    OscMessageWriter& addString(std::string_view value);
    // The packet bytes: address, type tags, arguments.
    std::vector<std::uint8_t> bytes() const;

private:
    std::string address_;
    std::string tags_ = ",";
    std::vector<std::uint8_t> arguments_;
};

// A decoded message of any kind, for tests and tools that read what GruStream sends.
struct OscArgument {
    char tag = 0;  // 'f', 'i', 's', 'd', 'h'
    double number = 0.0;
    std::string text;
};
struct OscMessage {
    std::string address;
    std::vector<OscArgument> arguments;
};
// Messages of a packet (bundles opened); empty when the packet is malformed.
std::vector<OscMessage> decodeOscMessages(const std::uint8_t* packet, std::size_t size);

}  // namespace gs
