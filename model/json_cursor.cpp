#include "json_cursor.h"

#include "model_error.h"

#include <cmath>
#include <limits>

namespace gs {

JsonCursor::JsonCursor(const ModelJson& value, std::string path, const std::string& file)
    : value_(&value), path_(std::move(path)), file_(&file) {}

bool JsonCursor::has(std::string_view key) const {
    return value_->is_object() && value_->contains(key);
}

JsonCursor JsonCursor::field(std::string_view key) const {
    if (!value_->is_object()) fail("an object with the key \"" + std::string(key) + "\"");
    const auto it = value_->find(key);
    const std::string childPath = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    if (it == value_->end())
        throw ModelError(*file_, childPath,
                         "a value for the required key \"" + std::string(key) + "\"",
                         "nothing (the key is missing)");
    return {*it, childPath, *file_};
}

std::optional<JsonCursor> JsonCursor::optionalField(std::string_view key) const {
    if (!has(key)) {
        if (!value_->is_object()) fail("an object");
        return std::nullopt;
    }
    return field(key);
}

JsonCursor JsonCursor::element(std::size_t index) const {
    const std::size_t size = arraySize();
    const std::string childPath = path_ + "[" + std::to_string(index) + "]";
    if (index >= size)
        throw ModelError(*file_, childPath, "an element at index " + std::to_string(index),
                         "an array of only " + std::to_string(size) + " elements");
    return {(*value_)[index], childPath, *file_};
}

std::size_t JsonCursor::arraySize() const {
    if (!value_->is_array()) fail("an array");
    return value_->size();
}

void JsonCursor::requireArraySize(std::size_t expected) const {
    if (!value_->is_array() || value_->size() != expected)
        fail("an array of " + std::to_string(expected) + " elements");
}

std::string JsonCursor::asString() const {
    if (!value_->is_string()) fail("a string");
    return value_->get<std::string>();
}

double JsonCursor::asFiniteNumber() const {
    if (!value_->is_number()) fail("a number");
    const double number = value_->get<double>();
    if (!std::isfinite(number)) fail("a finite number");
    return number;
}

float JsonCursor::asFiniteFloat() const {
    const double number = asFiniteNumber();
    if (std::fabs(number) > static_cast<double>(std::numeric_limits<float>::max()))
        fail("a number within the 32-bit float range");
    return static_cast<float>(number);
}

int JsonCursor::asInteger(int minimum, int maximum) const {
    const std::string expected =
        "a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum);
    if (!value_->is_number()) fail(expected);
    const double number = value_->get<double>();
    if (!std::isfinite(number) || number != std::floor(number) || number < minimum ||
        number > maximum)
        fail(expected);
    return static_cast<int>(number);
}

std::vector<float> JsonCursor::asFloatVector(std::size_t expectedLength) const {
    requireArraySize(expectedLength);
    std::vector<float> values(expectedLength);
    for (std::size_t i = 0; i < expectedLength; ++i) values[i] = element(i).asFiniteFloat();
    return values;
}

std::vector<std::string> JsonCursor::asStringVector(std::size_t expectedLength) const {
    requireArraySize(expectedLength);
    std::vector<std::string> values(expectedLength);
    for (std::size_t i = 0; i < expectedLength; ++i) values[i] = element(i).asString();
    return values;
}

Eigen::MatrixXf JsonCursor::asMatrix(std::size_t rows, std::size_t cols) const {
    if (!value_->is_array() || value_->size() != rows)
        fail("an array of " + std::to_string(rows) + " rows of " + std::to_string(cols) +
             " numbers each");
    Eigen::MatrixXf matrix(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (std::size_t r = 0; r < rows; ++r) {
        const JsonCursor row = element(r);
        row.requireArraySize(cols);
        for (std::size_t c = 0; c < cols; ++c)
            matrix(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
                row.element(c).asFiniteFloat();
    }
    return matrix;
}

Eigen::VectorXf JsonCursor::asVector(std::size_t length) const {
    const std::vector<float> values = asFloatVector(length);
    return Eigen::Map<const Eigen::VectorXf>(values.data(), static_cast<Eigen::Index>(length));
}

std::pair<std::size_t, std::size_t> JsonCursor::matrixShape() const {
    const std::size_t rows = arraySize();
    if (rows == 0) fail("a non-empty array of rows");
    const std::size_t cols = element(0).arraySize();
    return {rows, cols};
}

std::vector<float> JsonCursor::asFlattenedFloats(std::size_t maxValues) const {
    std::vector<float> values;
    std::vector<JsonCursor> pending{*this};
    while (!pending.empty()) {
        const JsonCursor current = pending.back();
        pending.pop_back();
        if (current.isArray()) {
            for (std::size_t i = current.arraySize(); i-- > 0;)
                pending.push_back(current.element(i));
        } else {
            if (values.size() == maxValues)
                fail("at most " + std::to_string(maxValues) + " numbers");
            values.push_back(current.asFiniteFloat());
        }
    }
    return values;
}

void JsonCursor::fail(const std::string& expected) const { fail(expected, describe(*value_)); }

void JsonCursor::fail(const std::string& expected, const std::string& found) const {
    throw ModelError(*file_, path_.empty() ? std::string("the top level") : path_, expected, found);
}

std::string JsonCursor::describe(const ModelJson& value) {
    switch (value.type()) {
    case ModelJson::value_t::null: return "null";
    case ModelJson::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case ModelJson::value_t::string: {
        std::string text = value.get<std::string>();
        if (text.size() > 40) text = text.substr(0, 40) + "...";
        return "the string \"" + text + "\"";
    }
    case ModelJson::value_t::number_integer:
    case ModelJson::value_t::number_unsigned:
    case ModelJson::value_t::number_float: return "the number " + value.dump();
    case ModelJson::value_t::array:
        return "an array of " + std::to_string(value.size()) + " elements";
    case ModelJson::value_t::object:
        return "an object with " + std::to_string(value.size()) + " keys";
    default: return "a value of an unsupported kind";
    }
}

}  // namespace gs
