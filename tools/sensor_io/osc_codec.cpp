#include "osc_codec.h"

#include <bit>
#include <cstring>
#include <limits>

namespace gs {
namespace {

constexpr int maxBundleDepth = 8;

// A bounds-checked reader over one OSC element. Every read fails (returns false) rather
// than run past the end.
class OscReader {
public:
    OscReader(const std::uint8_t* data, std::size_t size) noexcept : data_(data), size_(size) {}

    std::size_t remaining() const noexcept { return size_ - position_; }
    bool atEnd() const noexcept { return position_ == size_; }

    // An OSC string: characters, a NUL, padded with NULs to a multiple of 4.
    bool readString(std::string_view& text) noexcept {
        const void* nul = std::memchr(data_ + position_, 0, remaining());
        if (nul == nullptr) return false;
        const auto length =
            static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - (data_ + position_));
        const std::size_t padded = (length + 4) & ~std::size_t{3};
        if (padded > remaining()) return false;
        text = std::string_view(reinterpret_cast<const char*>(data_ + position_), length);
        position_ += padded;
        return true;
    }

    bool readUint32(std::uint32_t& value) noexcept {
        if (remaining() < 4) return false;
        value = (std::uint32_t{data_[position_]} << 24) |
                (std::uint32_t{data_[position_ + 1]} << 16) |
                (std::uint32_t{data_[position_ + 2]} << 8) | std::uint32_t{data_[position_ + 3]};
        position_ += 4;
        return true;
    }

    bool readUint64(std::uint64_t& value) noexcept {
        std::uint32_t high = 0, low = 0;
        if (remaining() < 8) return false;
        readUint32(high);
        readUint32(low);
        value = (std::uint64_t{high} << 32) | low;
        return true;
    }

    bool skip(std::size_t bytes) noexcept {
        if (bytes > remaining()) return false;
        position_ += bytes;
        return true;
    }

    const std::uint8_t* here() const noexcept { return data_ + position_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t position_ = 0;
};

// Reads one argument of a numeric type tag; false for other tags or a short packet.
enum class ArgumentRead { Number, NotNumber, Short };
ArgumentRead readNumber(OscReader& reader, char tag, double& value) noexcept {
    std::uint32_t word = 0;
    std::uint64_t wide = 0;
    switch (tag) {
    case 'f':
        if (!reader.readUint32(word)) return ArgumentRead::Short;
        value = std::bit_cast<float>(word);
        return ArgumentRead::Number;
    case 'i':
        if (!reader.readUint32(word)) return ArgumentRead::Short;
        value = std::bit_cast<std::int32_t>(word);
        return ArgumentRead::Number;
    case 'd':
        if (!reader.readUint64(wide)) return ArgumentRead::Short;
        value = std::bit_cast<double>(wide);
        return ArgumentRead::Number;
    case 'h':
        if (!reader.readUint64(wide)) return ArgumentRead::Short;
        value = static_cast<double>(std::bit_cast<std::int64_t>(wide));
        return ArgumentRead::Number;
    default: return ArgumentRead::NotNumber;
    }
}

// A double beyond float range becomes +-infinity (a plain cast would be undefined); the
// detector then counts it as non-finite.
float toFloat(double value) noexcept {
    if (value > std::numeric_limits<float>::max()) return std::numeric_limits<float>::infinity();
    if (value < -std::numeric_limits<float>::max()) return -std::numeric_limits<float>::infinity();
    return static_cast<float>(value);
}

// Bytes an argument of this tag occupies; -1 for a string/blob (variable) or unknown tag.
int fixedArgumentSize(char tag) noexcept {
    switch (tag) {
    case 'f':
    case 'i':
    case 'c':
    case 'r':
    case 'm': return 4;
    case 'd':
    case 'h':
    case 't': return 8;
    case 'T':
    case 'F':
    case 'N':
    case 'I':
    case '[':
    case ']': return 0;
    default: return -1;
    }
}

// Calls onMessage(reader) for every message in an element, opening bundles; false when
// the element or a message is malformed.
template <typename OnMessage>
bool forEachMessage(OscReader reader, int depth,
                    OnMessage& onMessage) noexcept(noexcept(onMessage(reader))) {
    if (reader.remaining() >= 8 && std::memcmp(reader.here(), "#bundle", 8) == 0) {
        if (depth >= maxBundleDepth) return false;
        reader.skip(8);
        std::uint64_t timeTag = 0;
        if (!reader.readUint64(timeTag)) return false;
        while (!reader.atEnd()) {
            std::uint32_t length = 0;
            if (!reader.readUint32(length) || length % 4 != 0 || length > reader.remaining())
                return false;
            if (!forEachMessage(OscReader(reader.here(), length), depth + 1, onMessage))
                return false;
            reader.skip(length);
        }
        return true;
    }
    return onMessage(reader);
}

struct FrameDecoder {
    std::string_view address;
    int valuesPerFrame;
    float* frames;
    int maxFrames;
    OscFrameCounts counts;

