#pragma once
// Sanity bounds checked before anything is allocated, so a hostile or corrupt file cannot
// make the loader allocate without bound. Generous for real models (the largest amp models
// in use have hidden sizes of 64 to 128).

#include <cstddef>

namespace gs::limits {

inline constexpr std::size_t maxFileBytes = 64u * 1024u * 1024u;
inline constexpr int maxHiddenSize = 1024;
inline constexpr int maxInputSize = 1024;
inline constexpr int maxOutputSize = 1024;
inline constexpr int maxRecurrentLayers = 16;
inline constexpr double minSampleRate = 1.0;  // detectors run at frame rates of tens of Hz
inline constexpr double maxSampleRate = 768000.0;

}  // namespace gs::limits
