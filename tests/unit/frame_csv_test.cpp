#include "tools/sensor_io/detection_log.h"
#include "tools/sensor_io/frame_csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace gs {
namespace {

namespace fs = std::filesystem;

fs::path writeText(const std::string& name, const std::string& text) {
    fs::path path =
        fs::temp_directory_path() / ("gs_csv_" + std::to_string(::getpid()) + "_" + name);
    std::ofstream(path) << text;
    return path;
}

std::vector<float> readAll(const fs::path& path, const std::vector<std::string>& inputs) {
    FrameCsvReader reader(path, inputs);
    std::vector<float> values, frame(inputs.size());
    while (reader.next(frame.data())) values.insert(values.end(), frame.begin(), frame.end());
    return values;
}

std::string errorOf(const fs::path& path, const std::vector<std::string>& inputs) {
    try {
        readAll(path, inputs);
    } catch (const FrameCsvError& error) {
        return error.what();
    }
    return "no error";
}

TEST(FrameCsv, TakesInputsByNameInAnyOrderAndIgnoresOtherColumns) {
    const auto path =
        writeText("names.csv", "time,b,label,a\n0,2,x,1\n# a comment\n\n0.01,4,y,3\r\n");
    EXPECT_EQ(readAll(path, {"a", "b"}), (std::vector<float>{1, 2, 3, 4}));
    fs::remove(path);
}

TEST(FrameCsv, TakesColumnsInOrderWithoutAHeaderOrAfterATimeColumn) {
    const auto plain = writeText("plain.csv", "1, 2\n3,4\n");
    EXPECT_EQ(readAll(plain, {"a", "b"}), (std::vector<float>{1, 2, 3, 4}));
    const auto timed = writeText("timed.csv", "Time,x,y\n0,1,2\n");
    EXPECT_EQ(readAll(timed, {"a", "b"}), (std::vector<float>{1, 2}));
    fs::remove(plain);
    fs::remove(timed);
}

TEST(FrameCsv, EveryFaultNamesTheFileAndLine) {
    struct Case {
        std::string text, expected;
    } cases[] = {
        {"", "holds no frames"},
        {"p,q,r\n1,2,3\n", "the model needs 2 inputs (a, b)"},
        {"1,2,3\n", "found 3 values per line; the model needs 2"},
        {"a,b\n1,2\n3\n", "line 3: found 1 values, expected 2"},
        {"a,b\n1,2\n3,x\n", "line 3: column 2 should be a number, found \"x\""},
        {"a,b\n1,nan\n", "line 2: column 2 is not finite"},
        {"a,b\n1,\n", "column 2 should be a number, found \"\""},
    };
    int i = 0;
    for (const auto& c : cases) {
        const auto path = writeText("bad" + std::to_string(i++) + ".csv", c.text);
        const std::string error = errorOf(path, {"a", "b"});
        EXPECT_NE(error.find(path.string()), std::string::npos) << error;
        EXPECT_NE(error.find(c.expected), std::string::npos) << error;
        fs::remove(path);
    }
    EXPECT_NE(errorOf("/nonexistent/x.csv", {"a"}).find("cannot open"), std::string::npos);
}

TEST(FrameCsv, WriterRoundTripsExactlyAndLeavesNothingWithoutCommit) {
    const fs::path path =
        fs::temp_directory_path() / ("gs_csv_out_" + std::to_string(::getpid()) + ".csv");
    const float frame[3]{0.1f, -1e-20f, 3.4028235e38f};
    {
        FrameCsvWriter writer(path, {"a", "b", "c"});
        writer.writeRow(0.0, frame, 3);
    }
    EXPECT_FALSE(fs::exists(path));  // not committed
    {
        FrameCsvWriter writer(path, {"a", "b", "c"});
        writer.writeRow(0.0, frame, 3);
        writer.commit();
    }
    EXPECT_EQ(readAll(path, {"a", "b", "c"}), (std::vector<float>(frame, frame + 3)));
    fs::remove(path);
    EXPECT_THROW(FrameCsvWriter("/nonexistent/folder/x.csv", {"a"}), TextFileError);
}

TEST(DetectionLog, WritesOneLinePerDetectionInSeconds) {
    DetectionEvent offset{DetectionEdge::Offset, 1, 150, 230, 230, 0.875f};
    const DetectionRecord record = detectionRecord(offset, {"idle", "shake"});
    EXPECT_EQ(detectionCsvLine(record, 100.0), "shake,1.5,2.3,0.875,150,230");
    EXPECT_EQ(detectionCsvHeader(),
              "class,onset_s,offset_s,peak_probability,onset_frame,offset_frame");
}

}  // namespace
}  // namespace gs
