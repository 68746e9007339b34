// The designer's main window: menus, canvas, IPVS table panel, title and unsaved-changes flow.
#include "gui/main_window.h"

#include "gui/node_item.h"
#include "gui/node_kinds.h"
#include "gui/services_panel.h"
#include "gui/topology_document.h"
#include "gui/topology_scene.h"
#include "gui/topology_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoView>

namespace lvs::gui {

namespace {

constexpr int kStatusTimeoutMs = 5000;
// Errors listed in the message box itself; the rest are under "Show Details".
constexpr std::size_t kErrorsShown = 10;

QString fileFilter()
{
    return QCoreApplication::translate("lvs::gui::MainWindow", "LVS Lab topologies (*.lvslab)")
        + QStringLiteral(";;")
        + QCoreApplication::translate("lvs::gui::MainWindow", "All files (*)");
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_document(new TopologyDocument(this))
    , m_scene(new TopologyScene(m_document, this))
    , m_view(new TopologyView(this))
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/lvslab.svg")));
    m_view->setScene(m_scene);
    setCentralWidget(m_view);

    createActions();
    createMenus();
    createDocks();
    statusBar();

    connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(m_document, &TopologyDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &TopologyDocument::reset, this, &MainWindow::updateTitle);
    connect(m_document, &TopologyDocument::editFailed, this,
            [this](const QString& message) { statusBar()->showMessage(message, kStatusTimeoutMs); });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_document, &TopologyDocument::reset, this, &MainWindow::onSelectionChanged);

    resize(1280, 800);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());

    updateTitle();
    updateRecentMenu();
    updateActions();
}

MainWindow::~MainWindow()
{
    // The document and the scene are deleted after this body, as children, and they still
    // emit (the undo stack cleanChanged when it holds commands, the scene selectionChanged
    // while it deletes selected items); nothing of this half-destroyed window may answer.
    disconnect(m_document->undoStack(), nullptr, this, nullptr);
    disconnect(m_document, nullptr, this, nullptr);
    disconnect(m_scene, nullptr, this, nullptr);
}

