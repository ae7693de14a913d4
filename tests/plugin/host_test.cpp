// Loads the built VST3 and LV2 bundles through JUCE's plugin hosting, as a DAW would, and
// checks them against `grustream render` and against themselves: parameters, block sizes 1 to
// 8192 (fixed, random and empty), sample rates, automation while processing, state saves and
// restores (corrupt ones included) from another thread while audio runs, bypass, the editor
// opening and closing in a window while audio runs, and hostile input. Every processBlock runs
// under an allocation and lock audit (not in sanitizer builds, which own the allocator):
// GruStream's audio code must make none.
//   host_test VST3_BUNDLE LV2_BUNDLE GRUSTREAM_BINARY DEFAULT_MODEL [STRICTNESS 1-10]
// STRICTNESS scales the rounds of every hostile test (default 5; CI runs 10 and, under ASan, 3).

#include <gtest/gtest.h>
#include <juce_audio_formats/juce_audio_formats.h>
#include <juce_audio_processors/juce_audio_processors.h>

#if GS_AUDIT_AUDIO_THREAD
#include "realtime/audio_thread_audit.h"

#include <execinfo.h>
#include <link.h>

#include <elf.h>
#include <sys/time.h>

#include <csignal>

#include <cstring>
#include <map>
#include <string>
#include <utility>
#endif

#include <cstdlib>
#include <random>
#include <thread>

namespace {

juce::String vst3Bundle, lv2Bundle, grustreamBinary, defaultModel;
int strictness = 5;
constexpr const char* lv2Uri = "https://grustream.dev/plugins/grustream";

#if GS_AUDIT_AUDIO_THREAD
// The audit counts what GruStream's own audio code does: an allocation, free or lock is
// counted when GruStreamProcessor::runEngine (the body of processBlock and
// processBlockBypassed, which calls the engine) is on the stack. What JUCE's plugin wrapper
// does around it is measured apart (wrapperEvents): JUCE 7.0.5's VST3 wrapper copies a
// channel mapping per block and its LV2 wrapper mallocs in run(); both take JUCE's callback
// lock. The range is placed at every load, since a module may be unloaded and mapped again
// elsewhere; written only while no audio thread runs.
constexpr const char* runEngineSymbol =
    "_ZN2gs6plugin18GruStreamProcessor9runEngineERN4juce11AudioBufferIfEE";
std::uintptr_t runEngineBegin = 0, runEngineEnd = 0;
std::uintptr_t pluginCodeBegin = 0, pluginCodeEnd = 0;  // all of the plugin's code

// The value and size of a local symbol in an ELF file's .symtab (0, 0 when not found).
std::pair<std::uint64_t, std::uint64_t> readSymbolInFile(const char* path, const char* name) {
    const juce::File file(path);
    juce::MemoryBlock bytes;
    if (!file.loadFileAsData(bytes) || bytes.getSize() < sizeof(Elf64_Ehdr)) return {0, 0};
    const auto* data = static_cast<const char*>(bytes.getData());
    const auto* header = reinterpret_cast<const Elf64_Ehdr*>(data);
    const auto* sections = reinterpret_cast<const Elf64_Shdr*>(data + header->e_shoff);
    for (int i = 0; i < header->e_shnum; ++i) {
        if (sections[i].sh_type != SHT_SYMTAB) continue;
        const auto* symbols = reinterpret_cast<const Elf64_Sym*>(data + sections[i].sh_offset);
        const char* names = data + sections[sections[i].sh_link].sh_offset;
        for (std::size_t k = 0; k < sections[i].sh_size / sizeof(Elf64_Sym); ++k)
            if (std::strcmp(names + symbols[k].st_name, name) == 0)
                return {symbols[k].st_value, symbols[k].st_size};
    }
    return {0, 0};
}

// The same, read once per file: the plugin is loaded dozens of times and its binary is megabytes.
std::pair<std::uint64_t, std::uint64_t> symbolInFile(const char* path, const char* name) {
    static std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> found;
    const std::string key = std::string(path) + '\n' + name;
    if (const auto known = found.find(key); known != found.end()) return known->second;
    return found[key] = readSymbolInFile(path, name);
}

void findPluginCode() {
    runEngineBegin = runEngineEnd = pluginCodeBegin = pluginCodeEnd = 0;
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void*) {
            if (info->dlpi_name == nullptr ||
                std::strstr(info->dlpi_name, "GruStream.so") == nullptr)
                return 0;
            const auto [value, size] = symbolInFile(info->dlpi_name, runEngineSymbol);
            runEngineBegin = info->dlpi_addr + value;
            runEngineEnd = runEngineBegin + size;
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const auto& segment = info->dlpi_phdr[i];
                if (segment.p_type == PT_LOAD && (segment.p_flags & PF_X) != 0) {
                    pluginCodeBegin = info->dlpi_addr + segment.p_vaddr;
                    pluginCodeEnd = pluginCodeBegin + segment.p_memsz;
                }
            }
            return 0;
        },
        nullptr);
    ASSERT_LT(runEngineBegin, runEngineEnd)
        << "no " << runEngineSymbol << " in the plugin's symbol table (stripped?)";
}

