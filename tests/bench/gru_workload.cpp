// A fixed GRU workload for instruction counting under callgrind (tools/bench/gru_instructions.sh):
//   gru_workload kernel|silence|eigen|loops HIDDEN SAMPLES
// GRU(1->H) + Dense(H->1), one sample at a time. "silence" feeds digital silence to the
// bundled default effect (GRU 40; HIDDEN is ignored): the idle skip of dsp/model_stream.h.
// Random weights are not used there because at these sizes they make self-oscillating
// networks, which are never idle.

#include "engine_workload.h"
#include "gru_baselines.h"

#include "dsp/model_stream.h"
#include "model/model_loader.h"
#include "test_models.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: gru_workload kernel|silence|eigen|loops HIDDEN SAMPLES\n");
        return 2;
    }
    const int hidden = std::atoi(argv[2]);
    const long samples = std::atol(argv[3]);
    const bool silence = std::strcmp(argv[1], "silence") == 0;
    const std::shared_ptr<const gs::RecurrentModel> model =
        silence ? gs::loadModelFile(GS_SOURCE_DIR "/resources/models/default_effect.json")
                : gs::test::randomModel(7, 1, hidden, 1, 1, 0);
    const std::vector<float> signal = gs::bench::benchSignal(4096);
    float checksum = 0.0f;
    if (std::strcmp(argv[1], "kernel") == 0 || silence) {
        gs::ModelStream stream;
        stream.prepare(model, 1);
        for (long i = 0; i < samples; ++i)
            checksum += stream.processSample(
                0, silence ? 0.0f : signal[static_cast<std::size_t>(i & 4095)]);
    } else {
        gs::bench::BaselineRunner runner(*model, std::strcmp(argv[1], "eigen") == 0
                                                     ? gs::bench::Baseline::DynamicEigen
                                                     : gs::bench::Baseline::PlainLoops);
        for (long i = 0; i < samples; ++i)
            checksum += runner.processSample(signal[static_cast<std::size_t>(i & 4095)]);
    }
    std::printf("%s H=%d samples=%ld checksum %g\n", argv[1], hidden, samples,
                static_cast<double>(checksum));
    return 0;
}
