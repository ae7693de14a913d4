// Any bytes as a UDP packet: the frame decoder (for 1 and 6 values per frame) and the general
// message decoder must never read outside the packet or crash.

#include "tools/sensor_io/osc_codec.h"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // An exact-size copy, so reading past the end is caught by AddressSanitizer.
    const std::vector<std::uint8_t> packet(data, data + size);
    float frames[6 * 8];
    for (const int values : {1, 6})
        gs::decodeOscFrames(packet.data(), packet.size(), "/wek/inputs", values, frames,
                            48 / values);
    gs::decodeOscMessages(packet.data(), packet.size());
    return 0;
}
