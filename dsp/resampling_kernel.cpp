#include "resampling_kernel.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gs {
namespace {

// Modified Bessel function of the first kind, order 0, by its power series.
double besselI0(double x) {
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 50; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < sum * 1e-17) break;
    }
    return sum;
}

} // namespace

ResamplingKernel::ResamplingKernel() {
    const int points = 2 * zeroCrossings * pointsPerCrossing + 1;
    table_.resize(static_cast<std::size_t>(points));
    const double windowNorm = besselI0(kaiserBeta);
    for (int i = 0; i < points; ++i) {
        const double u = static_cast<double>(i) / pointsPerCrossing - zeroCrossings;
        const double sinc = u == 0.0 ? 1.0 : std::sin(std::numbers::pi * u) / (std::numbers::pi * u);
        const double x = u / zeroCrossings;
        const double window = besselI0(kaiserBeta * std::sqrt(std::max(0.0, 1.0 - x * x))) / windowNorm;
        table_[static_cast<std::size_t>(i)] = static_cast<float>(sinc * window);
    }
}

const ResamplingKernel& ResamplingKernel::instance() {
    static const ResamplingKernel kernel;
    return kernel;
}

} // namespace gs