    // One message: false when malformed.
    bool operator()(OscReader reader) noexcept {
        std::string_view messageAddress, tags;
        if (!reader.readString(messageAddress) || messageAddress.empty() ||
            messageAddress[0] != '/')
            return false;
        if (reader.atEnd())
            tags = ",";  // OSC 1.0 allows a message without a type tag string
        else if (!reader.readString(tags) || tags.empty() || tags[0] != ',')
            return false;
        tags.remove_prefix(1);
        if (messageAddress != address) {
            ++counts.otherAddress;
            return true;
        }
        if (static_cast<int>(tags.size()) != valuesPerFrame) {
            ++counts.wrongCount;
            return true;
        }
        if (counts.frames >= maxFrames) {
            ++counts.overflow;
            return true;
        }
        float* frame = frames + static_cast<std::ptrdiff_t>(counts.frames) * valuesPerFrame;
        for (std::size_t i = 0; i < tags.size(); ++i) {
            double value = 0.0;
            switch (readNumber(reader, tags[i], value)) {
            case ArgumentRead::Number: frame[i] = toFloat(value); break;
            case ArgumentRead::NotNumber: ++counts.wrongTypes; return true;
            case ArgumentRead::Short: return false;
            }
        }
        ++counts.frames;
        return true;
    }
};

void padTo4(std::vector<std::uint8_t>& bytes) {
    while (bytes.size() % 4 != 0) bytes.push_back(0);
}

void appendString(std::vector<std::uint8_t>& bytes, std::string_view text) {
    bytes.insert(bytes.end(), text.begin(), text.end());
    bytes.push_back(0);
    padTo4(bytes);
}

void appendUint32(std::vector<std::uint8_t>& bytes, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
        bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}

bool decodeMessage(OscReader reader, std::vector<OscMessage>& out) {
    OscMessage message;
    std::string_view address, tags;
    if (!reader.readString(address) || address.empty() || address[0] != '/') return false;
    if (!reader.atEnd() && (!reader.readString(tags) || tags.empty() || tags[0] != ','))
        return false;
    message.address = address;
    for (std::size_t i = 1; i < tags.size(); ++i) {
        OscArgument argument;
        argument.tag = tags[i];
        if (tags[i] == 's') {
            std::string_view text;
            if (!reader.readString(text)) return false;
            argument.text = text;
        } else {
            switch (readNumber(reader, tags[i], argument.number)) {
            case ArgumentRead::Number: break;
            case ArgumentRead::Short: return false;
            case ArgumentRead::NotNumber: {
                const int size = fixedArgumentSize(tags[i]);
                if (size < 0 || !reader.skip(static_cast<std::size_t>(size))) return false;
            }
            }
        }
        message.arguments.push_back(std::move(argument));
    }
    out.push_back(std::move(message));
    return true;
}

}  // namespace

OscFrameCounts decodeOscFrames(const std::uint8_t* packet, std::size_t size,
                               std::string_view address, int valuesPerFrame, float* frames,
                               int maxFrames) noexcept {
    FrameDecoder decoder{address, valuesPerFrame, frames, maxFrames, {}};
    if (packet == nullptr || size == 0 || size % 4 != 0 ||
        !forEachMessage(OscReader(packet, size), 0, decoder))
        decoder.counts.malformed = true;
    return decoder.counts;
}

OscMessageWriter::OscMessageWriter(std::string_view address) : address_(address) {}

OscMessageWriter& OscMessageWriter::addFloat(float value) {
    tags_ += 'f';
    appendUint32(arguments_, std::bit_cast<std::uint32_t>(value));
    return *this;
}

OscMessageWriter& OscMessageWriter::addInt(std::int32_t value) {
    tags_ += 'i';
    appendUint32(arguments_, std::bit_cast<std::uint32_t>(value));
    return *this;
}

OscMessageWriter& OscMessageWriter::addString(std::string_view value) {
    tags_ += 's';
    appendString(arguments_, value);
    return *this;
}

std::vector<std::uint8_t> OscMessageWriter::bytes() const {
    std::vector<std::uint8_t> packet;
    packet.reserve(address_.size() + tags_.size() + arguments_.size() + 8);
    appendString(packet, address_);
    appendString(packet, tags_);
    packet.insert(packet.end(), arguments_.begin(), arguments_.end());
    return packet;
}

std::vector<OscMessage> decodeOscMessages(const std::uint8_t* packet, std::size_t size) {
    std::vector<OscMessage> messages;
    auto decode = [&messages](OscReader reader) { return decodeMessage(reader, messages); };
    if (packet == nullptr || size == 0 || size % 4 != 0 ||
        !forEachMessage(OscReader(packet, size), 0, decode))
        return {};
    return messages;
}

}  // namespace gs
