#pragma once

#include <QDialog>

class QTextBrowser;

namespace trainbench::ui {

/// Help shipped with the program: the user guide (Markdown embedded in the program), or the
/// keyboard shortcuts of a window, read from its actions and shortcuts so the list is never out
/// of date.
class HelpDialog : public QDialog
{
    Q_OBJECT

public:
    /// What the dialog shows.
    enum class Topic { UserGuide, KeyboardShortcuts };

    /// Shows `topic`; for KeyboardShortcuts, those of `window` and its children.
    HelpDialog(Topic topic, QWidget* window);

    /// The text shown (Markdown for the guide, HTML for the shortcuts).
    QString text() const;
    /// The user guide's Markdown; empty if it is missing from the program.
    static QString userGuide();
    /// An HTML table of every shortcut of `window`: actions with their text, and QShortcuts
    /// described by their whatsThis.
    static QString shortcutsTable(const QWidget* window);

private:
    QTextBrowser* m_browser = nullptr;
    QString m_text;
};

} // namespace trainbench::ui
