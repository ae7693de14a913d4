#include "tools/sensor_io/osc_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace gs {
namespace {

std::vector<std::uint8_t> frameMessage(const std::string& address,
                                       std::initializer_list<float> values) {
    OscMessageWriter writer(address);
    for (float v : values) writer.addFloat(v);
    return writer.bytes();
}

std::vector<std::uint8_t> bundle(const std::vector<std::vector<std::uint8_t>>& elements) {
    std::vector<std::uint8_t> bytes{'#', 'b', 'u', 'n', 'd', 'l', 'e', 0, 0, 0, 0, 0, 0, 0, 0, 1};
    for (const auto& element : elements) {
        const auto size = static_cast<std::uint32_t>(element.size());
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.push_back(static_cast<std::uint8_t>(size >> shift));
        bytes.insert(bytes.end(), element.begin(), element.end());
    }
    return bytes;
}

OscFrameCounts decode(const std::vector<std::uint8_t>& packet, int values,
                      std::vector<float>& frames, int maxFrames = 8) {
    frames.assign(static_cast<std::size_t>(values * maxFrames), -99.0f);
    return decodeOscFrames(packet.data(), packet.size(), "/wek/inputs", values, frames.data(),
                           maxFrames);
}

TEST(OscCodec, ReadsAWekinatorFrame) {
    std::vector<float> frames;
    const auto counts = decode(frameMessage("/wek/inputs", {0.5f, -2.0f, 1e-3f}), 3, frames);
    EXPECT_EQ(counts.frames, 1);
    EXPECT_EQ(counts.dropped(), 0);
    EXPECT_EQ(frames[0], 0.5f);
    EXPECT_EQ(frames[1], -2.0f);
    EXPECT_EQ(frames[2], 1e-3f);
}

TEST(OscCodec, ReadsIntegersDoublesAndBundles) {
    OscMessageWriter mixed("/wek/inputs");
    mixed.addInt(-7).addFloat(2.5f);
    std::vector<float> frames;
    const auto counts = decode(bundle({mixed.bytes(), frameMessage("/other", {1}),
                                       bundle({frameMessage("/wek/inputs", {3, 4})})}),
                               2, frames);
    EXPECT_EQ(counts.frames, 2);
    EXPECT_EQ(counts.otherAddress, 1);
    EXPECT_EQ(frames[0], -7.0f);
    EXPECT_EQ(frames[1], 2.5f);
    EXPECT_EQ(frames[3], 4.0f);
}

TEST(OscCodec, DropsAndCountsEveryKindOfBadPacket) {
    std::vector<float> frames;
    EXPECT_EQ(decode(frameMessage("/wek/inputs", {1, 2}), 3, frames).wrongCount, 1);
    EXPECT_EQ(decode(OscMessageWriter("/wek/inputs").addFloat(1).addString("x").bytes(), 2, frames)
                  .wrongTypes,
              1);
    auto truncated = frameMessage("/wek/inputs", {1, 2, 3});
    truncated.resize(truncated.size() - 4);
    EXPECT_TRUE(decode(truncated, 3, frames).malformed);
    EXPECT_EQ(decode(truncated, 3, frames).frames, 0);
    const std::vector<std::uint8_t> garbage{0xff, 0x00, 0x13, 0x37, 'a', 'b', 'c', 'd'};
    EXPECT_TRUE(decode(garbage, 3, frames).malformed);
    EXPECT_TRUE(decode({}, 3, frames).malformed);
    // A bundle claiming more bytes than it has.
    auto lying = bundle({frameMessage("/wek/inputs", {1})});
    lying[19] = 0x7f;
    EXPECT_TRUE(decode(lying, 1, frames).malformed);
    // Bundles nested past the limit.
    auto deep = frameMessage("/wek/inputs", {1});
    for (int i = 0; i < 12; ++i) deep = bundle({deep});
    EXPECT_TRUE(decode(deep, 1, frames).malformed);
    // More frames than room: the rest counted as overflow.
    std::vector<std::vector<std::uint8_t>> many(5, frameMessage("/wek/inputs", {1}));
    const auto counts = decode(bundle(many), 1, frames, 3);
    EXPECT_EQ(counts.frames, 3);
    EXPECT_EQ(counts.overflow, 2);
}

TEST(OscCodec, RandomBytesNeverCrashOrWriteOutOfBounds) {
    std::mt19937 rng(1);
    std::vector<float> frames(4 * 2, 0.0f);
    const auto valid = bundle({frameMessage("/wek/inputs", {1, 2, 3, 4})});
    int frameCount = 0;
    for (int i = 0; i < 20000; ++i) {
        std::vector<std::uint8_t> packet = valid;
        // Mutate a valid packet, or make pure noise.
        if (i % 2 == 0) {
            for (int k = 0; k < 3; ++k)
                packet[rng() % packet.size()] = static_cast<std::uint8_t>(rng());
            packet.resize(rng() % (packet.size() + 1));
        } else {
            packet.resize(rng() % 64);
            for (auto& b : packet) b = static_cast<std::uint8_t>(rng());
        }
        frameCount +=
            decodeOscFrames(packet.data(), packet.size(), "/wek/inputs", 4, frames.data(), 2)
                .frames;
    }
    EXPECT_GT(frameCount, 0);  // some mutations keep a valid frame: the decoder was exercised
}

TEST(OscCodec, WriterOutputDecodesBack) {
    const auto bytes =
        OscMessageWriter("/grustream/event").addString("shake").addFloat(0.93f).addInt(42).bytes();
    EXPECT_EQ(bytes.size() % 4, 0u);
    const auto messages = decodeOscMessages(bytes.data(), bytes.size());
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].address, "/grustream/event");
    ASSERT_EQ(messages[0].arguments.size(), 3u);
    EXPECT_EQ(messages[0].arguments[0].text, "shake");
    EXPECT_FLOAT_EQ(static_cast<float>(messages[0].arguments[1].number), 0.93f);
    EXPECT_EQ(messages[0].arguments[2].number, 42.0);
}

}  // namespace
}  // namespace gs
