#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class QNetworkReply;

namespace trainbench::ui {

/// Puts MNIST into the app's data folder on first run: imported from a folder (raw IDX files or
/// the four .gz files) or downloaded from a mirror, each file checked against the SHA-256 of the
/// original MNIST before anything lands in place.
class DatasetInstaller : public QObject
{
    Q_OBJECT

public:
    explicit DatasetInstaller(QObject* parent = nullptr);

    /// The standard mirror of LeCun's four .gz files.
    static QUrl defaultMirror();
    /// Where the window keeps MNIST: <AppDataLocation>/mnist.
    static QString mnistDir();
    /// Checks and copies MNIST from `folder`; returns false with `error` naming the problem.
    bool importFrom(const QString& folder, QString* error);
    /// Starts downloading the four .gz files from `base`; progress() and finished() follow.
    void download(const QUrl& base = defaultMirror());
    /// Stops a download in progress.
    void cancel();
    bool isBusy() const { return !m_reply.isNull(); }

Q_SIGNALS:
    /// Bytes received of the current file, its index (0-3) and the file count.
    void progress(qint64 received, qint64 total, int file, int files);
    /// The download ended: `ok`, or `error` naming the file or address and the problem.
    void finished(bool ok, const QString& error);

private:
    void fetchNext();
    bool verifyAndInstall(const QString& folder, QString* error);

    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<QTemporaryDir> m_staging;
    QUrl m_base;
    int m_index = 0;
};

} // namespace trainbench::ui