void MainWindow::createActions()
{
    m_newAction = new QAction(tr("&New"), this);
    m_newAction->setObjectName(QStringLiteral("actionNew"));
    m_newAction->setShortcut(QKeySequence::New);
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newFile);

    m_openAction = new QAction(tr("&Open..."), this);
    m_openAction->setObjectName(QStringLiteral("actionOpen"));
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::open);

    m_saveAction = new QAction(tr("&Save"), this);
    m_saveAction->setObjectName(QStringLiteral("actionSave"));
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);

    m_saveAsAction = new QAction(tr("Save &As..."), this);
    m_saveAsAction->setObjectName(QStringLiteral("actionSaveAs"));
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::saveAs);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QUndoStack* stack = m_document->undoStack();
    m_undoAction = stack->createUndoAction(this, tr("&Undo"));
    m_undoAction->setObjectName(QStringLiteral("actionUndo"));
    m_undoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    m_redoAction = stack->createRedoAction(this, tr("&Redo"));
    m_redoAction->setObjectName(QStringLiteral("actionRedo"));
    m_redoAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                                QKeySequence(Qt::CTRL | Qt::Key_Y)});

    m_deleteAction = new QAction(tr("&Delete"), this);
    m_deleteAction->setObjectName(QStringLiteral("actionDelete"));
    m_deleteAction->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    connect(m_deleteAction, &QAction::triggered, m_scene, &TopologyScene::deleteSelection);

    m_selectAllAction = new QAction(tr("Select &All"), this);
    m_selectAllAction->setObjectName(QStringLiteral("actionSelectAll"));
    m_selectAllAction->setShortcut(QKeySequence::SelectAll);
    connect(m_selectAllAction, &QAction::triggered, this, [this] {
        for (QGraphicsItem* item : m_scene->items())
            item->setSelected(true);
    });

    const core::NodeKind kinds[] = {core::NodeKind::Client, core::NodeKind::Router,
                                    core::NodeKind::Segment, core::NodeKind::Director,
                                    core::NodeKind::RealServer};
    for (core::NodeKind kind : kinds) {
        auto* action = new QAction(QIcon(kindIconPath(kind)), kindLabel(kind), this);
        action->setObjectName(QStringLiteral("actionInsert") + QString::number(static_cast<int>(kind)));
        action->setToolTip(tr("Add a %1 in the middle of the view").arg(kindLabel(kind)));
        connect(action, &QAction::triggered, this, [this, kind] { insertNode(kind); });
        m_insertActions.append(action);
    }
    m_connectAction = new QAction(QIcon(QStringLiteral(":/icons/connect.svg")),
                                  tr("&Connect Selected Nodes"), this);
    m_connectAction->setObjectName(QStringLiteral("actionConnect"));
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::connectSelected);

    m_zoomInAction = new QAction(tr("Zoom &In"), this);
    m_zoomInAction->setShortcuts(QKeySequence::ZoomIn);
    connect(m_zoomInAction, &QAction::triggered, m_view, &TopologyView::zoomIn);
    m_zoomOutAction = new QAction(tr("Zoom &Out"), this);
    m_zoomOutAction->setShortcuts(QKeySequence::ZoomOut);
    connect(m_zoomOutAction, &QAction::triggered, m_view, &TopologyView::zoomOut);
    m_resetZoomAction = new QAction(tr("&Actual Size"), this);
    m_resetZoomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_resetZoomAction, &QAction::triggered, m_view, &TopologyView::resetZoom);
    m_fitAction = new QAction(tr("&Fit to Window"), this);
    m_fitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_9));
    connect(m_fitAction, &QAction::triggered, m_view, &TopologyView::fitAll);

    m_aboutAction = new QAction(tr("&About LVS Lab"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("menuEdit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    edit->addAction(m_deleteAction);
    edit->addAction(m_selectAllAction);

    QMenu* insert = menuBar()->addMenu(tr("&Insert"));
    insert->setObjectName(QStringLiteral("menuInsert"));
    insert->addActions(m_insertActions);
    insert->addSeparator();
    insert->addAction(m_connectAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->setObjectName(QStringLiteral("menuView"));
    m_viewMenu->addAction(m_zoomInAction);
    m_viewMenu->addAction(m_zoomOutAction);
    m_viewMenu->addAction(m_resetZoomAction);
    m_viewMenu->addAction(m_fitAction);
    m_viewMenu->addSeparator();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    help->addAction(m_aboutAction);

    QToolBar* tools = addToolBar(tr("Insert"));
    tools->setObjectName(QStringLiteral("toolBarInsert"));
    tools->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    tools->setIconSize(QSize(28, 28));
    tools->addActions(m_insertActions);
    tools->addSeparator();
    tools->addAction(m_connectAction);
    m_viewMenu->addAction(tools->toggleViewAction());
}

void MainWindow::createDocks()
{
    auto* services = new QDockWidget(tr("IPVS Table"), this);
    services->setObjectName(QStringLiteral("dockServices"));
    m_servicesPanel = new ServicesPanel(m_document, services);
    services->setWidget(m_servicesPanel);
    // Below the canvas: the listing is wide and short, and cluster drawings are wide too.
    addDockWidget(Qt::BottomDockWidgetArea, services);
    m_viewMenu->addAction(services->toggleViewAction());

    auto* history = new QDockWidget(tr("History"), this);
    history->setObjectName(QStringLiteral("dockHistory"));
    auto* undoView = new QUndoView(m_document->undoStack(), history);
    undoView->setEmptyLabel(tr("<opened>"));
    history->setWidget(undoView);
    addDockWidget(Qt::BottomDockWidgetArea, history);
    m_viewMenu->addAction(history->toggleViewAction());
    // One set of tabs, the IPVS table in front, so the canvas keeps most of the window.
    tabifyDockWidget(services, history);
    services->raise();
    resizeDocks({services}, {m_servicesPanel->sizeHint().height()}, Qt::Vertical);
}

void MainWindow::updateTitle()
{
    // [*] is where Qt shows the '*' while windowModified is true.
    setWindowTitle(tr("%1[*] - LVS Lab").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_recentFiles.files();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString& path = files[i];
        // &1 .. &8: keyboard access as in every editor's recent list.
        QAction* action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
        action->setToolTip(path);
        action->setData(path);
        connect(action, &QAction::triggered, this, [this, path] { openFile(path); });
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear List"), this, [this] {
            m_recentFiles.clear();
            updateRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::updateActions()
{
    const bool hasNodeSelection = !m_scene->selectedNodeIds().isEmpty()
        || !m_scene->selectedLinkIds().isEmpty();
    m_deleteAction->setEnabled(hasNodeSelection);
    m_connectAction->setEnabled(m_scene->selectedNodeIds().size() == 2);
}

void MainWindow::onSelectionChanged()
{
    updateActions();
    // The panel shows the selected director; with none selected, the first director of the
    // design, so that the table is there as soon as a file opens.
    const QList<core::Id> selected = m_scene->selectedNodeIds();
    for (core::Id id : selected) {
        const core::Node* node = m_document->node(id);
        if (node && node->kind == core::NodeKind::Director) {
            m_servicesPanel->showNode(id);
            return;
        }
    }
    core::Id first = core::kNoId;
    for (const core::Node& node : m_document->topology().nodes)
        if (node.kind == core::NodeKind::Director) {
            first = node.id;
            break;
        }
    m_servicesPanel->showNode(first);
}

MainWindow::UnsavedChoice MainWindow::askToSave(const QString& documentName)
{
    if (m_unsavedPrompt)
        return m_unsavedPrompt(documentName);
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved Changes"),
        tr("%1 has unsaved changes. Save them before closing it?").arg(documentName),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return UnsavedChoice::Save;
    if (answer == QMessageBox::Discard)
        return UnsavedChoice::Discard;
    return UnsavedChoice::Cancel;
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    switch (askToSave(m_document->displayName())) {
    case UnsavedChoice::Save: return save();
    case UnsavedChoice::Discard: return true;
    case UnsavedChoice::Cancel: return false;
    }
    return false;
}

void MainWindow::newFile()
{
    if (!maybeSave())
        return;
    m_document->newDocument();
    m_view->resetZoom();
    m_view->centerOn(0, 0);
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString dir = m_document->filePath().isEmpty()
        ? QString()
        : QFileInfo(m_document->filePath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Topology"), dir, fileFilter());
    if (path.isEmpty())
        return;
    loadFile(path); // already asked about unsaved changes
}

bool MainWindow::openFile(const QString& path)
{
    if (!maybeSave())
        return false;
    return loadFile(path);
}

bool MainWindow::loadFile(const QString& path)
{
    const std::vector<core::LoadError> errors = m_document->open(path);
    if (!errors.empty()) {
        // A recent entry whose file is gone is dropped; one that fails to parse stays, since
        // the user may be fixing it in an editor.
        if (!QFileInfo::exists(path)) {
            m_recentFiles.remove(path);
            updateRecentMenu();
        }
        showLoadErrors(path, errors);
        return false;
    }
    m_recentFiles.add(path);
    updateRecentMenu();
    m_view->fitAll();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), kStatusTimeoutMs);
    return true;
}

void MainWindow::showLoadErrors(const QString& path, const std::vector<core::LoadError>& errors)
{
    QStringList shown;
    QStringList all;
    for (const core::LoadError& error : errors) {
        const QString line = toQString(error.toString());
        all << line;
        if (static_cast<std::size_t>(shown.size()) < kErrorsShown)
            shown << line;
    }
    auto* box = new QMessageBox(QMessageBox::Critical, tr("Cannot Open File"),
                                tr("%1 could not be opened:").arg(QFileInfo(path).fileName()),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("loadErrorBox"));
    QString informative = shown.join(QLatin1Char('\n'));
    if (errors.size() > kErrorsShown)
        informative += QLatin1Char('\n')
            + tr("... and %n more (see Show Details).", nullptr,
                 static_cast<int>(errors.size() - kErrorsShown));
    box->setInformativeText(informative);
    box->setDetailedText(all.join(QLatin1Char('\n')));
    box->setAttribute(Qt::WA_DeleteOnClose);
    // open(), not exec(): the window stays responsive and tests are not blocked.
    box->open();
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    return saveTo(m_document->filePath());
}

bool MainWindow::saveAs()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save Topology As"),
                                                m_document->filePath(), fileFilter());
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".lvslab");
    return saveTo(path);
}

bool MainWindow::saveTo(const QString& path)
{
    const auto saved = path == m_document->filePath() ? m_document->save()
                                                      : m_document->saveAs(path);
    if (!saved) {
        QMessageBox::critical(this, tr("Cannot Save File"),
                              tr("%1 could not be saved; the file on disk is unchanged.\n\n%2")
                                  .arg(QDir::toNativeSeparators(path),
                                       toQString(saved.error().message)));
        return false;
    }
    m_recentFiles.add(path);
    updateRecentMenu();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), kStatusTimeoutMs);
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    event->accept();
}