// Counted by the plugin's wrapper: made by plugin code, but not under runEngine.
std::atomic<std::uint64_t> wrapperEvents{0};

// Whose code this thread is in. backtrace() was warmed up in main, so it does not allocate here.
enum class StackOwner { GruStreamAudioCode, PluginWrapper, Host };
StackOwner whoIsOnTheStack() {
    void* frames[128];
    const int depth = backtrace(frames, 128);
    bool inPlugin = false;
    for (int f = 0; f < depth; ++f) {
        const auto address = reinterpret_cast<std::uintptr_t>(frames[f]);
        if (address >= runEngineBegin && address < runEngineEnd)
            return StackOwner::GruStreamAudioCode;
        inPlugin = inPlugin || (address >= pluginCodeBegin && address < pluginCodeEnd);
    }
    return inPlugin ? StackOwner::PluginWrapper : StackOwner::Host;
}

// The audit's filter: counts GruStream's audio code, tallies the wrapper's on the side.
bool madeByGruStreamAudioCode() {
    const StackOwner owner = whoIsOnTheStack();
    if (owner == StackOwner::PluginWrapper) wrapperEvents.fetch_add(1, std::memory_order_relaxed);
    return owner == StackOwner::GruStreamAudioCode;
}
#endif

void processAudited(juce::AudioPluginInstance& plugin, juce::AudioBuffer<float>& buffer,
                    juce::MidiBuffer& midi) {
#if GS_AUDIT_AUDIO_THREAD
    const gs::test::AudioThreadAudit audit;
#endif
    plugin.processBlock(buffer, midi);
}

bool allFinite(const std::vector<std::vector<float>>& audio) {
    for (const auto& channel : audio)
        for (float v : channel)
            if (!std::isfinite(v)) return false;
    return true;
}

std::unique_ptr<juce::AudioPluginInstance> loadPlugin(juce::AudioPluginFormat& format,
                                                      const juce::String& identifier, double rate,
                                                      int block) {
    juce::OwnedArray<juce::PluginDescription> types;
    format.findAllTypesForFile(types, identifier);
    if (types.isEmpty()) {
        ADD_FAILURE() << "no plugin found at " << identifier;
        return nullptr;
    }
    juce::String error;
    auto instance = format.createInstanceFromDescription(*types[0], rate, block, error);
    EXPECT_NE(instance, nullptr) << error;
    return instance;
}

std::vector<float> signal(int frames, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(-0.2f, 0.2f);
    std::vector<float> s(static_cast<std::size_t>(frames));
    for (int i = 0; i < frames; ++i)
        s[static_cast<std::size_t>(i)] =
            0.5f * std::sin(0.02f * static_cast<float>(i)) + noise(rng);
    return s;
}

