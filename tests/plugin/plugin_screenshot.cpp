// Writes a picture of the plugin's editor after processing a few seconds of audio:
//   build/tests/plugin/plugin_screenshot docs/images/plugin.png [scale]
// Headless: JUCE renders the component into an image, no display needed.

#include "plugin_editor.h"
#include "plugin_test_support.h"

#include <cstdio>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: plugin_screenshot OUTPUT.png [scale]\n");
        return 2;
    }
    const juce::ScopedJuceInitialiser_GUI juce;
    const float scale = argc > 2 ? static_cast<float>(std::atof(argv[2])) : 1.0f;
    gs::plugin::GruStreamProcessor processor;
    processor.setPlayConfigDetails(2, 2, 48000.0, 256);
    processor.prepareToPlay(48000.0, 256);
    gs::test::runProcessor(processor, {gs::test::testTone(48000, 1), gs::test::testTone(48000, 2)},
                           256);
    gs::plugin::GruStreamEditor editor(processor);
    editor.setSize(juce::roundToInt(gs::plugin::GruStreamEditor::defaultWidth * scale),
                   juce::roundToInt(gs::plugin::GruStreamEditor::defaultHeight * scale));
    editor.refresh();
    const juce::Image image = editor.createComponentSnapshot(editor.getLocalBounds());
    const juce::File file = juce::File::getCurrentWorkingDirectory().getChildFile(argv[1]);
    file.getParentDirectory().createDirectory();
    file.deleteFile();
    juce::FileOutputStream stream(file);
    if (!stream.openedOk() || !juce::PNGImageFormat().writeImageToStream(image, stream)) {
        std::fprintf(stderr, "cannot write %s\n", argv[1]);
        return 1;
    }
    std::printf("wrote %s (%dx%d)\n", file.getFullPathName().toRawUTF8(), image.getWidth(),
                image.getHeight());
    return 0;
}