void MainWindow::insertNode(core::NodeKind kind)
{
    // The middle of the view, moved along the diagonal until no node is close, so repeated
    // inserts do not stack on top of each other.
    QPointF where = m_view->mapToScene(m_view->viewport()->rect().center());
    auto occupied = [this](const core::Point& p) {
        for (const core::Node& node : m_document->topology().nodes)
            if (std::abs(node.position.x - p.x) < 60 && std::abs(node.position.y - p.y) < 60)
                return true;
        return false;
    };
    core::Point point = TopologyScene::snapToGrid(where);
    for (int i = 0; i < 50 && occupied(point); ++i)
        point = core::Point{point.x + 4 * TopologyScene::kGridSize,
                            point.y + 4 * TopologyScene::kGridSize};
    auto added = m_document->addNode(kind, point);
    if (!added)
        return; // editFailed already told the status bar
    m_scene->clearSelection();
    if (NodeItem* item = m_scene->nodeItem(*added)) {
        item->setSelected(true);
        m_view->ensureVisible(item);
    }
}

void MainWindow::connectSelected()
{
    const QList<core::Id> nodes = m_scene->selectedNodeIds();
    if (nodes.size() != 2) {
        statusBar()->showMessage(tr("Select exactly two nodes to connect them."), kStatusTimeoutMs);
        return;
    }
    m_document->connectNodes(core::Endpoint{nodes[0], core::kNoId},
                             core::Endpoint{nodes[1], core::kNoId});
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About LVS Lab"),
        tr("<h3>LVS Lab %1</h3><p>Design, check, run and export Linux Virtual Server "
           "(IPVS) load-balancing clusters: NAT, DR, TUN and FULLNAT.</p>")
            .arg(QCoreApplication::applicationVersion()));
}

} // namespace lvs::gui
