#include "runspanel.h"

#include "runstablemodel.h"
#include "trainbench/common/error.h"
#include "trainbench/track/runcomparison.h"
#include "trainbench/track/runstore.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace trainbench::ui {

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent)
{
    m_model = new RunsTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunsTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName("runsFilter");
    m_filter->setPlaceholderText(tr("Filter runs (name, model, dataset, status…)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_table = new QTableView(this);
    m_table->setObjectName("runsTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunsTableModel::Created, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        Q_EMIT selectionChanged();
    });
    connect(m_table, &QTableView::doubleClicked, this, [this] { openModel(); });

    const auto button = [this](const QString& text, const QString& tip) {
        auto* b = new QPushButton(text, this);
        b->setToolTip(tip);
        return b;
    };
    m_compare =
        button(tr("Compare"),
               tr("Compare the two selected runs: the settings that differ and the results"));
    m_clone =
        button(tr("Clone"), tr("Load the run's settings into the docks, ready to train (F5)"));
    m_resume =
        button(tr("Resume"),
               tr("Continue a stopped or interrupted run from its last checkpoint, in its folder"));
    m_openModel = button(tr("Open model"), tr("Open the run's best checkpoint in the Draw tab"));
    m_openFolder = button(tr("Open folder"), tr("Show the run's folder in the file manager"));
    m_tensorBoard = button(tr("TensorBoard"), tr("Open the run's event files in TensorBoard"));
    m_rename = button(tr("Rename…"), tr("Give the run a name of your own"));
    m_notes = button(tr("Notes…"), tr("Write notes about the run"));
    m_delete = button(tr("Delete…"), tr("Delete the run's folder, checkpoints and logs"));
    connect(m_compare, &QPushButton::clicked, this, &RunsPanel::compare);
    connect(m_clone, &QPushButton::clicked, this, &RunsPanel::cloneSelected);
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (const int row = singleSelectedRow(); row >= 0)
            Q_EMIT resumeRequested(QString::fromStdString(m_model->run(row).id));
    });
    connect(m_openModel, &QPushButton::clicked, this, &RunsPanel::openModel);
    connect(m_openFolder, &QPushButton::clicked, this, &RunsPanel::openFolder);
    connect(m_rename, &QPushButton::clicked, this, &RunsPanel::rename);
    connect(m_tensorBoard, &QPushButton::clicked, this, [this] {
        if (const int row = singleSelectedRow(); row >= 0)
            Q_EMIT tensorBoardRequested(QString::fromStdString(m_model->run(row).folder));
    });
    connect(m_notes, &QPushButton::clicked, this, &RunsPanel::editNotes);
    connect(m_delete, &QPushButton::clicked, this, &RunsPanel::remove);

    m_tutorial = new QCheckBox(tr("Tutorial"), this);
    m_tutorial->setObjectName("tutorialCurve");
    m_tutorial->setToolTip(
        tr("Overlay the tutorial's published numbers (TensorFlow 2 MNIST CNN, 5 epochs): "
           "does your run reproduce it? Its metrics are running means over all epochs so far."));
    connect(m_tutorial, &QCheckBox::toggled, this, &RunsPanel::selectionChanged);

    auto* sweep =
        button(tr("Sweep…"), tr("Queue a grid of runs (learning rates, batch sizes, models, …)"));
    connect(sweep, &QPushButton::clicked, this, &RunsPanel::sweepRequested);

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(sweep);
    top->addWidget(m_tutorial);
    for (auto* b : {m_compare, m_clone, m_resume, m_openModel, m_openFolder, m_tensorBoard,
                    m_rename, m_notes, m_delete})
        top->addWidget(b);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);

    m_refresh.setSingleShot(true);
    m_refresh.setInterval(300);
    connect(&m_refresh, &QTimer::timeout, this, &RunsPanel::refresh);
    // A steady stream of changes must not postpone the refresh for ever: the first change
    // starts the timer, the rest ride along.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        if (!m_refresh.isActive())
            m_refresh.start();
    });
    updateButtons();
}

RunsPanel::~RunsPanel() = default;

void RunsPanel::setRoot(const QString& root)
{
    if (root == m_root)
        return;
    m_root = root;
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    refresh();
}

void RunsPanel::refresh()
{
    QStringList selected;
    for (int row : selectedRows())
        selected << QString::fromStdString(m_model->run(row).id);
    std::vector<RunListing> runs;
    if (!m_root.isEmpty())
        runs = RunStore(m_root.toStdString()).list();
    {
        const QSignalBlocker block(m_table->selectionModel());
        m_model->setRuns(std::move(runs));
    }
    m_table->resizeColumnsToContents();
    select(selected);
    watch();
}

