#include "resampling_kernel.h"

#include "windowed_sinc.h"

namespace gs {
ResamplingKernel::ResamplingKernel() {
    const int points = 2 * zeroCrossings * pointsPerCrossing + 1;
    table_.resize(static_cast<std::size_t>(points));
    for (int i = 0; i < points; ++i) {
        const double u = static_cast<double>(i) / pointsPerCrossing - zeroCrossings;
        table_[static_cast<std::size_t>(i)] =
            static_cast<float>(kaiserWindowedSinc(u, zeroCrossings, kaiserBeta));
    }
}

const ResamplingKernel& ResamplingKernel::instance() {
    static const ResamplingKernel kernel;
    return kernel;
}

}  // namespace gs
