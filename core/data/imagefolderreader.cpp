#include "data/imagefolderreader.h"

#include "data/datasetcache.h"
#include "trainbench/common/error.h"
#include "trainbench/data/image.h"
#include "trainbench/platform/platform.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

namespace trainbench {

namespace fs = std::filesystem;

namespace {

/// Largest side chosen automatically: bigger inputs make models slow to train on a CPU.
constexpr int kAutoSizeCap = 64;

struct Candidate
{
    std::string path; ///< Relative to the dataset folder, '/'-separated.
    int label = 0;
    bool test = false;
};

bool hidden(const fs::path& path)
{
    const std::string name = path.filename().u8string();
    return name.empty() || name[0] == '.';
}

std::vector<std::string> subfolders(const fs::path& dir)
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error))
        if (!hidden(entry.path()) && entry.is_directory(error))
            names.push_back(entry.path().filename().u8string());
    std::sort(names.begin(), names.end());
    return names;
}

/// Every non-hidden file under `folder`, sorted, as paths relative to `root`.
std::vector<std::string> filesUnder(const fs::path& root, const fs::path& folder)
{
    std::vector<std::string> files;
    std::string rootText = root.generic_u8string();
    if (!rootText.empty() && rootText.back() != '/')
        rootText += '/';
    std::error_code error;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied,
                                        error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        // Its own error code: a dangling link must not end the walk.
        std::error_code typeError;
        const bool directory = it->is_directory(typeError);
        if (hidden(it->path())) {
            if (directory)
                it.disable_recursion_pending();
            continue;
        }
        // The path below `root` by its prefix: fs::relative would resolve every component of
        // both paths on disk, for each of tens of thousands of files.
        if (!directory)
            files.push_back(it->path().generic_u8string().substr(rootText.size()));
    }
    if (error)
        throw Error("cannot list '" + folder.u8string() + "': " + error.message());
    std::sort(files.begin(), files.end());
    return files;
}

/// A fixed permutation from a seed, the same on every platform (std::shuffle is not).
void permute(std::vector<size_t>& items, uint64_t seed)
{
    uint64_t state = seed ^ 0x5DEECE66DULL;
    auto next = [&state] {
        uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    };
    for (size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[size_t(next() % i)]);
}

