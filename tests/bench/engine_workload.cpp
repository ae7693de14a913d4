// A fixed workload for callgrind: engine_workload bare|engine HIDDEN BLOCKS
// Instruction counts are repeatable where wall times on shared machines are not.

#include "engine_workload.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
    if (argc != 4 || (std::strcmp(argv[1], "bare") != 0 && std::strcmp(argv[1], "engine") != 0)) {
        std::fprintf(stderr, "usage: engine_workload bare|engine HIDDEN BLOCKS\n");
        return 2;
    }
    const int hidden = std::atoi(argv[2]);
    const long blocks = std::atol(argv[3]);
    const std::vector<float> signal = gs::bench::benchSignal(gs::bench::blockSize);
    std::vector<float> work(gs::bench::blockSize);
    float checksum = 0.0f;
    if (std::strcmp(argv[1], "bare") == 0) {
        gs::bench::BareWorkload workload(hidden);
        for (long b = 0; b < blocks; ++b) workload.processBlock(signal.data(), work.data());
    } else {
        gs::bench::EngineWorkload workload(hidden);
        for (long b = 0; b < blocks; ++b) workload.processBlock(signal.data(), work.data());
    }
    for (float v : work) checksum += v;
    std::printf("%s H=%d blocks=%ld checksum %g\n", argv[1], hidden, blocks,
                static_cast<double>(checksum));
    return 0;
}