// Stereo through the instance in random block sizes (1..maxBlock, and some empty blocks).
std::vector<std::vector<float>> process(juce::AudioPluginInstance& plugin,
                                        std::vector<std::vector<float>> audio, int maxBlock,
                                        unsigned seed,
                                        const std::function<void(int)>& betweenBlocks = {}) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> size(0, maxBlock);
    const int frames = static_cast<int>(audio[0].size());
    juce::MidiBuffer midi;
    juce::AudioBuffer<float> buffer(2, maxBlock);
    int blockIndex = 0;
    for (int start = 0; start < frames;) {
        const int n = std::min(size(rng), frames - start);
        if (betweenBlocks) betweenBlocks(blockIndex++);
        buffer.setSize(2, n, false, false, true);
        for (int c = 0; c < 2; ++c)
            buffer.copyFrom(c, 0, audio[static_cast<std::size_t>(c)].data() + start, n);
        processAudited(plugin, buffer, midi);
        for (int c = 0; c < 2; ++c)
            std::copy(buffer.getReadPointer(c), buffer.getReadPointer(c) + n,
                      audio[static_cast<std::size_t>(c)].data() + start);
        start += n;
    }
    return audio;
}

// Stereo through the instance in blocks of exactly BLOCK frames (the last one shorter).
std::vector<std::vector<float>> processFixed(juce::AudioPluginInstance& plugin,
                                             std::vector<std::vector<float>> audio, int block) {
    juce::MidiBuffer midi;
    juce::AudioBuffer<float> buffer(2, block);
    const int frames = static_cast<int>(audio[0].size());
    for (int start = 0; start < frames; start += block) {
        const int n = std::min(block, frames - start);
        buffer.setSize(2, n, false, false, true);
        for (int c = 0; c < 2; ++c)
            buffer.copyFrom(c, 0, audio[static_cast<std::size_t>(c)].data() + start, n);
        processAudited(plugin, buffer, midi);
        for (int c = 0; c < 2; ++c)
            std::copy(buffer.getReadPointer(c), buffer.getReadPointer(c) + n,
                      audio[static_cast<std::size_t>(c)].data() + start);
    }
    return audio;
}

// `grustream render` of the default model on the same stereo signal.
std::vector<std::vector<float>> renderReference(const std::vector<std::vector<float>>& audio) {
    const juce::File dir = juce::File::createTempFile("gs_host");
    dir.createDirectory();
    juce::WavAudioFormat wav;
    {
        auto stream = dir.getChildFile("in.wav").createOutputStream();
        std::unique_ptr<juce::AudioFormatWriter> writer(
            wav.createWriterFor(stream.release(), 48000.0, 2, 32, {}, 0));
        const float* channels[2] = {audio[0].data(), audio[1].data()};
        writer->writeFromFloatArrays(channels, 2, static_cast<int>(audio[0].size()));
    }
    const juce::String command = grustreamBinary + " render '" + defaultModel + "' '" +
                                 dir.getChildFile("in.wav").getFullPathName() + "' '" +
                                 dir.getChildFile("out.wav").getFullPathName() + "' 2>/dev/null";
    EXPECT_EQ(std::system(command.toRawUTF8()), 0);
    std::unique_ptr<juce::AudioFormatReader> reader(
        wav.createReaderFor(dir.getChildFile("out.wav").createInputStream().release(), true));
    juce::AudioBuffer<float> out(2, static_cast<int>(reader->lengthInSamples));
    reader->read(&out, 0, out.getNumSamples(), 0, true, true);
    reader.reset();
    dir.deleteRecursively();
    std::vector<std::vector<float>> result(2);
    for (int c = 0; c < 2; ++c)
        result[static_cast<std::size_t>(c)].assign(out.getReadPointer(c),
                                                   out.getReadPointer(c) + out.getNumSamples());
    return result;
}

