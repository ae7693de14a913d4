#!/usr/bin/python3
"""Fits the degree-5 polynomial for 2^f, |f| <= 1/2, that model/kernels/simd.h's onePlusExp2 uses.

The constant term is held at exactly 1 (2^0 = 1 without rounding) and the other five
coefficients minimise the largest relative error: least squares on Chebyshev points,
reweighted by each point's error a fixed number of times (Lawson's iteration), which brings
the error close to equal ripple. Prints the coefficients as simd.h spells them (9
significant digits of the float), and the relative error of the fitted polynomial, of the
float coefficients in exact arithmetic, and of the float coefficients evaluated in float32
the way the kernel does (FMA contraction aside).

Usage: /usr/bin/python3 tools/bench/fit-exp2-polynomial.py   (Debian's python3-numpy)
"""
import numpy as np

DEGREE = 5
POINTS = 4000
ITERATIONS = 300


def fit():
    f = np.cos(np.linspace(0.0, np.pi, POINTS)) * 0.5
    target = 2.0 ** f
    # 2^f ~ 1 + sum_j c_j f^j: solve for c_1..c_5 in relative terms.
    powers = np.vander(f, DEGREE + 1, increasing=True)[:, 1:] / target[:, None]
    wanted = (target - 1.0) / target
    weights = np.ones_like(f)
    for _ in range(ITERATIONS):
        root = np.sqrt(weights)
        coefficients, *_ = np.linalg.lstsq(powers * root[:, None], wanted * root, rcond=None)
        weights *= np.abs(powers @ coefficients - wanted)
        weights /= weights.sum()
    return np.concatenate([[1.0], coefficients])


def evaluate_float32(c, f):
    c = c.astype(np.float32)
    f2 = f * f
    p01 = f * c[1] + c[0]
    p23 = f * c[3] + c[2]
    p45 = f * c[5] + c[4]
    return (p45 * f2 + p23) * f2 + p01


def c_literal(value):
    """The float nearest `value` as a C++ float literal with 9 significant digits."""
    text = f"{float(np.float32(value)):.9g}"
    return (text if "." in text or "e" in text else text + ".0") + "f"


def largest_relative_error(values, f):
    f = f.astype(np.float64)
    return np.abs(values.astype(np.float64) / 2.0 ** f - 1.0).max()


def main():
    c = fit()
    f = np.linspace(-0.5, 0.5, 200001)
    exact = largest_relative_error(np.polyval(c[::-1], f), f)
    stored = c.astype(np.float32).astype(np.float64)
    stored_exact = largest_relative_error(np.polyval(stored[::-1], f), f)
    f32 = f.astype(np.float32)
    rounded = largest_relative_error(evaluate_float32(c, f32), f32)
    print("coefficients (f^0 .. f^5):", ", ".join(c_literal(v) for v in c))
    print(f"relative error: {exact:.3g} fitted, {stored_exact:.3g} with float coefficients, "
          f"{rounded:.3g} evaluated in float32")


if __name__ == "__main__":
    main()
