#include "plugin_editor.h"
#include "plugin_test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace gs::plugin {
namespace {

TEST(PluginEditor, OpensLaysOutAtSeveralSizesAndCloses) {
    GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, 48000.0, 256);
    processor.prepareToPlay(48000.0, 256);
    for (int round = 0; round < 3; ++round) {
        std::unique_ptr<juce::AudioProcessorEditor> editor(processor.createEditorIfNeeded());
        ASSERT_NE(editor, nullptr);
        for (float scale : {1.0f, 1.5f, 2.0f, 0.8f}) {
            editor->setSize(juce::roundToInt(GruStreamEditor::defaultWidth * scale),
                            juce::roundToInt(GruStreamEditor::defaultHeight * scale));
            // Every child stays inside the window at every size.
            for (auto* child : editor->getChildren()) {
                if (child->isVisible()) {
                    EXPECT_TRUE(editor->getLocalBounds().contains(child->getBounds()))
                        << child->getName() << " at scale " << scale;
                }
            }
            const juce::Image snapshot = editor->createComponentSnapshot(editor->getLocalBounds());
            EXPECT_EQ(snapshot.getWidth(), editor->getWidth());
        }
        processor.editorBeingDeleted(editor.get());
    }
}

TEST(PluginEditor, ShowsTheModelAndTheLastError) {
    GruStreamProcessor processor;
    GruStreamEditor editor(processor);
    editor.refresh();
    auto text = [&editor] {
        juce::String all;
        for (auto* child : editor.getChildren())
            if (auto* label = dynamic_cast<juce::Label*>(child)) all << label->getText() << "\n";
        return all;
    };
    EXPECT_TRUE(text().contains("GruStream Overdrive (default)")) << text();
    EXPECT_TRUE(text().contains("5201 parameters")) << text();
    processor.loadModelFile(juce::File("/nonexistent/model.json"));
    editor.refresh();
    EXPECT_TRUE(text().contains("/nonexistent/model.json: no such file")) << text();
}

TEST(PluginEditor, OpensAndClosesWhileAudioRuns) {
    GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, 48000.0, 256);
    processor.prepareToPlay(48000.0, 256);
    std::atomic<bool> stop{false};
    std::atomic<bool> finite{true};
    std::thread audio([&] {
        const auto left = test::testTone(256, 1), right = test::testTone(256, 2);
        while (!stop.load()) {
            const auto out = test::runProcessor(processor, {left, right}, 256);
            for (float v : out[0]) finite = finite && std::isfinite(v);
        }
    });
    for (int round = 0; round < 5; ++round) {
        std::unique_ptr<juce::AudioProcessorEditor> editor(processor.createEditorIfNeeded());
        auto* ours = dynamic_cast<GruStreamEditor*>(editor.get());
        ASSERT_NE(ours, nullptr);
        ours->setSize(GruStreamEditor::defaultWidth * 2, GruStreamEditor::defaultHeight * 2);
        ours->refresh();
        processor.resetModelState();
        (void)ours->createComponentSnapshot(ours->getLocalBounds());
        processor.editorBeingDeleted(editor.get());
    }
    stop.store(true);
    audio.join();
    EXPECT_TRUE(finite.load());
}

}  // namespace
}  // namespace gs::plugin
