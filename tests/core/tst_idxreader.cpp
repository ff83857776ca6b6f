#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/data/idxreader.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace trainbench;

namespace {

const QString kData = QStringLiteral(TRAINBENCH_TEST_DATA_DIR);

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

void writeAll(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray gzip(const QByteArray& bytes)
{
    QProcess process;
    process.start(QStringLiteral("gzip"), {QStringLiteral("-c"), QStringLiteral("-1")});
    process.write(bytes);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    return process.readAllStandardOutput();
}

QByteArray header(quint8 type, const QList<quint32>& dims)
{
    QByteArray bytes;
    bytes.append(char(0)).append(char(0)).append(char(type)).append(char(dims.size()));
    for (quint32 d : dims) {
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.append(char((d >> shift) & 0xFF));
    }
    return bytes;
}

/// Runs `action`, expecting an Error whose message contains every fragment.
template <typename F> void expectError(F action, const QStringList& fragments)
{
    try {
        action();
        QFAIL("no error was raised");
    } catch (const Error& e) {
        const QString message = QString::fromUtf8(e.what());
        for (const auto& fragment : fragments)
            QVERIFY2(message.contains(fragment),
                     qPrintable("'" + fragment + "' not in: " + message));
    }
}

} // namespace

class TestIdxReader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kData + "/train-images-idx3-ubyte"),
                 qPrintable("MNIST is missing in " + kData + "; scripts/test.sh fetches it"));
    }

    void readsRealMnist()
    {
        const ImageSet train =
            IdxReader::readImages((kData + "/train-images-idx3-ubyte").toStdString());
        QCOMPARE(train.count, 60000);
        QCOMPARE(train.rows, 28);
        QCOMPARE(train.cols, 28);
        QCOMPARE(train.pixels.size(), size_t(60000 * 28 * 28));
        const auto labels =
            IdxReader::readLabels((kData + "/train-labels-idx1-ubyte").toStdString(), 10);
        QCOMPARE(labels.size(), size_t(60000));
        QCOMPARE(int(labels[0]), 5); // MNIST's first training digit is a 5
        // The first image has ink in its middle and none in its corner.
        QCOMPARE(int(train.image(0)[0]), 0);
        QVERIFY(*std::max_element(train.image(0), train.image(1)) == 255);
    }

    void loadsFolderWithBothSets()
    {
        const Dataset data = Dataset::loadFolder(kData.toStdString());
        QCOMPARE(data.train.count, 60000);
        QCOMPARE(data.test.count, 10000);
        QCOMPARE(int(data.test.labels[0]), 7);
        QCOMPARE(data.classes, 10);
    }

    void readsGzipLikeRaw()
    {
        QTemporaryDir dir;
        const QByteArray raw = readAll(kData + "/t10k-labels-idx1-ubyte");
        writeAll(dir.filePath("labels.gz"), gzip(raw));
        const auto fromGz = IdxReader::readLabels(dir.filePath("labels.gz").toStdString(), 10);
        const auto fromRaw =
            IdxReader::readLabels((kData + "/t10k-labels-idx1-ubyte").toStdString(), 10);
        QCOMPARE(fromGz, fromRaw);
    }

    void splitsAndLimits()
    {
        Dataset data = Dataset::loadFolder(kData.toStdString());
        const uint8_t lastLabel = data.train.labels.back();
        data.splitValidation(0.1);
        QCOMPARE(data.train.count, 54000);
        QCOMPARE(data.validation.count, 6000);
        QCOMPARE(data.validation.labels.back(), lastLabel);
        const Dataset part = data.sliced(2000, 0);
        QCOMPARE(part.train.count, 2000);
        QCOMPARE(part.test.count, 10000);
        QCOMPARE(part.validation.count, 6000);
        QVERIFY(part.train.pixels.size() == size_t(2000 * 784)); // only what was asked for
        QVERIFY(std::equal(part.train.pixels.begin(), part.train.pixels.end(),
                           data.train.pixels.begin()));
        QCOMPARE(part.classNames, data.classNames);
        data.limit(2000, 500);
        QCOMPARE(data.train.count, 2000);
        QCOMPARE(data.test.count, 500);
    }

    void rejectsDamagedFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("compress");
        QTest::addColumn<QString>("problem");
        const QByteArray labels = readAll(kData + "/t10k-labels-idx1-ubyte");
        QByteArray wrongMagic = labels;
        wrongMagic[0] = 'P';
        wrongMagic[1] = 'K';
        QByteArray floatType = labels;
        floatType[2] = char(0x0D);
        QTest::newRow("wrong magic") << wrongMagic << false << "wrong magic";
        QTest::newRow("float data") << floatType << false << "unsupported IDX data type 0x0D";
        QTest::newRow("truncated") << labels.left(5000) << false << "truncated";
        QTest::newRow("truncated gzip") << labels.left(5000) << true << "truncated";
        QTest::newRow("trailing bytes") << labels + "xyz" << false << "unexpected bytes";
        QTest::newRow("empty") << QByteArray() << false << "too short";
        QTest::newRow("header only") << labels.left(6) << false << "truncated header";
        // 4 billion x 65535 x 65535 would be petabytes: refused before any allocation.
        QTest::newRow("absurd dimensions")
            << header(0x08, {4000000000u, 65535, 65535}) + "abc" << false << "absurd dimensions";
        QTest::newRow("absurd dimensions gzip")
            << header(0x08, {4000000000u, 65535, 65535}) + "abc" << true << "absurd dimensions";
        // 100 MB declared in a gzip file of a few dozen bytes: refused before inflating.
        QTest::newRow("lying header gzip") << header(0x08, {100000000u}) + QByteArray(100, 'x')
                                           << true << "decompression bomb or a damaged header";
        QTest::newRow("lying header gzip, plausible size")
            << header(0x08, {5000u}) + QByteArray(100, 'x') << true << "truncated";
        QTest::newRow("six dimensions")
            << header(0x08, {1, 1, 1, 1, 1, 1}) << false << "number of dimensions 6";
    }

    void rejectsDamagedFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, compress);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(compress ? "damaged.gz" : "damaged");
        writeAll(path, compress ? gzip(bytes) : bytes);
        expectError([&] { IdxReader::read(path.toStdString()); }, {path, problem});
    }

    void rejectsBadLabelsAndShapes()
    {
        QTemporaryDir dir;
        const QString labels = dir.filePath("labels");
        writeAll(labels, header(0x08, {3}) + QByteArray("\x01\x0c\x02", 3));
        expectError([&] { IdxReader::readLabels(labels.toStdString(), 10); },
                    {labels, "label 12 at index 1 is out of range 0-9"});
        expectError([&] { IdxReader::readImages(labels.toStdString()); },
                    {labels, "expected an images file with 3 dimensions"});
        expectError([&] { IdxReader::read(dir.filePath("missing").toStdString()); },
                    {dir.filePath("missing"), "cannot open"});
        expectError([&] { IdxReader::read(dir.path().toStdString()); },
                    {dir.path(), "is a folder"});
    }

    void rejectsInconsistentFolders()
    {
        QTemporaryDir dir;
        expectError([&] { Dataset::loadFolder(dir.filePath("nowhere").toStdString()); },
                    {dir.filePath("nowhere"), "does not exist"});
        expectError([&] { Dataset::loadFolder(dir.path().toStdString()); },
                    {dir.path(), "no training images file", "train-images-idx3-ubyte"});

        // Images and labels that disagree on the count.
        for (const char* name :
             {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
            QVERIFY(QFile::copy(kData + "/" + name, dir.filePath(name)));
        QByteArray labels = readAll(kData + "/train-labels-idx1-ubyte");
        labels = header(0x08, {59999}) + labels.mid(8, 59999);
        writeAll(dir.filePath("train-labels-idx1-ubyte"), labels);
        expectError([&] { Dataset::loadFolder(dir.path().toStdString()); },
                    {"60000 images", "59999 labels", "train-labels-idx1-ubyte"});

        // A stray label 200 among digits is damage, named with its file and index, not 201
        // classes; a test label that no training image has is named too.
        labels = readAll(kData + "/train-labels-idx1-ubyte");
        labels[8 + 123] = char(200);
        writeAll(dir.filePath("train-labels-idx1-ubyte"), labels);
        expectError([&] { Dataset::loadFolder(dir.path().toStdString()); },
                    {"train-labels-idx1-ubyte", "label 200 at index 123", "never occurs"});
        writeAll(dir.filePath("train-labels-idx1-ubyte"),
                 readAll(kData + "/train-labels-idx1-ubyte"));
        QByteArray test = readAll(kData + "/t10k-labels-idx1-ubyte");
        test[8 + 7] = char(10);
        writeAll(dir.filePath("t10k-labels-idx1-ubyte"), test);
        expectError([&] { Dataset::loadFolder(dir.path().toStdString()); },
                    {"t10k-labels-idx1-ubyte", "label 10 at index 7", "not a training class"});
    }
};

QTEST_GUILESS_MAIN(TestIdxReader)
#include "tst_idxreader.moc"