void RunsPanel::watch()
{
    // The root tells of new and deleted runs; each run folder of every epoch's new run.json
    // (it is replaced, not edited, so watching the file itself would lose it).
    QStringList wanted;
    if (!m_root.isEmpty()) {
        // A runs folder that does not exist yet: watch the nearest folder above it that does,
        // so its creation (by this window's first run, or the CLI's) is seen.
        QDir dir(m_root);
        while (!dir.exists() && dir.cdUp() && !dir.isRoot()) {
        }
        if (dir.exists())
            wanted << dir.absolutePath();
        if (QDir(m_root).exists())
            wanted << m_root;
    }
    for (const auto& run : m_model->runs())
        wanted << QString::fromStdString(run.folder);
    const QStringList watched = m_watcher.directories();
    QStringList stale;
    for (const QString& dir : watched)
        if (!wanted.contains(dir))
            stale << dir;
    if (!stale.isEmpty())
        m_watcher.removePaths(stale);
    QStringList fresh;
    for (const QString& dir : wanted)
        if (!watched.contains(dir))
            fresh << dir;
    if (!fresh.isEmpty())
        m_watcher.addPaths(fresh);
}

void RunsPanel::select(const QStringList& ids)
{
    QItemSelection selection;
    for (const QString& id : ids) {
        const int row = m_model->rowOf(id.toStdString());
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index.siblingAtColumn(RunsTableModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    updateButtons();
    Q_EMIT selectionChanged();
}

QList<int> RunsPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows << m_proxy->mapToSource(index).row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

int RunsPanel::singleSelectedRow() const
{
    const QList<int> rows = selectedRows();
    return rows.size() == 1 && !m_model->run(rows.front()).damaged ? rows.front() : -1;
}

std::vector<RunRecord> RunsPanel::selectedRuns() const
{
    std::vector<RunRecord> runs;
    for (int row : selectedRows())
        if (!m_model->run(row).damaged)
            runs.push_back(m_model->run(row).record);
    return runs;
}

QVector<QColor> RunsPanel::selectedColors() const
{
    QVector<QColor> colors;
    for (int row : selectedRows())
        if (!m_model->run(row).damaged)
            colors << m_model->color(row);
    return colors;
}

bool RunsPanel::showsTutorial() const
{
    return m_tutorial->isChecked();
}

void RunsPanel::updateButtons()
{
    const int single = singleSelectedRow();
    const bool idle = single >= 0 && m_model->run(single).record.status != RunStatus::Running;
    m_compare->setEnabled(selectedRuns().size() == 2);
    m_clone->setEnabled(single >= 0);
    const RunStatus status = single >= 0 ? m_model->run(single).record.status : RunStatus::Running;
    m_resume->setEnabled(status == RunStatus::Stopped || status == RunStatus::Interrupted);
    m_openModel->setEnabled(single >= 0);
    m_openFolder->setEnabled(selectedRows().size() == 1);
    m_tensorBoard->setEnabled(
        single >= 0 &&
        QDir(QString::fromStdString(m_model->run(single).folder) + "/train").exists());
    m_rename->setEnabled(idle);
    m_notes->setEnabled(idle);
    // Any run but the one this window is training: a "running" run of a process that is gone
    // on another machine, or whose process id was reused, can still be deleted.
    m_delete->setEnabled(selectedRows().size() == 1 &&
                         QString::fromStdString(m_model->run(selectedRows().front()).folder) !=
                             m_activeFolder);
}

QStringList RunsPanel::comparisonRows() const
{
    const auto runs = selectedRuns();
    if (runs.size() != 2)
        return {};
    const RunComparison comparison = RunComparison::of(runs[0], runs[1]);
    QStringList rows;
    for (const auto* group : {&comparison.settings, &comparison.results})
        for (const auto& row : *group)
            rows << QString::fromStdString(row.key + "\t" + row.first + "\t" + row.second);
    return rows;
}

void RunsPanel::compare()
{
    const auto runs = selectedRuns();
    if (runs.size() != 2)
        return;
    const RunComparison comparison = RunComparison::of(runs[0], runs[1]);
    QDialog dialog(this);
    dialog.setObjectName("compareDialog");
    dialog.setWindowTitle(
        tr("Compare %1 and %2")
            .arg(QString::fromStdString(runs[0].name), QString::fromStdString(runs[1].name)));
    auto* table = new QTableWidget(&dialog);
    table->setColumnCount(3);
    table->setHorizontalHeaderLabels({tr("Setting"), QString::fromStdString(runs[0].name),
                                      QString::fromStdString(runs[1].name)});
    const auto colors = selectedColors();
    for (int c = 1; c <= 2; ++c)
        table->horizontalHeaderItem(c)->setForeground(colors.value(c - 1));
    const auto addRows = [&](const std::vector<RunComparison::Row>& rows, const QString& heading) {
        const int at = table->rowCount();
        table->insertRow(at);
        auto* head = new QTableWidgetItem(heading);
        QFont bold = head->font();
        bold.setBold(true);
        head->setFont(bold);
        table->setItem(at, 0, head);
        for (const auto& row : rows) {
            const int r = table->rowCount();
            table->insertRow(r);
            table->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(row.key)));
            table->setItem(r, 1, new QTableWidgetItem(QString::fromStdString(row.first)));
            table->setItem(r, 2, new QTableWidgetItem(QString::fromStdString(row.second)));
        }
    };
    addRows(comparison.settings,
            comparison.settings.empty() ? tr("Same settings") : tr("Settings that differ"));
    addRows(comparison.results, tr("Results"));
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(640, 480);
    dialog.exec();
}

