// Datasets users bring: class folders of PNG, JPEG and BMP files, CIFAR-10 batches, the decoded
// cache, resizing, and augmentation, checked against MNIST's IDX files and files written here.
#include "data/batchloader.h"
#include "track/rgbimage.h"
#include "track/summaryimages.h"
#include "trainbench/common/error.h"
#include "trainbench/data/augmentation.h"
#include "trainbench/data/dataset.h"
#include "trainbench/data/image.h"
#include "trainbench/infer/grayimage.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/train/trainer.h"

#include <QtTest>

#include <cstdio>
#include <cstring>
#include <jpeglib.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>

using namespace trainbench;
namespace fs = std::filesystem;

namespace {

const std::string kData = TRAINBENCH_TEST_DATA_DIR;

void writeBytes(const fs::path& path, const std::string& bytes)
{
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

/// A gray picture saved as an RGB PNG (as many tools do) through the encoder TensorBoard's
/// images use: the folder reader must still find the set gray.
void writeGrayPng(const fs::path& path, const uint8_t* pixels, int width, int height)
{
    RgbImage image(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const uint32_t v = pixels[y * width + x];
            image.set(x, y, v << 16 | v << 8 | v);
        }
    writeBytes(path, image.encodePng());
}

void writeRgbPng(const fs::path& path, const RgbImage& image)
{
    writeBytes(path, image.encodePng());
}

void writeJpeg(const fs::path& path, const RgbImage& image, int quality)
{
    jpeg_compress_struct info;
    jpeg_error_mgr errors;
    info.err = jpeg_std_error(&errors);
    jpeg_create_compress(&info);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = JDIMENSION(image.width);
    info.image_height = JDIMENSION(image.height);
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<uint8_t*>(image.pixels.data()) +
                       size_t(info.next_scanline) * size_t(image.width) * 3;
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    writeBytes(path, std::string(reinterpret_cast<char*>(buffer), size));
    free(buffer);
    jpeg_destroy_compress(&info);
}

void writeBmp24(const fs::path& path, const RgbImage& image)
{
    const int stride = (image.width * 3 + 3) / 4 * 4;
    const uint32_t dataSize = uint32_t(stride * image.height);
    std::string b(54 + dataSize, '\0');
    auto put32 = [&b](size_t at, uint32_t v) {
        for (int i = 0; i < 4; ++i)
            b[at + size_t(i)] = char(v >> (8 * i));
    };
    b[0] = 'B', b[1] = 'M';
    put32(2, uint32_t(b.size()));
    put32(10, 54);
    put32(14, 40);
    put32(18, uint32_t(image.width));
    put32(22, uint32_t(image.height)); // bottom-up, the usual order
    b[26] = 1, b[28] = 24;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const uint32_t rgb = image.at(x, y);
            const size_t at = 54 + size_t(image.height - 1 - y) * size_t(stride) + size_t(x) * 3;
            b[at] = char(rgb & 0xFF), b[at + 1] = char(rgb >> 8 & 0xFF),
            b[at + 2] = char(rgb >> 16);
        }
    writeBytes(path, b);
}

/// A one-row 16-bit gray PNG written by hand: IHDR, one zlib-compressed IDAT, IEND, no gAMA.
std::string sixteenBitGrayPng(const std::vector<uint16_t>& samples)
{
    auto be32 = [](uint32_t v) {
        return std::string{char(v >> 24), char(v >> 16 & 0xFF), char(v >> 8 & 0xFF),
                           char(v & 0xFF)};
    };
    auto chunk = [&](const std::string& type, const std::string& data) {
        const std::string body = type + data;
        const uint32_t crc =
            uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size())));
        return be32(uint32_t(data.size())) + body + be32(crc);
    };
    std::string raw(1, '\0'); // filter type 0
    for (uint16_t v : samples)
        raw += std::string{char(v >> 8), char(v & 0xFF)};
    std::string packed(compressBound(uLong(raw.size())), '\0');
    uLongf size = uLongf(packed.size());
    compress(reinterpret_cast<Bytef*>(packed.data()), &size,
             reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()));
    packed.resize(size);
    const std::string header =
        be32(uint32_t(samples.size())) + be32(1) + std::string{16, 0, 0, 0, 0};
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", header) + chunk("IDAT", packed) +
           chunk("IEND", "");
}

