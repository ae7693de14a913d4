#pragma once
// The one tolerance for agreement with PyTorch: max abs error per sample.
namespace gs::test {
inline constexpr float goldenTolerance = 1e-5f;
}
