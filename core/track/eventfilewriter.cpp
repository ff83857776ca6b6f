#include "track/eventfilewriter.h"

#include "trainbench/platform/platform.h"

#include "event.pb.h"
#include "hparams.pb.h"
#include "track/crc32c.h"
#include "trainbench/common/error.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace trainbench {

namespace pb = trainbench::tensorboard;

namespace {

constexpr auto kFlushInterval = std::chrono::seconds(5);

double now()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void makeDirectories(const std::string& dir)
{
    namespace fs = std::filesystem;
    // Walk down from the root so that a file in the way is named, not only "cannot create".
    fs::path partial;
    for (const auto& part : fs::path(dir)) {
        partial /= part;
        std::error_code error;
        const auto status = fs::status(partial, error);
        if (fs::exists(status)) {
            if (!fs::is_directory(status))
                throw Error("log folder '" + dir + "': '" + partial.string() +
                            "' is a file, not a folder");
            continue;
        }
        if (!fs::create_directory(partial, error) && error)
            throw Error("log folder '" + dir + "' cannot be created: " + error.message());
    }
}

std::string frame(const std::string& payload)
{
    // TFRecord: uint64 length, masked CRC of the length, payload, masked CRC of the payload.
    std::string record;
    const uint64_t length = payload.size();
    char header[8];
    for (int i = 0; i < 8; ++i)
        header[i] = char((length >> (8 * i)) & 0xFF);
    const auto putCrc = [&record](uint32_t crc) {
        for (int i = 0; i < 4; ++i)
            record.push_back(char((crc >> (8 * i)) & 0xFF));
    };
    record.append(header, 8);
    putCrc(Crc32c::masked(header, 8));
    record.append(payload);
    putCrc(Crc32c::masked(payload.data(), payload.size()));
    return record;
}

pb::Event summaryEvent(int64_t step)
{
    pb::Event event;
    event.set_wall_time(now());
    event.set_step(step);
    return event;
}

/// A new Summary.Value tagged `tag` in `event`.
pb::Summary::Value* addValue(pb::Event& event, const std::string& tag)
{
    auto* value = event.mutable_summary()->add_value();
    value->set_tag(tag);
    return value;
}

/// An hparams-plugin record: the payload lives in the metadata, the value itself is empty.
pb::Event hparamsEvent(const std::string& tag, const pb::HParamsPluginData& data)
{
    pb::Event event = summaryEvent(0);
    auto* plugin = addValue(event, tag)->mutable_metadata()->mutable_plugin_data();
    plugin->set_plugin_name("hparams");
    plugin->set_content(data.SerializeAsString());
    return event;
}

} // namespace

EventFileWriter::EventFileWriter(const std::string& dir)
{
    makeDirectories(dir);
    static std::atomic<int> counter{0};
    const long long seconds = (long long)now();
    m_path = dir + (dir.empty() || dir.back() == '/' ? "" : "/") + "events.out.tfevents." +
             std::to_string(seconds) + "." + Platform::hostName() + "." +
             std::to_string(Platform::processId()) + "." + std::to_string(counter++);
    m_file = std::fopen(m_path.c_str(), "wb");
    if (!m_file)
        throw Error("log folder '" + dir + "' is not writable: " + std::strerror(errno));
    pb::Event version;
    version.set_wall_time(now());
    version.set_file_version("brain.Event:2");
    append(version.SerializeAsString());
    flush();
}

EventFileWriter::~EventFileWriter()
{
    try {
        close();
    } catch (...) {
        // Destructors stay silent; callers that care call close() themselves.
    }
}

bool EventFileWriter::firstUse(const std::string& tag)
{
    return m_tagsSeen.insert(tag).second;
}

void EventFileWriter::append(const std::string& event)
{
    if (!m_file)
        return;
    m_pending += frame(event);
}

void EventFileWriter::maybeFlush()
{
    if (std::chrono::steady_clock::now() - m_lastFlush >= kFlushInterval)
        flush();
}

void EventFileWriter::flush()
{
    if (!m_file)
        return;
    m_lastFlush = std::chrono::steady_clock::now();
    if (m_pending.empty())
        return;
    const size_t written = std::fwrite(m_pending.data(), 1, m_pending.size(), m_file);
    const bool ok = written == m_pending.size() && std::fflush(m_file) == 0;
    const auto size = int64_t(m_pending.size());
    m_pending.clear();
    if (!ok) {
        const std::string reason = std::strerror(errno);
        std::fclose(m_file);
        m_file = nullptr;
        // Back to the last whole record, so TensorBoard reads everything before the failure.
        std::error_code ignored;
        std::filesystem::resize_file(std::filesystem::u8path(m_path), uintmax_t(m_whole), ignored);
        throw Error(m_path + ": cannot write TensorBoard events (" + reason + "); logging stopped");
    }
    m_whole += size;
}

