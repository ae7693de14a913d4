#pragma once
// The band-limiting filter shape both resamplers use: a sinc under a Kaiser window.
//   h(u) = sinc(u) * I0(beta * sqrt(1 - (u / Z)^2)) / I0(beta),  |u| <= Z, else 0
// with u in units of the sinc's zero crossings and Z zero crossings per side.

namespace gs {

double kaiserWindowedSinc(double u, int zeroCrossings, double beta) noexcept;

}  // namespace gs
