#pragma once

#include <cstdint>
#include <string>
#include <vector>

/// A test-only reader of TensorBoard event files, written from the format's description
/// (TFRecord framing + protobuf wire format with TensorBoard's field numbers), independent of
/// the writer's generated protobuf code.
namespace eventfile {

struct Value
{
    std::string tag;
    bool hasSimpleValue = false;
    float simpleValue = 0.0f;
    bool hasImage = false;
    int imageWidth = 0;
    int imageHeight = 0;
    int imageColorspace = 0;
    std::string imagePng;
    bool hasHistogram = false;
    double histMin = 0, histMax = 0, histNum = 0, histSum = 0, histSumSquares = 0;
    std::vector<double> bucketLimits;
    std::vector<double> buckets;
    bool hasTensor = false;
    int tensorDtype = 0;
    std::vector<std::string> tensorStrings;
    std::string pluginName;
    std::string pluginContent;
};

struct Event
{
    double wallTime = 0.0;
    int64_t step = 0;
    std::string fileVersion;
    std::vector<Value> values;
};

struct File
{
    std::vector<Event> events;
    bool truncated = false; ///< The file ends inside a record (read up to the last whole one).
    std::string error;      ///< A CRC or parse error stopped reading.
};

/// Reads a whole event file.
File read(const std::string& path);
/// Strings in a serialized protobuf message, for looking inside plugin contents.
std::vector<std::string> stringsIn(const std::string& message);

} // namespace eventfile
