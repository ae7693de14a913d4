#pragma once
// The JSON type model files are read into. Ordered, so metadata keeps the author's order
// and a load -> save round trip gives the same text.

#include <nlohmann/json.hpp>

namespace gs {
using ModelJson = nlohmann::ordered_json;
}
