#include "datasetinstaller.h"
#include "trainbench/data/dataset.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace trainbench::ui;

namespace {

const QString kData = QStringLiteral(TRAINBENCH_TEST_DATA_DIR);

QByteArray gzip(const QString& path)
{
    QProcess process;
    process.start("gzip", {"-c", "-1", path});
    process.waitForFinished(60000);
    return process.readAllStandardOutput();
}

/// A tiny HTTP/1.0 server on 127.0.0.1 that serves fixed bodies by path (404 otherwise).
class FileServer : public QTcpServer
{
public:
    QMap<QString, QByteArray> files;
    QStringList requested;

    FileServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray request = socket->readAll();
                    const QString path = QString::fromLatin1(request.split(' ').value(1));
                    requested << path;
                    const bool found = files.contains(path);
                    const QByteArray body = found ? files.value(path) : QByteArray("not found");
                    socket->write((found ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.0 404 Not Found\r\n") +
                                  QByteArray("Content-Length: ") + QByteArray::number(body.size()) +
                                  "\r\nContent-Type: application/gzip\r\n\r\n" + body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
};

} // namespace

class TestDatasetInstaller final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("TrainbenchTests");
        QCoreApplication::setApplicationName("tst_datasetinstaller");
        for (const char* stem : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
            m_server.files.insert(QString("/mnist/%1.gz").arg(stem), gzip(kData + "/" + stem));
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
    }

    void init() { QDir(DatasetInstaller::mnistDir()).removeRecursively(); }

    void downloadsChecksAndInstalls()
    {
        DatasetInstaller installer;
        QSignalSpy finished(&installer, &DatasetInstaller::finished);
        QSignalSpy progress(&installer, &DatasetInstaller::progress);
        installer.download(QUrl(QString("http://127.0.0.1:%1/mnist").arg(m_server.serverPort())));
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QVERIFY(progress.count() >= 4);
        QCOMPARE(progress.last().at(2).toInt(), 3); // the fourth file
        const auto data =
            trainbench::Dataset::loadFolder(DatasetInstaller::mnistDir().toStdString());
        QCOMPARE(data.train.count, 60000);
        QCOMPARE(data.test.count, 10000);
        QVERIFY(m_server.requested.contains("/mnist/t10k-labels-idx1-ubyte.gz"));
    }

    void refusesACorruptedDownload()
    {
        FileServer bad;
        bad.files = m_server.files;
        QFile labels(kData + "/train-labels-idx1-ubyte");
        QVERIFY(labels.open(QIODevice::ReadOnly));
        QByteArray changed = labels.readAll();
        changed[100] = char(changed[100] == 1 ? 2 : 1); // one label flipped: still a valid IDX file
        QTemporaryDir dir;
        QFile out(dir.filePath("train-labels-idx1-ubyte"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(changed);
        out.close();
        bad.files["/mnist/train-labels-idx1-ubyte.gz"] = gzip(out.fileName());
        QVERIFY(bad.listen(QHostAddress::LocalHost));

        DatasetInstaller installer;
        QSignalSpy finished(&installer, &DatasetInstaller::finished);
        installer.download(QUrl(QString("http://127.0.0.1:%1/mnist/").arg(bad.serverPort())));
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.at(0).at(0).toBool());
        const QString error = finished.at(0).at(1).toString();
        QVERIFY2(error.contains("train-labels-idx1-ubyte") && error.contains("checksum mismatch"),
                 qPrintable(error));
        QVERIFY(!QFile::exists(DatasetInstaller::mnistDir() +
                               "/train-images-idx3-ubyte.gz")); // nothing half-installed
    }

    void reportsAMissingFile()
    {
        FileServer empty;
        QVERIFY(empty.listen(QHostAddress::LocalHost));
        DatasetInstaller installer;
        QSignalSpy finished(&installer, &DatasetInstaller::finished);
        installer.download(QUrl(QString("http://127.0.0.1:%1/nothing/").arg(empty.serverPort())));
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.at(0).at(0).toBool());
        QVERIFY2(finished.at(0).at(1).toString().contains("train-images-idx3-ubyte.gz"),
                 qPrintable(finished.at(0).at(1).toString()));
    }

    void importsFromAFolder()
    {
        DatasetInstaller installer;
        QString error;
        QVERIFY2(installer.importFrom(kData, &error), qPrintable(error));
        QVERIFY(QFile::exists(DatasetInstaller::mnistDir() + "/t10k-images-idx3-ubyte"));
        QTemporaryDir empty;
        QVERIFY(!installer.importFrom(empty.path(), &error));
        QVERIFY(error.contains(empty.path()) && error.contains("train-images-idx3-ubyte"));
    }

private:
    FileServer m_server;
};

QTEST_MAIN(TestDatasetInstaller)
#include "tst_datasetinstaller.moc"
