#pragma once
// A read-only view of one JSON value plus the path that led to it ("layers[1].weight_ih[0][3]").
// Every accessor checks the value's type and range and throws ModelError naming that path,
// so format readers state what they expect and get precise errors for free.

#include "model_json.h"
#include <Eigen/Core>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

class JsonCursor {
public:
    JsonCursor(const ModelJson& value, std::string path, const std::string& file);

    const std::string& path() const noexcept { return path_; }
    const ModelJson& value() const noexcept { return *value_; }

    bool isObject() const noexcept { return value_->is_object(); }
    bool isArray() const noexcept { return value_->is_array(); }
    bool has(std::string_view key) const;

    // Required object member; throws when this is not an object or the key is missing.
    JsonCursor field(std::string_view key) const;
    std::optional<JsonCursor> optionalField(std::string_view key) const;
    // Array element; throws when this is not an array or index is out of range.
    JsonCursor element(std::size_t index) const;

    std::size_t arraySize() const;                      // requires an array
    void requireArraySize(std::size_t expected) const;  // requires an array of that length
    std::string asString() const;
    double asFiniteNumber() const;
    float asFiniteFloat() const;  // finite and representable as float32
    int asInteger(int minimum, int maximum) const;
    std::vector<float> asFloatVector(std::size_t expectedLength) const;
    std::vector<std::string> asStringVector(std::size_t expectedLength) const;
    // A rows x cols matrix written as an array of rows.
    Eigen::MatrixXf asMatrix(std::size_t rows, std::size_t cols) const;
    Eigen::VectorXf asVector(std::size_t length) const;
    // Rows and columns of an array of arrays, from its first row (asMatrix checks the rest).
    std::pair<std::size_t, std::size_t> matrixShape() const;
    // Every number in arbitrarily nested arrays, in order, at most maxValues of them.
    std::vector<float> asFlattenedFloats(std::size_t maxValues) const;

    [[noreturn]] void fail(const std::string& expected) const;  // found = this value
    [[noreturn]] void fail(const std::string& expected, const std::string& found) const;

    // "the number 3", "the string \"gru\"", "an array of 4 elements", ...
    static std::string describe(const ModelJson& value);

private:
    const ModelJson* value_;
    std::string path_;
    const std::string* file_;
};

}  // namespace gs