/// A coloured shape per class: red squares, green discs, blue horizontal bars, at random
/// places and sizes, on a noisy gray background.
RgbImage shape(int cls, uint32_t seed)
{
    std::mt19937 random(seed);
    RgbImage image(24, 24);
    for (int y = 0; y < 24; ++y)
        for (int x = 0; x < 24; ++x) {
            const uint32_t v = 60 + random() % 40;
            image.set(x, y, v << 16 | v << 8 | v);
        }
    const int cx = 7 + int(random() % 10), cy = 7 + int(random() % 10), r = 3 + int(random() % 3);
    const uint32_t colours[] = {0xD02020, 0x20C030, 0x3040E0};
    for (int y = 0; y < 24; ++y)
        for (int x = 0; x < 24; ++x) {
            const bool inside = cls == 0   ? std::abs(x - cx) <= r && std::abs(y - cy) <= r
                                : cls == 1 ? (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
                                           : std::abs(y - cy) <= 1 && std::abs(x - cx) <= r + 3;
            if (inside)
                image.set(x, y, colours[cls]);
        }
    return image;
}

std::string cifarRecord(uint8_t label, uint8_t base)
{
    std::string record(1 + 3072, '\0');
    record[0] = char(label);
    for (int i = 0; i < 3072; ++i)
        record[size_t(1 + i)] = char(uint8_t(base + i / 1024 * 50 + i % 7));
    return record;
}

template <typename F> QString errorOf(F call)
{
    try {
        call();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestImageFolder : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Dataset m_idx;
    fs::path m_mnistPng; ///< 600 training and 200 test MNIST images as class folders of PNGs.

    static constexpr int64_t kTrain = 600, kTest = 200;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_idx = Dataset::loadFolder(kData);
        m_idx.limit(kTrain, kTest);
        m_mnistPng = fs::path(m_dir.path().toStdString()) / "mnist-png";
        for (auto [set, part] : {std::pair{&m_idx.train, "train"}, std::pair{&m_idx.test, "test"}})
            for (int64_t i = 0; i < set->count; ++i)
                writeGrayPng(m_mnistPng / part / std::to_string(set->labels[size_t(i)]) /
                                 (std::to_string(i) + ".png"),
                             set->image(i), set->cols, set->rows);
    }

    void pngFolderHoldsTheIdxPixelsAndLabels()
    {
        QCOMPARE(Dataset::detect(m_mnistPng.string()), DatasetKind::ImageFolder);
        DatasetOptions options;
        options.useCache = false;
        const Dataset d = Dataset::load(m_mnistPng.string(), options);
        QCOMPARE(d.kind, DatasetKind::ImageFolder);
        QCOMPARE(d.classes, 10);
        QVERIFY(d.digits());
        QCOMPARE(d.train.count, kTrain);
        QCOMPARE(d.test.count, kTest);
        QCOMPARE(d.train.channels, 1); // gray pictures in RGB files: gray, from the pixels
        QCOMPARE(d.train.rows, 28);    // the most common size
        QVERIFY(d.skipped.empty());
        for (auto [set, idx] :
             {std::pair{&d.train, &m_idx.train}, std::pair{&d.test, &m_idx.test}}) {
            for (int64_t k = 0; k < set->count; ++k) {
                // "train/7/123.png": image 123 of the IDX slice.
                const std::string source = set->sources[size_t(k)];
                const int64_t i = std::stoll(fs::path(source).stem().string());
                QCOMPARE(int(set->labels[size_t(k)]), int(idx->labels[size_t(i)]));
                QVERIFY(std::equal(set->image(k), set->image(k) + set->imageSize(), idx->image(i)));
            }
        }
        // Shuffled once, so a shuffle buffer smaller than the set still mixes the classes.
        QVERIFY(d.train.labels[0] != d.train.labels[1] || d.train.labels[1] != d.train.labels[2]);
    }

    void folderTrainsLikeTheIdxFiles()
    {
        auto train = [](std::shared_ptr<Dataset> data) {
            TrainingConfig config;
            config.dataDir = "unused";
            config.epochs = 2;
            config.shuffleBuffer = TrainingConfig::kFullShuffle;
            Trainer trainer(config);
            trainer.setDataset(data);
            if (!trainer.run())
                throw Error(trainer.lastError());
            return trainer.history().back().testAccuracy;
        };
        DatasetOptions options;
        options.useCache = false;
        const double folder =
            train(std::make_shared<Dataset>(Dataset::load(m_mnistPng.string(), options)));
        const double idx = train(std::make_shared<Dataset>(m_idx));
        QVERIFY2(folder > 0.75 && idx > 0.75, qPrintable(QString("%1 %2").arg(folder).arg(idx)));
        QVERIFY2(std::abs(folder - idx) < 0.06,
                 qPrintable(QString("%1 vs %2").arg(folder).arg(idx)));
    }

    void secondLoadComesFromTheCacheAndChangesInvalidateIt()
    {
        const fs::path dir = fs::path(m_dir.path().toStdString()) / "cached";
        fs::copy(m_mnistPng, dir, fs::copy_options::recursive);
        const Dataset first = Dataset::load(dir.string());
        QVERIFY(!first.fromCache);
        QVERIFY(fs::exists(first.cachePath));
        QVERIFY(first.cachePath.find((dir / ".trainbench").string()) == 0);
        const Dataset second = Dataset::load(dir.string());
        QVERIFY(second.fromCache);
        QVERIFY(second.train.pixels == first.train.pixels);
        QVERIFY(second.test.labels == first.test.labels);
        QVERIFY(second.train.sources == first.train.sources);
        QVERIFY(second.classNames == first.classNames);
        // Another image: a new key, decoded again, and the stale cache removed.
        fs::copy_file(dir / "train" / "3" / "7.png", dir / "train" / "3" / "extra.png");
        const Dataset third = Dataset::load(dir.string());
        QVERIFY(!third.fromCache);
        QCOMPARE(third.train.count, kTrain + 1);
        QVERIFY(!fs::exists(first.cachePath));
        // A damaged cache is decoded again, never trusted.
        {
            std::ofstream(third.cachePath, std::ios::binary | std::ios::trunc) << "TBDSET01garbage";
        }
        const Dataset fourth = Dataset::load(dir.string());
        QVERIFY(!fourth.fromCache);
        QCOMPARE(fourth.train.count, kTrain + 1);
    }

    void singleTreeIsSplitPerClassBySeed()
    {
        const fs::path dir = fs::path(m_dir.path().toStdString()) / "single";
        for (int64_t i = 0; i < 200; ++i)
            writeGrayPng(dir / std::to_string(m_idx.train.labels[size_t(i)]) /
                             (std::to_string(i) + ".png"),
                         m_idx.train.image(i), 28, 28);
        DatasetOptions options;
        options.useCache = false;
        options.testFraction = 0.25;
        const Dataset a = Dataset::load(dir.string(), options);
        QCOMPARE(a.train.count + a.test.count, int64_t(200));
        std::map<int, int> perClass, tested;
        for (int64_t i = 0; i < 200; ++i)
            ++perClass[m_idx.train.labels[size_t(i)]];
        for (uint8_t label : a.test.labels)
            ++tested[label];
        for (auto [label, n] : perClass)
            QVERIFY2(std::abs(tested[label] - n * 0.25) <= 1.0, qPrintable(QString::number(label)));
        const Dataset again = Dataset::load(dir.string(), options);
        QVERIFY(again.test.sources == a.test.sources);
        options.splitSeed = 7;
        const Dataset other = Dataset::load(dir.string(), options);
        QVERIFY(other.test.sources != a.test.sources);
    }

    void jpegBmpAndColourAreDecoded()
    {
        const fs::path dir = fs::path(m_dir.path().toStdString()) / "formats";
        RgbImage image(16, 12, 0x000000);
        image.fill(0, 0, 8, 12, 0xFF0000);
        image.fill(8, 0, 8, 12, 0x0000FF);
        writeJpeg(dir / "a.jpg", image, 95);
        writeBmp24(dir / "a.bmp", image);
        const Image jpeg = Image::load((dir / "a.jpg").string(), 3);
        QCOMPARE(jpeg.width, 16);
        QCOMPARE(jpeg.height, 12);
        QVERIFY(Image::readHeader((dir / "a.jpg").string()).color);
        QVERIFY(jpeg.pixels[0] > 200 && jpeg.pixels[2] < 60);               // red on the left
        QVERIFY(jpeg.pixels[15 * 3] < 60 && jpeg.pixels[15 * 3 + 2] > 200); // blue on the right
        const Image bmp = Image::load((dir / "a.bmp").string(), 3);
        QVERIFY(bmp.pixels == image.pixels); // lossless
        const Image gray = Image::load((dir / "a.bmp").string(), 1);
        QCOMPARE(int(gray.pixels[0]), (299 * 255 + 500) / 1000);
        // Fit keeps the shape (16x12 -> 8x6 centred, black above and below); stretch fills.
        const auto fit = bmp.toSquarePlanes(8, ResizePolicy::Fit);
        QCOMPARE(fit.size(), size_t(3 * 8 * 8));
        QCOMPARE(int(fit[0]), 0);               // red plane, top row: padding
        QCOMPARE(int(fit[size_t(3 * 8)]), 255); // red plane, row 3, left: red
        const auto stretch = bmp.toSquarePlanes(8, ResizePolicy::Stretch);
        QCOMPARE(int(stretch[0]), 255);
        QCOMPARE(int(stretch[size_t(2 * 64 + 7)]), 255); // blue plane, top right
    }

    void sixteenBitPngsAndEveryPgmReadAsEightBit()
    {
        const fs::path dir = fs::path(m_dir.path().toStdString()) / "depths";
        fs::create_directories(dir);
        // A 16-bit gray PNG (no gAMA chunk, as most tools write them) holding 0, 257 * 100 and
        // 65535: 0, 100 and 255 in 8 bits, not brightened by a linear-light conversion.
        const std::string wide = (dir / "wide.png").string();
        writeBytes(wide, sixteenBitGrayPng({0, 25700, 65535}));
        const Image colour = Image::load(wide, 1);
        QCOMPARE(int(colour.pixels[1]), 100);
        const GrayImage drawing = GrayImage::load(wide);
        QCOMPARE(int(drawing.pixels[0]), 0);
        QCOMPARE(int(drawing.pixels[1]), 100);
        QCOMPARE(int(drawing.pixels[2]), 255);
        // PGMs with comments, a small maxval, plain text, and 16-bit samples.
        writeBytes(dir / "comment.pgm", std::string("P5\n# made by hand\n3 1\n# max\n15\n") +
                                            std::string("\x00\x07\x0f", 3));
        const GrayImage small = GrayImage::load((dir / "comment.pgm").string());
        QCOMPARE(int(small.pixels[1]), (7 * 255 + 7) / 15);
        QCOMPARE(int(small.pixels[2]), 255);
        writeBytes(dir / "plain.pgm", "P2\n3 1 255\n0 128 255\n");
        QCOMPARE(int(GrayImage::load((dir / "plain.pgm").string()).pixels[1]), 128);
        writeBytes(dir / "deep.pgm",
                   std::string("P5 2 1 65535\n") + std::string("\xff\xff\x80\x00", 4));
        const GrayImage deep = GrayImage::load((dir / "deep.pgm").string());
        QCOMPARE(int(deep.pixels[0]), 255);
        QCOMPARE(int(deep.pixels[1]), 128);
        writeBytes(dir / "bad.pgm", "P5\n3 1\n70000\n");
        QVERIFY(errorOf([&] { GrayImage::load((dir / "bad.pgm").string()); }).contains("maxval"));
    }

    void colourShapesTrainAboveChance()
    {
        const fs::path dir = fs::path(m_dir.path().toStdString()) / "shapes";
        const char* names[] = {"red square", "green disc", "blue bar"};
        for (int c = 0; c < 3; ++c)
            for (int i = 0; i < 120; ++i) {
                const RgbImage image = shape(c, uint32_t(c * 1000 + i));
                const fs::path path = dir / names[c] / ("s" + std::to_string(i));
                if (i % 2)
                    writeRgbPng(path.string() + ".png", image);
                else
                    writeJpeg(path.string() + ".jpg", image, 90);
            }
        DatasetOptions options;
        options.useCache = false;
        auto data = std::make_shared<Dataset>(Dataset::load(dir.string(), options));
        QCOMPARE(data->train.channels, 3);
        QCOMPARE(data->train.rows, 24);
        QVERIFY(!data->digits());
        QCOMPARE(data->classNames,
                 (std::vector<std::string>{"blue bar", "green disc", "red square"}));
        TrainingConfig config;
        config.dataDir = dir.string();
        config.modelName = "color-cnn";
        config.epochs = 6;
        config.augmentation = Augmentation::parse("shift=2,flip");
        Trainer trainer(config);
        trainer.setDataset(data);
        QVERIFY2(trainer.run(), trainer.lastError().c_str());
        const double accuracy = trainer.history().back().testAccuracy;
        QVERIFY2(accuracy > 0.6, qPrintable(QString::number(accuracy))); // chance: 1/3
        // The trained model answers for a colour file by name, resized as its data was.
        const auto predictor = trainer.predictor();
        QCOMPARE(predictor->classNames()[0], std::string("blue bar"));
        QVERIFY(!predictor->digits());
        const auto answer =
            predictor->predictImage(Image::load((dir / "red square" / "s1.png").string(), 3));
        QVERIFY(answer.has_value());
        QCOMPARE(int(answer->probabilities.size()), 3);
    }

    void damagedAndNonImageFilesAreSkippedAndCounted()
    {
        const fs::path dir = fs::path(m_dir.path().toStdString()) / "damaged";
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < 6; ++i)
                writeGrayPng(dir / ("class" + std::to_string(c)) / (std::to_string(i) + ".png"),
                             m_idx.train.image(i), 28, 28);
        const std::string png = RgbImage(28, 28).encodePng();
        writeBytes(dir / "class0" / "truncated.png", png.substr(0, png.size() / 2));
        writeBytes(dir / "class1" / "random.jpg", std::string(500, '\x5A'));
        writeBytes(dir / "class1" / "notes.txt", "not an image");
        writeBytes(dir / "class1" / ".DS_Store", "hidden files are not counted");
        DatasetOptions options;
        options.useCache = false;
        const Dataset d = Dataset::load(dir.string(), options);
        QCOMPARE(d.train.count + d.test.count, int64_t(12));
        QCOMPARE(int(d.skipped.size()), 3);
        const std::string all = d.skipped[0] + d.skipped[1] + d.skipped[2];
        for (const char* name : {"truncated.png", "random.jpg", "notes.txt"})
            QVERIFY2(all.find(name) != std::string::npos, name);
    }

    void emptyClassesAndFoldersAreClearErrors()
    {
        const fs::path root = fs::path(m_dir.path().toStdString());
        fs::create_directories(root / "nothing");
        QVERIFY(errorOf([&] {
                    Dataset::detect((root / "nothing").string());
                }).contains("holds no dataset"));
        writeGrayPng(root / "oneempty" / "a" / "1.png", m_idx.train.image(0), 28, 28);
        fs::create_directories(root / "oneempty" / "b");
        const QString empty = errorOf([&] { Dataset::load((root / "oneempty").string()); });
        QVERIFY2(empty.contains("oneempty/b") && empty.contains("holds no images"),
                 qPrintable(empty));
        writeBytes(root / "allbroken" / "a" / "1.png", "junk");
        writeBytes(root / "allbroken" / "b" / "1.png", "junk");
        const QString broken = errorOf([&] { Dataset::load((root / "allbroken").string()); });
        QVERIFY2(broken.contains("no image that could be decoded"), qPrintable(broken));
        const QString fifo = errorOf([&] { Image::load((root / "nothing").string(), 1); });
        QVERIFY2(fifo.contains("is a folder"), qPrintable(fifo));
    }

    void cifarBatchesReadBack()
    {
        const fs::path dir =
            fs::path(m_dir.path().toStdString()) / "cifar" / "cifar-10-batches-bin";
        std::string train, test;
        for (int i = 0; i < 30; ++i)
            train += cifarRecord(uint8_t(i % 10), uint8_t(i));
        for (int i = 0; i < 10; ++i)
            test += cifarRecord(uint8_t(9 - i), uint8_t(100 + i));
        writeBytes(dir / "data_batch_1.bin", train);
        writeBytes(dir / "data_batch_2.bin", train.substr(0, 3073 * 5));
        writeBytes(dir / "test_batch.bin", test);
        writeBytes(dir / "batches.meta.txt",
                   "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        const std::string parent = dir.parent_path().string();
        QCOMPARE(Dataset::detect(parent), DatasetKind::Cifar10);
        const Dataset d = Dataset::load(parent);
        QCOMPARE(d.train.count, int64_t(35));
        QCOMPARE(d.test.count, int64_t(10));
        QCOMPARE(d.train.channels, 3);
        QCOMPARE(d.train.rows, 32);
        QCOMPARE(d.classNames[9], std::string("truck"));
        QCOMPARE(int(d.train.labels[13]), 3);
        QCOMPARE(int(d.train.image(13)[0]), 13);                    // red plane first
        QCOMPARE(int(d.train.image(13)[1024]), 13 + 50 + 1024 % 7); // then green
        QCOMPARE(int(d.test.labels[0]), 9);
        // A file that is not whole records, and a label out of range, are named.
        writeBytes(dir / "data_batch_3.bin", train.substr(0, 5000));
        QVERIFY(errorOf([&] { Dataset::load(parent); }).contains("data_batch_3.bin"));
        fs::remove(dir / "data_batch_3.bin");
        writeBytes(dir / "test_batch.bin", cifarRecord(12, 0));
        QVERIFY(errorOf([&] { Dataset::load(parent); }).contains("label 12"));
    }

    void augmentationKeepsLabelsAndIsReproducible()
    {
        ImageSet set = m_idx.train.slice(0, 64);
        std::vector<int64_t> order(64);
        std::iota(order.begin(), order.end(), 0);
        auto batch = [&](const std::string& augment, uint64_t seed, int epoch) {
            BatchLoader loader(set, 64);
            loader.setAugmentation(Augmentation::parse(augment), seed);
            loader.start(order, epoch);
            BatchLoader::Batch b;
            if (!loader.next(b))
                throw Error("no batch");
            return std::pair{b.images.clone(), b.labels.clone()};
        };
        const auto [plain, plainLabels] = batch("off", 0, 0);
        const auto [a, aLabels] = batch("shift=2,rotate=10,scale=0.1", 1, 0);
        const auto [b, bLabels] = batch("shift=2,rotate=10,scale=0.1", 1, 0);
        const auto [c, cLabels] = batch("shift=2,rotate=10,scale=0.1", 2, 0);
        const auto [d, dLabels] = batch("shift=2,rotate=10,scale=0.1", 1, 1);
        QVERIFY(torch::equal(plainLabels, aLabels));
        QVERIFY(torch::equal(a, b));  // same seed, same epoch: same images
        QVERIFY(!torch::equal(a, c)); // another seed
        QVERIFY(!torch::equal(a, d)); // another epoch
        QVERIFY(!torch::equal(a, plain));
        // Small changes: ink is moved, not lost.
        const double ratio = a.sum().item<double>() / plain.sum().item<double>();
        QVERIFY2(ratio > 0.85 && ratio < 1.2, qPrintable(QString::number(ratio)));
        // A flip alone mirrors (about half the images) exactly.
        const auto [f, fLabels] = batch("flip", 3, 0);
        int mirrored = 0;
        for (int i = 0; i < 64; ++i) {
            if (torch::equal(f[i], plain[i].flip({2})) && !torch::equal(f[i], plain[i]))
                ++mirrored;
            else
                QVERIFY(torch::equal(f[i], plain[i]));
        }
        QVERIFY2(mirrored > 16 && mirrored < 48, qPrintable(QString::number(mirrored)));
        QCOMPARE(QString::fromStdString(Augmentation::parse("rotate=10,shift=2,flip").toString()),
                 QString("shift=2,rotate=10,flip"));
        QVERIFY(errorOf([] { Augmentation::parse("shift=-1"); }).contains("shift"));
        QVERIFY(
            errorOf([] { Augmentation::parse("twist=3"); }).contains("unknown setting 'twist=3'"));
        QVERIFY(errorOf([] { Augmentation::parse("rotate=abc"); }).contains("needs a number"));
    }

    void tensorBoardImagesShowColourAndNames()
    {
        SamplePrediction red;
        red.channels = 3;
        red.rows = red.cols = 8;
        red.pixels.assign(3 * 64, 0);
        std::fill_n(red.pixels.begin(), 64, uint8_t(250)); // red plane only
        red.label = 0;
        red.predicted = 1;
        const std::vector<std::string> names = {"red square", "green disc", "blue bar"};
        const RgbImage grid = SummaryImages::predictionGrid({red}, names);
        bool sawRed = false;
        for (int y = 0; y < grid.height; ++y)
            for (int x = 0; x < grid.width; ++x)
                sawRed = sawRed || grid.at(x, y) == 0xFA0000;
        QVERIFY(sawRed);
        // Names need room: wider than a digit grid's cell.
        SamplePrediction digit = red;
        const RgbImage digits = SummaryImages::predictionGrid({digit});
        QVERIFY(grid.width > digits.width);
        QCOMPARE(RgbImage::printable("Ankle boot", 10), std::string("ANKLE BOOT"));
        QCOMPARE(RgbImage::printable("t-shirt/top (v2)", 16), std::string("T-SHIRT/TOP  V2 "));
    }

    void cliTrainsAFolderAndPredictsClassNames()
    {
        const QString dir = QString::fromStdString(m_mnistPng.string());
        const QString runs = m_dir.filePath("cli-runs");
        const QString model = m_dir.filePath("folder.ckpt");
        QProcess train;
        train.start(TRAINBENCH_CLI_PATH, {"train", "--data", dir, "--epochs", "1", "--runs", runs,
                                          "--save", model, "--augment", "shift=1"});
        QVERIFY(train.waitForFinished(180000));
        const QString err = QString::fromUtf8(train.readAllStandardError());
        QVERIFY2(train.exitCode() == 0, qPrintable(err));
        QVERIFY2(
            err.contains("image folder, 10 classes, 28x28 gray, 600 training / 200 test images"),
            qPrintable(err));
        QVERIFY(QString::fromUtf8(train.readAllStandardOutput()).contains("Epoch 1,"));
        QProcess predict;
        const QString image =
            QString::fromStdString((m_mnistPng / "test" / "7" / "0.png").string());
        predict.start(TRAINBENCH_CLI_PATH, {"predict", "--model", model, "--json", image});
        QVERIFY(predict.waitForFinished(60000));
        const QString out = QString::fromUtf8(predict.readAllStandardOutput());
        QVERIFY2(predict.exitCode() == 0, qPrintable(predict.readAllStandardError()));
        QVERIFY2(out.contains("\"class\":\"") && out.contains("\"index\":") &&
                     out.contains("\"digit\":"),
                 qPrintable(out));
        QProcess bad;
        bad.start(TRAINBENCH_CLI_PATH, {"train", "--data", dir, "--augment", "spin=3"});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains("spin=3"));
    }
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