class HostedPlugin : public testing::TestWithParam<const char*> {
protected:
    // Every test: the audio thread made no allocation, free or lock inside processBlock.
#if GS_AUDIT_AUDIO_THREAD
    void SetUp() override {
        before_ = gs::test::totalAuditCounts();
        wrapperBefore_ = wrapperEvents.load();
    }
    void TearDown() override {
        const auto after = gs::test::totalAuditCounts();
        EXPECT_EQ(after.allocations - before_.allocations, 0u)
            << "allocations by the plugin on the audio thread";
        EXPECT_EQ(after.frees - before_.frees, 0u) << "frees by the plugin on the audio thread";
        EXPECT_EQ(after.locks - before_.locks, 0u) << "locks by the plugin on the audio thread";
        std::printf("[ audit    ] %s: 0 allocations/frees/locks under GruStream's processBlock; "
                    "%llu by JUCE's %s wrapper around it\n",
                    GetParam(),
                    static_cast<unsigned long long>(wrapperEvents.load() - wrapperBefore_),
                    GetParam());
    }
    gs::test::AuditCounts before_;
    std::uint64_t wrapperBefore_ = 0;
#endif

    std::unique_ptr<juce::AudioPluginInstance> load(double rate, int block) {
        const juce::String kind = GetParam();
        std::unique_ptr<juce::AudioPluginInstance> plugin;
        if (kind == "VST3")
            plugin = loadPlugin(vst3_, vst3Bundle, rate, block);
        else
            plugin = loadPlugin(lv2_, lv2Uri, rate, block);
        if (plugin) {
            plugin->setPlayConfigDetails(2, 2, rate, block);
            plugin->prepareToPlay(rate, block);
#if GS_AUDIT_AUDIO_THREAD
            findPluginCode();
#endif
        }
        return plugin;
    }

    juce::VST3PluginFormat vst3_;
    juce::LV2PluginFormat lv2_;
};

TEST_P(HostedPlugin, ExposesItsParameters) {
    auto plugin = load(48000.0, 512);
    ASSERT_NE(plugin, nullptr);
    juce::StringArray names;
    for (auto* parameter : plugin->getParameters()) names.add(parameter->getName(64));
    for (const char* expected : {"Input gain", "Output gain", "Mix", "Bypass"})
        EXPECT_TRUE(names.contains(expected))
            << expected << " not in " << names.joinIntoString(", ");
}

#if GS_AUDIT_AUDIO_THREAD
std::atomic<int> profileSamples{0}, samplesInRunEngine{0};

// The audit's control: sampling the stack of a thread that processes audio (a profiler's
// timer signal every millisecond of CPU) must find GruStream's runEngine on it, so the zero
// counts in every test come from a range that the audio work really runs in. The audio runs
// in rounds of 2 s until 5 samples found it, at most 40 rounds: one round alone (15 ms of
// CPU, most of it in the host's and the wrapper's code) had missed it in 15 samples.
TEST_P(HostedPlugin, AuditFindsGruStreamsAudioCodeOnTheStack) {
    auto plugin = load(48000.0, 64);
    ASSERT_NE(plugin, nullptr);
    profileSamples = 0;
    samplesInRunEngine = 0;
    struct sigaction action {};
    action.sa_handler = [](int) {
        profileSamples.fetch_add(1);
        if (whoIsOnTheStack() == StackOwner::GruStreamAudioCode) samplesInRunEngine.fetch_add(1);
    };
    sigaction(SIGPROF, &action, nullptr);
    itimerval every{{0, 1000}, {0, 1000}};
    setitimer(ITIMER_PROF, &every, nullptr);
    for (int round = 0; round < 40 && samplesInRunEngine.load() < 5; ++round)
        process(*plugin, {signal(96000, 41 + 2 * round), signal(96000, 42 + 2 * round)}, 64,
                43 + round);
    every = {};
    setitimer(ITIMER_PROF, &every, nullptr);
    action.sa_handler = SIG_IGN;
    sigaction(SIGPROF, &action, nullptr);
    EXPECT_GT(samplesInRunEngine.load(), 0) << "of " << profileSamples.load() << " stack samples";
    std::printf("[ audit    ] %s: runEngine on the stack in %d of %d samples\n", GetParam(),
                samplesInRunEngine.load(), profileSamples.load());
}
#endif