void RunsPanel::cloneSelected()
{
    const int row = singleSelectedRow();
    if (row >= 0)
        Q_EMIT cloneRequested(m_model->run(row).record.config);
}

void RunsPanel::openModel()
{
    const int row = singleSelectedRow();
    if (row < 0)
        return;
    const QString folder = QString::fromStdString(m_model->run(row).folder);
    for (const char* name : {"best.ckpt", "last.ckpt"}) {
        if (QFile::exists(folder + "/" + name)) {
            Q_EMIT openModelRequested(folder + "/" + name);
            return;
        }
    }
    QMessageBox::information(this, tr("No model"),
                             tr("Run %1 has no checkpoint: no epoch of it finished.")
                                 .arg(QString::fromStdString(m_model->run(row).id)));
}

void RunsPanel::openFolder()
{
    const QList<int> rows = selectedRows();
    if (rows.size() == 1)
        QDesktopServices::openUrl(
            QUrl::fromLocalFile(QString::fromStdString(m_model->run(rows.front()).folder)));
}

void RunsPanel::editRecord(const QString& title, const std::function<bool(RunRecord&)>& edit)
{
    const int row = singleSelectedRow();
    if (row < 0)
        return;
    RunRecord shown = m_model->run(row).record;
    if (!edit(shown))
        return;
    try {
        // Only the name and notes change, on the record as it is now (it may have moved on
        // while the dialog was open).
        const RunStore store(m_root.toStdString());
        const RunListing now = store.read(m_model->run(row).id);
        if (now.damaged)
            throw Error(now.problem);
        RunRecord record = now.record;
        if (record.status == RunStatus::Interrupted)
            record.status = RunStatus::Running; // as the file says: interrupted is only read
        record.name = shown.name;
        record.notes = shown.notes;
        store.write(record);
    } catch (const Error& e) {
        QMessageBox::warning(this, title, QString::fromUtf8(e.what()));
    }
    refresh();
}

void RunsPanel::rename()
{
    editRecord(tr("Rename run"), [this](RunRecord& record) {
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, tr("Rename run"), tr("Name:"), QLineEdit::Normal,
                                  QString::fromStdString(record.name), &ok)
                .trimmed();
        record.name = name.toStdString();
        return ok && !name.isEmpty();
    });
}

void RunsPanel::editNotes()
{
    editRecord(tr("Notes"), [this](RunRecord& record) {
        bool ok = false;
        const QString notes = QInputDialog::getMultiLineText(
            this, tr("Notes"), tr("Notes on %1:").arg(QString::fromStdString(record.name)),
            QString::fromStdString(record.notes), &ok);
        record.notes = notes.toStdString();
        return ok;
    });
}

void RunsPanel::remove()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1)
        return;
    const RunListing& run = m_model->run(rows.front());
    const QString folder = QString::fromStdString(run.folder);
    const QString running = !run.damaged && run.record.status == RunStatus::Running
                                ? tr("\nIt says it is running (process %1 on %2).")
                                      .arg(run.record.processId)
                                      .arg(QString::fromStdString(run.record.host))
                                : QString();
    if (QMessageBox::question(
            this, tr("Delete run"),
            tr("Delete run %1 and everything in its folder (checkpoints, logs)?\n%2")
                    .arg(QString::fromStdString(run.id), QDir::toNativeSeparators(folder)) +
                running,
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    m_watcher.removePath(folder); // a watched folder cannot be deleted on Windows
    if (!QDir(folder).removeRecursively())
        QMessageBox::warning(
            this, tr("Delete run"),
            tr("Could not delete all of %1.").arg(QDir::toNativeSeparators(folder)));
    refresh();
}

} // namespace trainbench::ui
