#include "helpdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QFile>
#include <QKeySequence>
#include <QShortcut>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

namespace trainbench::ui {

HelpDialog::HelpDialog(Topic topic, QWidget* window) : QDialog(window)
{
    setObjectName(topic == Topic::UserGuide ? "userGuide" : "keyboardShortcuts");
    setWindowTitle(topic == Topic::UserGuide ? tr("Trainbench user guide")
                                             : tr("Keyboard shortcuts"));
    auto* layout = new QVBoxLayout(this);
    m_browser = new QTextBrowser(this);
    m_browser->setOpenExternalLinks(true);
    if (topic == Topic::UserGuide) {
        m_text = userGuide();
        m_browser->setMarkdown(m_text.isEmpty() ? tr("The user guide is missing from this build.")
                                                : m_text);
        resize(760, 640);
    } else {
        m_text = shortcutsTable(window);
        m_browser->setHtml(m_text);
        resize(520, 520);
    }
    layout->addWidget(m_browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString HelpDialog::text() const
{
    return m_text;
}

QString HelpDialog::userGuide()
{
    QFile file(QStringLiteral(":/guide/userguide.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString HelpDialog::shortcutsTable(const QWidget* window)
{
    std::vector<std::pair<QString, QString>> rows; // (keys, what)
    for (const QAction* action : window->findChildren<QAction*>()) {
        if (action->shortcut().isEmpty() || action->text().isEmpty())
            continue;
        QString what = action->text();
        what.remove('&');
        what.remove(QStringLiteral("…"));
        rows.emplace_back(action->shortcut().toString(QKeySequence::NativeText), what);
    }
    for (const QShortcut* shortcut : window->findChildren<QShortcut*>()) {
        if (shortcut->key().isEmpty() || shortcut->whatsThis().isEmpty())
            continue;
        rows.emplace_back(shortcut->key().toString(QKeySequence::NativeText),
                          shortcut->whatsThis());
    }
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"4\">");
    for (const auto& [keys, what] : rows)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
    return html + QStringLiteral("</table>");
}

} // namespace trainbench::ui
