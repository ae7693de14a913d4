#include "windowed_sinc.h"

#include <cmath>
#include <numbers>

namespace gs {
namespace {

// Modified Bessel function of the first kind, order 0, by its power series.
double besselI0(double x) noexcept {
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 50; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < sum * 1e-17) break;
    }
    return sum;
}

}  // namespace

double kaiserWindowedSinc(double u, int zeroCrossings, double beta) noexcept {
    const double x = u / zeroCrossings;
    if (!(x * x <= 1.0)) return 0.0;
    const double sinc = u == 0.0 ? 1.0 : std::sin(std::numbers::pi * u) / (std::numbers::pi * u);
    return sinc * besselI0(beta * std::sqrt(1.0 - x * x)) / besselI0(beta);
}

}  // namespace gs
