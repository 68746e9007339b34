// The designer's main window: menus, canvas, IPVS table panel, title and unsaved-changes flow.
#pragma once

#include "core/io/lvslab_file.h"
#include "core/model/topology.h"
#include "gui/recent_files.h"

#include <QMainWindow>

#include <functional>
#include <vector>

class QAction;
class QMenu;

namespace lvs::gui {

class ServicesPanel;
class TopologyDocument;
class TopologyScene;
class TopologyView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class UnsavedChoice { Save, Discard, Cancel };
    // Asks what to do with unsaved changes to the named document. The default shows a
    // QMessageBox; tests replace it, since a modal box would block them.
    using UnsavedPrompt = std::function<UnsavedChoice(const QString& documentName)>;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    TopologyDocument* document() const { return m_document; }
    TopologyScene* scene() const { return m_scene; }
    TopologyView* view() const { return m_view; }
    ServicesPanel* servicesPanel() const { return m_servicesPanel; }
    void setUnsavedChangesPrompt(UnsavedPrompt prompt) { m_unsavedPrompt = std::move(prompt); }

    // Opens a file after the unsaved-changes question. Returns false when the user cancelled
    // or the file did not load; load errors are shown in a (non-blocking) message box that
    // lists each one as file:line:column: reason.
    bool openFile(const QString& path);

public slots:
    void newFile();
    void open();
    bool save();
    bool saveAs();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    // True when it is fine to drop the current document: saved, discarded or unmodified.
    bool maybeSave();
    bool loadFile(const QString& path);
    bool saveTo(const QString& path);
    void showLoadErrors(const QString& path, const std::vector<core::LoadError>& errors);
    void updateTitle();
    void updateRecentMenu();
    void updateActions();
    void onSelectionChanged();
    void insertNode(core::NodeKind kind);
    void connectSelected();
    void about();
    UnsavedChoice askToSave(const QString& documentName);

    TopologyDocument* m_document;
    TopologyScene* m_scene;
    TopologyView* m_view;
    ServicesPanel* m_servicesPanel = nullptr;
    RecentFiles m_recentFiles;
    UnsavedPrompt m_unsavedPrompt;

    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_selectAllAction = nullptr;
    QAction* m_connectAction = nullptr;
    QList<QAction*> m_insertActions;
    QAction* m_zoomInAction = nullptr;
    QAction* m_zoomOutAction = nullptr;
    QAction* m_resetZoomAction = nullptr;
    QAction* m_fitAction = nullptr;
    QAction* m_aboutAction = nullptr;
};

} // namespace lvs::gui
