#pragma once

#include <QString>

class QCoreApplication;

namespace trainbench::ui {

/// The window's language: English, or Simplified Chinese from Trainbench's embedded translation
/// and Qt's own (standard dialogs and buttons, from Qt's installed translations when present).
/// The setting is "system" (follow the locale: zh_* gives Chinese), "en" or "zh_CN", kept in
/// QSettings; it applies when the program starts (the widgets build their texts once).
class Language
{
public:
    /// The setting kept, "system" when none.
    static QString setting();
    /// Keeps `setting` ("system", "en" or "zh_CN") for the next start.
    static void setSetting(const QString& setting);
    /// The language `setting` means here: "zh_CN" or "en".
    static QString resolve(const QString& setting);
    /// Makes `code` ("zh_CN" or "en") the language of the texts created from now on: installs
    /// (or, for "en", removes) the translators and sets the default locale. Returns false when
    /// Trainbench's translation for `code` is not in this build.
    static bool install(QCoreApplication* app, const QString& code);
};

} // namespace trainbench::ui
