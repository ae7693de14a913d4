// Any bytes as a frame CSV for a 6-input model: the reader must end every fault in
// FrameCsvError, never crash.

#include "tools/sensor_io/frame_csv.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/gs_fuzz_frames_" + std::to_string(::getpid()) + ".csv";
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    try {
        gs::FrameCsvReader reader(path, {"ax", "ay", "az", "gx", "gy", "gz"});
        float frame[6];
        for (int frames = 0; frames < 100000 && reader.next(frame); ++frames) {}
    } catch (const gs::FrameCsvError&) {}
    return 0;
}
