#pragma once

#include "track/rgbimage.h"
#include "trainbench/track/histogram.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace trainbench {

/// Writes one TensorBoard event file (TFRecord framing of protobuf Events) into a folder.
/// Records are buffered whole and written on flush(), which happens at most every 5 seconds on
/// its own and whenever asked: a killed program leaves a file readable up to its last flush.
class EventFileWriter
{
public:
    /// A hyperparameter value for the hparams dashboard.
    using HParamValue = std::variant<double, std::string, bool>;

    /// Creates `dir` (and parents) and a new events.out.tfevents.<seconds>.<host>.<pid>.<n> file in
    /// it, starting with the "brain.Event:2" record; throws Error naming the folder when it cannot.
    explicit EventFileWriter(const std::string& dir);
    ~EventFileWriter();
    EventFileWriter(const EventFileWriter&) = delete;
    EventFileWriter& operator=(const EventFileWriter&) = delete;

    /// A scalar (scalars dashboard).
    void scalar(const std::string& tag, double value, int64_t step);
    /// A PNG image (images dashboard).
    void image(const std::string& tag, const RgbImage& image, int64_t step);
    /// A histogram (histograms and distributions dashboards).
    void histogram(const std::string& tag, const Histogram& histogram, int64_t step);
    /// Markdown text (text dashboard).
    void text(const std::string& tag, const std::string& markdown, int64_t step);
    /// The hparams plugin's session start: this folder is a session with these hyperparameters.
    void sessionStart(const std::map<std::string, HParamValue>& hparams, double startTime);
    /// The hparams plugin's session end.
    void sessionEnd(bool success, double endTime);
    /// A hyperparameter the experiment declares: its name, description and type (the type of
    /// `example`: text, flag or number; TensorBoard has one number type, float64).
    struct HParamSpec
    {
        std::string name;
        std::string description;
        HParamValue example;
    };
    /// A metric the experiment declares: the scalar `tag` in the session's `group` sub-folder.
    struct MetricSpec
    {
        std::string group;
        std::string tag;
        bool validation = false; ///< Computed on held-out data (test or validation), not training.
    };
    /// The hparams plugin's experiment record (written once, in the folder above the sessions).
    void experiment(const std::vector<HParamSpec>& hparams, const std::vector<MetricSpec>& metrics,
                    double createdTime);

    /// Writes buffered records to disk; throws Error (and stops writing) if the disk refuses.
    void flush();
    /// Flushes and closes; later writes are ignored.
    void close();
    /// Path of the event file.
    const std::string& path() const { return m_path; }

private:
    void append(const std::string& event);
    void maybeFlush();
    bool firstUse(const std::string& tag);

    std::string m_path;
    std::FILE* m_file = nullptr;
    std::string m_pending;
    int64_t m_whole = 0; ///< Bytes on disk that end with a whole record.
    std::set<std::string> m_tagsSeen;
    std::chrono::steady_clock::time_point m_lastFlush;
};

} // namespace trainbench
