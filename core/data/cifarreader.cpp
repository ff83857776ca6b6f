#include "data/cifarreader.h"

#include "trainbench/common/error.h"

#include <filesystem>
#include <fstream>

namespace trainbench {

namespace fs = std::filesystem;

namespace {

constexpr int kClasses = 10;

bool isFile(const fs::path& path)
{
    std::error_code error;
    return fs::is_regular_file(path, error);
}

void append(ImageSet& set, const fs::path& path)
{
    const std::string name = path.u8string();
    std::error_code error;
    const auto size = int64_t(fs::file_size(path, error));
    if (error)
        throw Error(name + ": cannot read: " + error.message());
    if (size == 0 || size % CifarReader::kRecordBytes != 0)
        throw Error(name + ": is " + std::to_string(size) +
                    " bytes, not a whole number of CIFAR-10 records (" +
                    std::to_string(CifarReader::kRecordBytes) + " bytes each)");
    // A batch holds 10,000 records; refuse anything wildly larger before allocating for it.
    if (size > 100 * 10000 * CifarReader::kRecordBytes)
        throw Error(name + ": is too large for a CIFAR-10 batch (" + std::to_string(size >> 20) +
                    " MB)");
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes(size_t(size), 0);
    in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
    if (in.gcount() != std::streamsize(size))
        throw Error(name + ": cannot read the whole file");
    const int64_t records = size / CifarReader::kRecordBytes;
    const int64_t imageBytes = CifarReader::kRecordBytes - 1;
    set.pixels.reserve(set.pixels.size() + size_t(records * imageBytes));
    for (int64_t r = 0; r < records; ++r) {
        const uint8_t* record = bytes.data() + r * CifarReader::kRecordBytes;
        if (record[0] >= kClasses)
            throw Error(name + ": record " + std::to_string(r + 1) + " has label " +
                        std::to_string(record[0]) + " (CIFAR-10 labels are 0 to 9)");
        set.labels.push_back(record[0]);
        set.pixels.insert(set.pixels.end(), record + 1, record + 1 + imageBytes);
    }
    set.count += records;
}

} // namespace

std::string CifarReader::batchFolder(const std::string& dir)
{
    for (const fs::path& folder : {fs::u8path(dir), fs::u8path(dir) / "cifar-10-batches-bin"})
        if (isFile(folder / "data_batch_1.bin") || isFile(folder / "test_batch.bin"))
            return folder.u8string();
    return {};
}

Dataset CifarReader::read(const std::string& dir)
{
    const std::string folderName = batchFolder(dir);
    if (folderName.empty())
        throw Error("data folder '" + dir + "' holds no CIFAR-10 batches (data_batch_1.bin ...)");
    const fs::path folder = fs::u8path(folderName);
    Dataset d;
    d.kind = DatasetKind::Cifar10;
    d.name = "cifar-10";
    for (ImageSet* set : {&d.train, &d.test}) {
        set->channels = 3;
        set->rows = set->cols = kSide;
    }
    for (int b = 1; b <= 5; ++b) {
        const fs::path path = folder / ("data_batch_" + std::to_string(b) + ".bin");
        if (isFile(path))
            append(d.train, path);
    }
    if (d.train.count == 0)
        throw Error("CIFAR-10 folder '" + folderName +
                    "' has no training batch (data_batch_1.bin)");
    const fs::path test = folder / "test_batch.bin";
    if (!isFile(test))
        throw Error("CIFAR-10 folder '" + folderName + "' has no test_batch.bin");
    append(d.test, test);

    d.classes = kClasses;
    std::ifstream meta(folder / "batches.meta.txt");
    std::string line;
    while (meta && std::getline(meta, line) && int(d.classNames.size()) < kClasses) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty())
            d.classNames.push_back(line);
    }
    if (int(d.classNames.size()) != kClasses) // no or short meta file: the published names
        d.classNames = {"airplane", "automobile", "bird",  "cat",  "deer",
                        "dog",      "frog",       "horse", "ship", "truck"};
    return d;
}

} // namespace trainbench