TEST_P(HostedPlugin, SoundsLikeGrustreamRenderInRandomBlockSizes) {
    auto plugin = load(48000.0, 1024);
    ASSERT_NE(plugin, nullptr);
    const std::vector<std::vector<float>> input{signal(24000, 1), signal(24000, 2)};
    const auto output = process(*plugin, input, 1024, 3);
    const auto reference = renderReference(input);
    ASSERT_EQ(reference[0].size(), output[0].size());
    float maxError = 0.0f;
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < output[0].size(); ++i)
            maxError = std::max(maxError, std::fabs(output[static_cast<std::size_t>(c)][i] -
                                                    reference[static_cast<std::size_t>(c)][i]));
    EXPECT_EQ(maxError, 0.0f);  // the same engine, bit for bit
}

TEST_P(HostedPlugin, StateRestoresTheSameSound) {
    auto first = load(48000.0, 512);
    ASSERT_NE(first, nullptr);
    // In LV2 the host owns parameter values (control ports) and JUCE 7.0.5's LV2 host does
    // not restore its ports from a saved state, so only VST3 also carries a moved parameter;
    // both carry the model and everything else inside the plugin's state.
    if (juce::String(GetParam()) == "VST3")
        for (auto* parameter : first->getParameters())
            if (parameter->getName(64) == "Input gain") parameter->setValueNotifyingHost(0.8f);
    juce::MemoryBlock state;
    first->getStateInformation(state);
    auto second = load(48000.0, 512);
    ASSERT_NE(second, nullptr);
    second->setStateInformation(state.getData(), static_cast<int>(state.getSize()));
    for (int i = 0; i < first->getParameters().size(); ++i)
        EXPECT_FLOAT_EQ(second->getParameters()[i]->getValue(),
                        first->getParameters()[i]->getValue())
            << first->getParameters()[i]->getName(64);
    const std::vector<std::vector<float>> input{signal(9600, 4), signal(9600, 5)};
    EXPECT_EQ(process(*first, input, 512, 6), process(*second, input, 512, 6));
}

TEST_P(HostedPlugin, SurvivesRatesBlockSizesAutomationStateCallsAndHostileInput) {
    for (double rate : {22050.0, 44100.0, 48000.0, 88200.0, 96000.0, 192000.0}) {
        SCOPED_TRACE(rate);
        auto plugin = load(rate, 8192);
        ASSERT_NE(plugin, nullptr);
        std::vector<std::vector<float>> input{signal(static_cast<int>(rate / 2), 7),
                                              signal(static_cast<int>(rate / 2), 8)};
        input[0][1000] = std::numeric_limits<float>::quiet_NaN();
        input[1][2000] = std::numeric_limits<float>::infinity();
        for (std::size_t i = 5000; i < 6000; ++i)  // full-scale noise: random signs at +-1
            input[0][i] = (((i * 2654435761u) >> 13) & 1u) != 0u ? 1.0f : -1.0f;
        for (auto& channel : input)  // and a stretch of digital silence (the idle path)
            std::fill(channel.begin() + static_cast<std::ptrdiff_t>(channel.size() / 2),
                      channel.end(), 0.0f);
        // Audio runs on its own thread while this (message) thread saves state, as in a DAW.
        std::atomic<bool> done{false};
        std::vector<std::vector<float>> output;
        std::thread audio([&] {
            std::mt19937 rng(9);
            std::uniform_real_distribution<float> value(0.0f, 1.0f);
            output = process(*plugin, input, 8192, 10, [&](int block) {
                // automation
                for (auto* parameter : plugin->getParameters()) parameter->setValue(value(rng));
                if (block % 3 == 0)
                    for (auto* parameter : plugin->getParameters())
                        if (parameter->getName(64) == "Bypass")
                            parameter->setValue(block % 2 == 0 ? 1.0f : 0.0f);
            });
            done.store(true);
        });
        int saves = 0;
        while (!done.load()) {
            juce::MemoryBlock state;
            plugin->getStateInformation(state);
            EXPECT_GT(state.getSize(), 0u);
            ++saves;
            juce::Thread::sleep(1);
        }
        audio.join();
        EXPECT_GT(saves, 0);
        for (const auto& channel : output)
            for (float v : channel) ASSERT_TRUE(std::isfinite(v));
        plugin->releaseResources();
    }
}