void EventFileWriter::close()
{
    if (!m_file)
        return;
    flush();
    if (m_file) {
        std::fclose(m_file);
        m_file = nullptr;
    }
}

void EventFileWriter::scalar(const std::string& tag, double value, int64_t step)
{
    pb::Event event = summaryEvent(step);
    auto* v = addValue(event, tag);
    v->set_simple_value(float(value));
    append(event.SerializeAsString());
    maybeFlush();
}

void EventFileWriter::image(const std::string& tag, const RgbImage& picture, int64_t step)
{
    pb::Event event = summaryEvent(step);
    auto* v = addValue(event, tag);
    auto* img = v->mutable_image();
    img->set_width(picture.width);
    img->set_height(picture.height);
    img->set_colorspace(3);
    img->set_encoded_image_string(picture.encodePng());
    append(event.SerializeAsString());
    maybeFlush();
}

void EventFileWriter::histogram(const std::string& tag, const Histogram& h, int64_t step)
{
    pb::Event event = summaryEvent(step);
    auto* v = addValue(event, tag);
    auto* histo = v->mutable_histo();
    histo->set_min(h.min);
    histo->set_max(h.max);
    histo->set_num(h.num);
    histo->set_sum(h.sum);
    histo->set_sum_squares(h.sumSquares);
    for (double limit : h.bucketLimits)
        histo->add_bucket_limit(limit);
    for (double count : h.buckets)
        histo->add_bucket(count);
    append(event.SerializeAsString());
    maybeFlush();
}

void EventFileWriter::text(const std::string& tag, const std::string& markdown, int64_t step)
{
    pb::Event event = summaryEvent(step);
    auto* v = addValue(event, tag);
    if (firstUse(tag)) {
        // Only a tag's first value carries metadata, as TensorFlow's writers do.
        auto* meta = v->mutable_metadata();
        meta->mutable_plugin_data()->set_plugin_name("text");
        meta->mutable_plugin_data()->set_content(pb::TextPluginData().SerializeAsString());
        meta->set_data_class(2);
    }
    auto* tensor = v->mutable_tensor();
    tensor->set_dtype(pb::DT_STRING);
    tensor->mutable_tensor_shape(); // rank 0
    tensor->add_string_val(markdown);
    append(event.SerializeAsString());
    maybeFlush();
}

void EventFileWriter::sessionStart(const std::map<std::string, HParamValue>& hparams,
                                   double startTime)
{
    pb::HParamsPluginData data;
    data.set_version(0);
    auto* start = data.mutable_session_start_info();
    start->set_start_time_secs(startTime);
    for (const auto& [name, value] : hparams) {
        google::protobuf::Value& out = (*start->mutable_hparams())[name];
        if (const auto* number = std::get_if<double>(&value))
            out.set_number_value(*number);
        else if (const auto* text = std::get_if<std::string>(&value))
            out.set_string_value(*text);
        else
            out.set_bool_value(std::get<bool>(value));
    }
    append(hparamsEvent("_hparams_/session_start_info", data).SerializeAsString());
    flush();
}

void EventFileWriter::experiment(const std::vector<HParamSpec>& hparams,
                                 const std::vector<MetricSpec>& metrics, double createdTime)
{
    pb::HParamsPluginData data;
    data.set_version(0);
    auto* experiment = data.mutable_experiment();
    experiment->set_time_created_secs(createdTime);
    for (const auto& spec : hparams) {
        auto* info = experiment->add_hparam_infos();
        info->set_name(spec.name);
        info->set_description(spec.description);
        info->set_type(std::holds_alternative<double>(spec.example)        ? pb::DATA_TYPE_FLOAT64
                       : std::holds_alternative<std::string>(spec.example) ? pb::DATA_TYPE_STRING
                                                                           : pb::DATA_TYPE_BOOL);
    }
    for (const auto& spec : metrics) {
        auto* info = experiment->add_metric_infos();
        info->mutable_name()->set_group(spec.group);
        info->mutable_name()->set_tag(spec.tag);
        info->set_display_name(spec.group + "/" + spec.tag);
        info->set_dataset_type(spec.validation ? pb::DATASET_VALIDATION : pb::DATASET_TRAINING);
    }
    append(hparamsEvent("_hparams_/experiment", data).SerializeAsString());
    flush();
}

void EventFileWriter::sessionEnd(bool success, double endTime)
{
    pb::HParamsPluginData data;
    data.set_version(0);
    auto* end = data.mutable_session_end_info();
    end->set_status(success ? pb::STATUS_SUCCESS : pb::STATUS_FAILURE);
    end->set_end_time_secs(endTime);
    append(hparamsEvent("_hparams_/session_end_info", data).SerializeAsString());
    flush();
}

} // namespace trainbench
