#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace trainbench::ui {

QString Language::setting()
{
    const QString value = QSettings().value(QStringLiteral("language")).toString();
    return value == QLatin1String("en") || value == QLatin1String("zh_CN")
               ? value
               : QStringLiteral("system");
}

void Language::setSetting(const QString& setting)
{
    QSettings().setValue(QStringLiteral("language"), setting);
}

QString Language::resolve(const QString& setting)
{
    if (setting == QLatin1String("en") || setting == QLatin1String("zh_CN"))
        return setting;
    // Chinese for any Chinese locale: Simplified is the translation there is.
    return QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh_CN")
                                                            : QStringLiteral("en");
}

bool Language::install(QCoreApplication* app, const QString& code)
{
    // The translators are the application's children: one set at a time.
    for (auto* old : app->findChildren<QTranslator*>(QStringLiteral("trainbenchTranslator"))) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    if (code == QLatin1String("en")) {
        // English words; numbers and dates as the system formats them.
        QLocale::setDefault(QLocale::system());
        return true;
    }
    auto* own = new QTranslator(app);
    own->setObjectName(QStringLiteral("trainbenchTranslator"));
    if (!own->load(QStringLiteral(":/i18n/trainbench_") + code + QStringLiteral(".qm"))) {
        delete own;
        return false;
    }
    QCoreApplication::installTranslator(own);
    // Qt's own strings (file dialogs, message-box buttons), from Debian's qt6-translations-l10n.
    auto* qt = new QTranslator(app);
    qt->setObjectName(QStringLiteral("trainbenchTranslator"));
    if (qt->load(QStringLiteral("qtbase_") + code,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    QLocale::setDefault(QLocale(code));
    return true;
}

} // namespace trainbench::ui