TEST_P(HostedPlugin, OutputDoesNotDependOnTheBlockSizeFromOneTo8192) {
    // Also through the resampler: the model runs at 48 kHz inside a 44.1 kHz host.
    for (double rate : {48000.0, 44100.0}) {
        SCOPED_TRACE(rate);
        const std::vector<std::vector<float>> input{signal(20000, 21), signal(20000, 22)};
        std::vector<std::vector<float>> first;
        for (int block : {8192, 1, 2, 3, 31, 64, 441, 1000, 4096}) {
            SCOPED_TRACE(block);
            auto plugin = load(rate, 8192);
            ASSERT_NE(plugin, nullptr);
            const auto output = processFixed(*plugin, input, block);
            ASSERT_TRUE(allFinite(output));
            if (first.empty())
                first = output;
            else
                EXPECT_EQ(output, first);  // bit for bit
        }
    }
}

// The host keeps the plugin's state in its own container (JUCE's VST3 host: XML around the
// component state; its LV2 host: LV2 properties), so the states restored here are ones the
// plugin saved; loading another model mid-stream is tested in process (processor_test).
TEST_P(HostedPlugin, StateRestoresWhileAudioRunsIncludingCorruptOnes) {
    auto plugin = load(48000.0, 512);
    ASSERT_NE(plugin, nullptr);
    juce::MemoryBlock original, moved;
    plugin->getStateInformation(original);
    if (juce::String(GetParam()) == "VST3") {
        plugin->getParameters()[0]->setValueNotifyingHost(0.9f);
        plugin->getStateInformation(moved);
        plugin->setStateInformation(original.getData(), static_cast<int>(original.getSize()));
    } else {
        moved = original;  // JUCE's LV2 host keeps parameters as ports, outside the state
    }
    std::atomic<bool> done{false};
    std::vector<std::vector<float>> output;
    std::thread audio([&] {
        output = process(*plugin, {signal(48000 * strictness, 23), signal(48000 * strictness, 24)},
                         512, 25);
        done.store(true);
    });
    std::mt19937 rng(26);
    int restores = 0;
    while (!done.load()) {
        // In turn: the saved state, one with a moved parameter, and a damaged copy (flipped
        // bytes, cut short, or noise after the header).
        juce::MemoryBlock state = (restores % 3 == 1) ? moved : original;
        if (restores % 3 == 2) {
            auto* bytes = static_cast<std::uint8_t*>(state.getData());
            switch (rng() % 3) {
            case 0:
                for (int i = 0; i < 8; ++i)
                    bytes[rng() % state.getSize()] ^= static_cast<std::uint8_t>(1u + rng() % 255u);
                break;
            case 1: state.setSize(rng() % state.getSize()); break;
            default:
                for (std::size_t i = 8; i < state.getSize(); ++i)
                    bytes[i] = static_cast<std::uint8_t>(rng());
                break;
            }
        }
        plugin->setStateInformation(state.getData(), static_cast<int>(state.getSize()));
        ++restores;
        juce::Thread::sleep(2);
    }
    audio.join();
    EXPECT_GE(restores, 3);
    EXPECT_TRUE(allFinite(output));
    // Still in order afterwards: the original state restores and saves back the same bytes.
    plugin->setStateInformation(original.getData(), static_cast<int>(original.getSize()));
    juce::MemoryBlock again;
    plugin->getStateInformation(again);
    EXPECT_EQ(again, original);
    EXPECT_TRUE(allFinite(process(*plugin, {signal(4800, 27), signal(4800, 28)}, 512, 29)));
}