/// Runs `work(i)` for i in [0, count) on all cores; `work` must be safe to run in parallel. The
/// first exception any call throws (out of memory, say) stops the rest and is rethrown here
/// once every thread has joined.
template <typename F> void parallelFor(int64_t count, F work)
{
    const int threads = int(std::clamp<unsigned>(std::thread::hardware_concurrency(), 1u, 8u));
    std::atomic<int64_t> nextIndex{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto worker = [&] {
        try {
            for (int64_t i = nextIndex++; i < count; i = nextIndex++)
                work(i);
        } catch (...) {
            nextIndex = count;
            std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& thread : pool)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
}

std::string cacheKey(const std::string& dir, const std::vector<Candidate>& files,
                     const DatasetOptions& o)
{
    // Names, sizes and modification times: any change to the files makes a new key.
    uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](const std::string& text) {
        for (unsigned char c : text)
            h = (h ^ c) * 1099511628211ULL;
        h = (h ^ 0xFF) * 1099511628211ULL;
    };
    mix("v1 size=" + std::to_string(o.imageSize) + " color=" + toString(o.color) +
        " resize=" + toString(o.resize) + " test=" + std::to_string(o.testFraction) +
        " seed=" + std::to_string(o.splitSeed));
    std::string base = fs::u8path(dir).u8string();
    if (!base.empty() && base.back() != '/' && base.back() != '\\')
        base += '/';
    for (const auto& f : files) {
        int64_t size = -1, modified = -1;
        Platform::fileStamp(base + f.path, &size, &modified);
        mix(f.path + (f.test ? " test " : " train ") + std::to_string(f.label) + " " +
            std::to_string(size) + " " + std::to_string(modified));
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
}

} // namespace

bool ImageFolderReader::looksLike(const std::string& dir)
{
    return !subfolders(fs::u8path(dir)).empty();
}

Dataset ImageFolderReader::read(const std::string& dir, const DatasetOptions& options,
                                const LoadProgress& progress)
{
    options.validate();
    const fs::path root = fs::u8path(dir);
    auto report = [&](int64_t done, int64_t total, const std::string& stage) {
        if (progress)
            progress(done, total, stage);
    };

    // The layout: train/ and test/ holding class folders, or class folders only.
    const auto top = subfolders(root);
    const bool presplit = std::find(top.begin(), top.end(), "train") != top.end() &&
                          std::find(top.begin(), top.end(), "test") != top.end();
    const fs::path trainRoot = presplit ? root / "train" : root;
    const std::vector<std::string> classNames = subfolders(trainRoot);
    if (classNames.empty())
        throw Error("image folder '" + trainRoot.u8string() +
                    "' has no class subfolders (expected one folder of images per class)");
    if (classNames.size() > 256)
        throw Error("image folder '" + trainRoot.u8string() + "' has " +
                    std::to_string(classNames.size()) +
                    " class folders; at most 256 are supported");

    std::vector<Candidate> files;
    std::vector<std::string> skipped;
    auto collect = [&](const fs::path& base, bool test) {
        for (size_t c = 0; c < classNames.size(); ++c) {
            const fs::path folder = base / fs::u8path(classNames[c]);
            size_t images = 0;
            for (auto& path : filesUnder(root, folder)) {
                if (!Image::hasImageExtension(path)) {
                    skipped.push_back(path + ": not an image file (.png, .jpg, .jpeg, .bmp)");
                    continue;
                }
                files.push_back({path, int(c), test});
                ++images;
            }
            if (images == 0 && (!test || !presplit))
                throw Error("class folder '" + folder.u8string() + "' holds no images");
        }
    };
    collect(trainRoot, false);
    if (presplit) {
        for (const auto& name : subfolders(root / "test"))
            if (std::find(classNames.begin(), classNames.end(), name) == classNames.end())
                throw Error("test class folder '" + (root / "test" / fs::u8path(name)).u8string() +
                            "' has no training folder of the same name in '" +
                            trainRoot.u8string() + "'");
        collect(root / "test", true);
    }

    const std::string key = cacheKey(dir, files, options);
    const std::string cachePath = options.useCache ? DatasetCache::pathFor(dir, key) : "";
    if (options.useCache) {
        if (auto cached = DatasetCache::read(cachePath, key))
            return std::move(*cached);
    }

    // Pass 1: headers only, for the colour and the most common size.
    std::vector<Image::Header> headers(files.size());
    std::vector<std::string> problems(files.size());
    const auto total = int64_t(files.size());
    std::atomic<int64_t> done{0};
    std::atomic<int64_t> lastReported{0};
    std::mutex reporting;
    // One thread reports at a time, about every 1% (callbacks need not be thread-safe, and a
    // few hundred reports are plenty); a thread that finds another reporting goes on.
    auto step = [&](const std::string& stage) {
        const int64_t n = ++done;
        if ((n - lastReported.load()) * 100 < total)
            return;
        std::unique_lock<std::mutex> lock(reporting, std::try_to_lock);
        if (!lock.owns_lock() || (n - lastReported.load()) * 100 < total)
            return;
        lastReported = n;
        report(n, total, stage);
    };
    report(0, total, "reading image headers");
    parallelFor(total, [&](int64_t i) {
        try {
            headers[size_t(i)] =
                Image::readHeader((root / fs::u8path(files[size_t(i)].path)).u8string());
        } catch (const Error& e) {
            problems[size_t(i)] = e.what();
        }
        step("reading image headers");
    });
    bool color = false;
    std::map<std::pair<int, int>, int64_t> sizes;
    for (size_t i = 0; i < files.size(); ++i) {
        if (!problems[i].empty())
            continue;
        color = color || headers[i].color;
        ++sizes[{headers[i].width, headers[i].height}];
    }
    const int channels = options.color == ColorMode::Rgb    ? 3
                         : options.color == ColorMode::Gray ? 1
                                                            : (color ? 3 : 1);
    int size = options.imageSize;
    if (size == 0) {
        std::pair<int, int> common{0, 0};
        int64_t most = 0;
        for (const auto& [shape, count] : sizes)
            if (count > most)
                most = count, common = shape;
        size = std::clamp(std::max(common.first, common.second), 1, kAutoSizeCap);
    }

    // Pass 2: decode and resize each image straight into its slot of one block. A colour file
    // may hold a gray picture (many tools save gray as RGB): in auto mode the set is gray when
    // every decoded image is.
    const int64_t imageBytes = int64_t(channels) * size * size;
    std::vector<uint8_t> grayContent(files.size(), 1);
    std::vector<uint8_t> pixels(size_t(total * imageBytes));
    done = 0;
    lastReported = 0;
    report(0, total, "decoding images");
    parallelFor(total, [&](int64_t i) {
        if (problems[size_t(i)].empty()) {
            try {
                const Image image =
                    Image::load((root / fs::u8path(files[size_t(i)].path)).u8string(), channels);
                const auto planes = image.toSquarePlanes(size, options.resize);
                std::copy(planes.begin(), planes.end(), pixels.begin() + i * imageBytes);
                if (channels == 3) {
                    const int64_t plane = int64_t(size) * size;
                    grayContent[size_t(i)] = std::equal(planes.begin(), planes.begin() + plane,
                                                        planes.begin() + plane) &&
                                             std::equal(planes.begin(), planes.begin() + plane,
                                                        planes.begin() + 2 * plane);
                }
            } catch (const Error& e) {
                problems[size_t(i)] = e.what();
            }
        }
        step("decoding images");
    });
    report(total, total, "decoding images");
    int64_t setBytes = imageBytes;
    int setChannels = channels;
    if (channels == 3 && options.color == ColorMode::Auto &&
        std::all_of(grayContent.begin(), grayContent.end(), [](uint8_t g) { return g != 0; })) {
        setChannels = 1;
        setBytes = int64_t(size) * size;
    }

    // Split, then shuffle each part once so a shuffle buffer smaller than the set still mixes
    // the classes (the files come sorted by class).
    std::vector<std::vector<size_t>> byClass(classNames.size());
    std::vector<size_t> trainIndices, testIndices;
    for (size_t i = 0; i < files.size(); ++i) {
        if (!problems[i].empty()) {
            skipped.push_back(problems[i]);
            continue;
        }
        if (presplit)
            (files[i].test ? testIndices : trainIndices).push_back(i);
        else
            byClass[size_t(files[i].label)].push_back(i);
    }
    if (!presplit) {
        for (size_t c = 0; c < byClass.size(); ++c) {
            auto& members = byClass[c];
            if (members.empty()) {
                // Say why, with the first file's problem (a pipe, a damaged image...).
                std::string why;
                for (size_t i = 0; i < files.size() && why.empty(); ++i)
                    if (size_t(files[i].label) == c && !problems[i].empty())
                        why = " (" + problems[i] + ")";
                throw Error("class folder '" + (root / fs::u8path(classNames[c])).u8string() +
                            "' holds no image that could be decoded" + why);
            }
            permute(members, options.splitSeed + c);
            auto held = size_t(std::llround(double(members.size()) * options.testFraction));
            if (options.testFraction > 0.0 && members.size() >= 2)
                held = std::clamp<size_t>(held, 1, members.size() - 1);
            testIndices.insert(testIndices.end(), members.begin(), members.begin() + long(held));
            trainIndices.insert(trainIndices.end(), members.begin() + long(held), members.end());
        }
    }
    if (trainIndices.empty())
        throw Error("image folder '" + dir + "' has no training image that could be decoded");
    if (testIndices.empty())
        throw Error("image folder '" + dir +
                    "' has no test image (add a test/ folder, or a test fraction above 0)");
    permute(trainIndices, options.splitSeed ^ 0x7261696EULL);
    permute(testIndices, options.splitSeed ^ 0x74657374ULL);

    Dataset d;
    d.kind = DatasetKind::ImageFolder;
    std::string name = root.filename().u8string();
    if (name.empty())
        name = root.parent_path().filename().u8string();
    d.name = name;
    d.classNames = classNames;
    d.classes = int(classNames.size());
    d.skipped = skipped;
    for (auto [set, indices] :
         {std::pair{&d.train, &trainIndices}, std::pair{&d.test, &testIndices}}) {
        set->channels = setChannels;
        set->rows = set->cols = size;
        set->count = int64_t(indices->size());
        set->pixels.resize(size_t(set->count * setBytes));
        for (size_t k = 0; k < indices->size(); ++k) {
            const size_t i = (*indices)[k];
            // The first plane is the image when the set turned out gray.
            std::copy_n(pixels.begin() + int64_t(i) * imageBytes, setBytes,
                        set->pixels.begin() + int64_t(k) * setBytes);
            set->labels.push_back(uint8_t(files[i].label));
            set->sources.push_back(files[i].path);
        }
    }
    if (options.useCache && DatasetCache::write(cachePath, key, d))
        d.cachePath = cachePath;
    return d;
}

} // namespace trainbench
