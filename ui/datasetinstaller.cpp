#include "datasetinstaller.h"

#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/data/idxreader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkReply>
#include <QStandardPaths>

namespace trainbench::ui {

namespace {

struct MnistFile
{
    const char* stem;
    const char* sha256; ///< Of the uncompressed IDX file, as in scripts/setup.sh.
};

const MnistFile kFiles[] = {
    {"train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
    {"train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
    {"t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
    {"t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
};

/// SHA-256 of the uncompressed IDX content, whether the file on disk is raw or gzip.
QByteArray idxSha256(const QString& path)
{
    const IdxArray array = IdxReader::read(path.toStdString());
    QByteArray header;
    header.append(char(0)).append(char(0)).append(char(0x08)).append(char(array.dims.size()));
    for (int64_t d : array.dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            header.append(char((d >> shift) & 0xFF));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(header);
    hash.addData(QByteArrayView(reinterpret_cast<const char*>(array.data.data()),
                                qsizetype(array.data.size())));
    return hash.result().toHex();
}

QString findIn(const QString& folder, const char* stem)
{
    for (const auto& candidate : Dataset::candidatePaths(folder.toStdString(), stem))
        if (QFileInfo(QString::fromStdString(candidate)).isFile())
            return QString::fromStdString(candidate);
    return {};
}

} // namespace

DatasetInstaller::DatasetInstaller(QObject* parent) : QObject(parent) {}

QUrl DatasetInstaller::defaultMirror()
{
    return QUrl(QStringLiteral("https://ossci-datasets.s3.amazonaws.com/mnist/"));
}

QString DatasetInstaller::mnistDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/mnist");
}

bool DatasetInstaller::verifyAndInstall(const QString& folder, QString* error)
{
    QStringList sources;
    for (const auto& file : kFiles) {
        const QString path = findIn(folder, file.stem);
        if (path.isEmpty()) {
            *error = tr("%1 has no %2 (raw or .gz)").arg(folder, QString::fromLatin1(file.stem));
            return false;
        }
        try {
            if (idxSha256(path) != file.sha256) {
                *error = tr("%1 is not the original MNIST file (checksum mismatch)").arg(path);
                return false;
            }
        } catch (const Error& e) {
            *error = QString::fromUtf8(e.what());
            return false;
        }
        sources << path;
    }
    const QString target = mnistDir();
    if (!QDir().mkpath(target)) {
        *error = tr("cannot create %1").arg(target);
        return false;
    }
    for (const QString& source : sources) {
        const QString name = QFileInfo(source).fileName();
        const QString temp = target + "/." + name + ".part";
        QFile::remove(temp);
        if (!QFile::copy(source, temp)) {
            *error = tr("cannot write %1").arg(temp);
            return false;
        }
        QFile::remove(target + "/" + name);
        if (!QFile::rename(temp, target + "/" + name)) {
            *error = tr("cannot write %1/%2").arg(target, name);
            return false;
        }
    }
    return true;
}

bool DatasetInstaller::importFrom(const QString& folder, QString* error)
{
    return verifyAndInstall(folder, error);
}

void DatasetInstaller::download(const QUrl& base)
{
    cancel();
    m_base = base;
    if (!m_base.path().endsWith('/'))
        m_base.setPath(m_base.path() + '/');
    m_staging = std::make_unique<QTemporaryDir>();
    m_index = 0;
    fetchNext();
}

void DatasetInstaller::cancel()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply.clear();
    }
}

void DatasetInstaller::fetchNext()
{
    const int files = int(std::size(kFiles));
    if (m_index == files) {
        QString error;
        const bool ok = verifyAndInstall(m_staging->path(), &error);
        m_staging.reset();
        Q_EMIT finished(ok, error);
        return;
    }
    const QUrl url = m_base.resolved(QUrl(QString::fromLatin1(kFiles[m_index].stem) + ".gz"));
    QNetworkRequest request(url);
    request.setTransferTimeout(30000);
    m_reply = m_network.get(request);
    connect(m_reply, &QNetworkReply::downloadProgress, this,
            [this, files](qint64 received, qint64 total) {
                Q_EMIT progress(received, total, m_index, files);
            });
    connect(m_reply, &QNetworkReply::finished, this, [this, url] {
        QNetworkReply* reply = m_reply;
        m_reply.clear();
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            m_staging.reset();
            Q_EMIT finished(
                false, tr("download of %1 failed: %2").arg(url.toString(), reply->errorString()));
            return;
        }
        QFile out(m_staging->filePath(QString::fromLatin1(kFiles[m_index].stem) + ".gz"));
        if (!out.open(QIODevice::WriteOnly) || out.write(reply->readAll()) < 0) {
            m_staging.reset();
            Q_EMIT finished(false, tr("cannot write %1").arg(out.fileName()));
            return;
        }
        out.close();
        ++m_index;
        fetchNext();
    });
}

} // namespace trainbench::ui