TEST_P(HostedPlugin, EditorOpensAndClosesWhileAudioRuns) {
    // JUCE 7.0.5's LV2 host crashes here about one run in five under load, inside its own
    // XEmbedComponent (a callAsync([this] ...) queued on an X event runs after the component
    // is gone: use after free in the host, seen with gdb). The editor is the same class in both
    // formats; it is opened in a real window through the VST3 host.
    if (juce::String(GetParam()) == "LV2")
        GTEST_SKIP() << "JUCE 7.0.5's LV2 host UI embedding is not safe to cycle";
    auto plugin = load(48000.0, 256);
    ASSERT_NE(plugin, nullptr);
    ASSERT_TRUE(plugin->hasEditor());
    std::atomic<bool> stop{false};
    bool finite = true;
    std::thread audio([&] {
        for (unsigned seed = 30; !stop.load(); ++seed)
            finite =
                finite && allFinite(process(*plugin, {signal(2048, seed), signal(2048, seed + 1)},
                                            256, seed));
    });
    for (int round = 0; round < 2 * strictness; ++round) {
        std::unique_ptr<juce::AudioProcessorEditor> editor(plugin->createEditorIfNeeded());
        ASSERT_NE(editor, nullptr);
        editor->addToDesktop(0);
        editor->setVisible(true);
        juce::MessageManager::getInstance()->runDispatchLoopUntil(40);  // paint, timers, resize
        EXPECT_GT(editor->getWidth(), 0);
        editor.reset();
        juce::MessageManager::getInstance()->runDispatchLoopUntil(5);
    }
    stop.store(true);
    audio.join();
    EXPECT_TRUE(finite);
}

TEST_P(HostedPlugin, OpensAndClosesTenTimes) {
    for (int i = 0; i < std::max(10, 2 * strictness); ++i) {
        auto plugin = load(48000.0, 256);
        ASSERT_NE(plugin, nullptr);
        process(*plugin, {signal(2048, 11), signal(2048, 12)}, 256, 13);
        plugin->releaseResources();
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, HostedPlugin, testing::Values("VST3", "LV2"));

}  // namespace

// Creates the window-manager atoms a bare Xvfb lacks (x11_window_manager_atoms.cpp).
void createWindowManagerAtoms();

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    if (argc != 5 && argc != 6) {
        std::fprintf(stderr, "usage: host_test VST3_BUNDLE LV2_BUNDLE GRUSTREAM_BINARY "
                             "DEFAULT_MODEL [STRICTNESS]\n");
        return 2;
    }
    vst3Bundle = argv[1];
    lv2Bundle = argv[2];
    grustreamBinary = argv[3];
    defaultModel = argv[4];
    if (argc == 6) strictness = std::clamp(std::atoi(argv[5]), 1, 10);
    createWindowManagerAtoms();
#if GS_AUDIT_AUDIO_THREAD
    void* warmUp[4];
    backtrace(warmUp, 4);  // loads the unwinder now, not inside an audited allocation
    gs::test::setAuditFilter(madeByGruStreamAudioCode);
#endif
    // JUCE 7.0.5's LV2 host scans ~/.lv2 and ignores LV2_PATH: give it a HOME holding only ours.
    const juce::File home = juce::File::createTempFile("gs_lv2_home");
    home.getChildFile(".lv2").createDirectory();
    juce::File(lv2Bundle).createSymbolicLink(home.getChildFile(".lv2/GruStream.lv2"), true);
    setenv("HOME", home.getFullPathName().toRawUTF8(), 1);
    int result = 0;
    {
        const juce::ScopedJuceInitialiser_GUI juce;
        result = RUN_ALL_TESTS();
    }
    home.deleteRecursively();
    return result;
}
