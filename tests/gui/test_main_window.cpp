// GUI tests: the main window's file handling, title, unsaved-changes flow and panels.
#include "core/model/topology.h"
#include "gui/main_window.h"
#include "gui/node_item.h"
#include "gui/recent_files.h"
#include "gui/services_panel.h"
#include "gui/topology_document.h"
#include "gui/topology_scene.h"
#include "tests/gui/gui_test_main.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>

using namespace lvs;
using lvs::gui::MainWindow;

namespace {

QString examplePath(const char* name)
{
    return QStringLiteral(LVSLAB_SOURCE_DIR "/examples/") + QLatin1String(name);
}

core::Id idOf(const gui::TopologyDocument& doc, const char* name)
{
    const core::Node* node = doc.topology().findNodeByName(name);
    return node ? node->id : core::kNoId;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        gui::RecentFiles().clear();
    }

    void openShowsTheFileInTheTitle()
    {
        MainWindow window;
        QVERIFY(window.windowTitle().contains(QStringLiteral("Untitled")));
        QVERIFY(window.openFile(examplePath("lvs-dr.lvslab")));
        QVERIFY2(window.windowTitle().startsWith(QStringLiteral("lvs-dr.lvslab[*]")),
                 qPrintable(window.windowTitle()));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(window.scene()->nodeItemCount(), qsizetype(6));
    }

    void editSetsTheModifiedFlagAndUndoClearsIt()
    {
        MainWindow window;
        QVERIFY(window.openFile(examplePath("lvs-dr.lvslab")));
        gui::TopologyDocument* doc = window.document();
        doc->moveNodes({{idOf(*doc, "RS1"), core::Point{700, 200}}});
        QVERIFY(window.isWindowModified());
        auto* undo = window.findChild<QAction*>(QStringLiteral("actionUndo"));
        QVERIFY(undo);
        QCOMPARE(undo->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Z));
        auto* redo = window.findChild<QAction*>(QStringLiteral("actionRedo"));
        QCOMPARE(redo->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
        undo->trigger();
        QVERIFY(!window.isWindowModified());
        redo->trigger();
        QVERIFY(window.isWindowModified());

        QTemporaryDir dir;
        QVERIFY(doc->saveAs(dir.filePath(QStringLiteral("saved.lvslab"))));
        QVERIFY(!window.isWindowModified());
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("saved.lvslab[*]")));
    }

    void deleteActionRemovesTheSelectedNode()
    {
        MainWindow window;
        QVERIFY(window.openFile(examplePath("lvs-dr.lvslab")));
        gui::TopologyDocument* doc = window.document();
        const core::Id rs1 = idOf(*doc, "RS1");
        auto* del = window.findChild<QAction*>(QStringLiteral("actionDelete"));
        QVERIFY(del);
        QVERIFY(!del->isEnabled()); // nothing selected
        window.scene()->nodeItem(rs1)->setSelected(true);
        QVERIFY(del->isEnabled());
        del->trigger();
        QVERIFY(!doc->node(rs1));
        QVERIFY(!window.scene()->nodeItem(rs1));
        window.findChild<QAction*>(QStringLiteral("actionUndo"))->trigger();
        QVERIFY(doc->node(rs1));
        QVERIFY(window.scene()->nodeItem(rs1));
        QVERIFY(!window.isWindowModified());

        // Opening another file while nodes are selected replaces every item safely.
        window.scene()->nodeItem(rs1)->setSelected(true);
        window.scene()->nodeItem(idOf(*doc, "Director"))->setSelected(true);
        QVERIFY(window.openFile(examplePath("lvs-nat.lvslab")));
        QVERIFY(window.scene()->selectedItems().isEmpty());
        QVERIFY(!del->isEnabled());
    }

    void closeAsksAboutUnsavedChanges()
    {
        MainWindow window;
        QVERIFY(window.openFile(examplePath("lvs-dr.lvslab")));
        window.show();
        int asked = 0;
        MainWindow::UnsavedChoice answer = MainWindow::UnsavedChoice::Cancel;
        window.setUnsavedChangesPrompt([&](const QString& name) {
            ++asked;
            [&] { QCOMPARE(name, QStringLiteral("lvs-dr.lvslab")); }();
            return answer;
        });
        QVERIFY(window.close()); // unmodified: no question
        QCOMPARE(asked, 0);

        window.show();
        window.document()->moveNodes({{idOf(*window.document(), "RS1"), core::Point{700, 200}}});
        QVERIFY(!window.close());
        QCOMPARE(asked, 1);
        QVERIFY(window.isVisible());

        // Cancel also keeps the document when opening another file or starting a new one.
        QVERIFY(!window.openFile(examplePath("lvs-nat.lvslab")));
        window.newFile();
        QCOMPARE(asked, 3);
        QVERIFY(window.document()->filePath().endsWith(QStringLiteral("lvs-dr.lvslab")));
        QVERIFY(window.isWindowModified());

        answer = MainWindow::UnsavedChoice::Discard;
        QVERIFY(window.close());
        QCOMPARE(asked, 4);
    }

    void saveChoiceWritesBeforeClosing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lab.lvslab"));
        QVERIFY(QFile::copy(examplePath("lvs-dr.lvslab"), path));
        MainWindow window;
        QVERIFY(window.openFile(path));
        window.setUnsavedChangesPrompt([](const QString&) { return MainWindow::UnsavedChoice::Save; });
        const core::Id rs1 = idOf(*window.document(), "RS1");
        window.document()->moveNodes({{rs1, core::Point{700, 200}}});
        window.show();
        QVERIFY(window.close());
        gui::TopologyDocument reread;
        QVERIFY(reread.open(path).empty());
        QCOMPARE(reread.node(rs1)->position, (core::Point{700, 200}));
    }

    void openingAddsToRecentFiles()
    {
        MainWindow window;
        QVERIFY(window.openFile(examplePath("lvs-nat.lvslab")));
        QVERIFY(window.openFile(examplePath("lvs-dr.lvslab")));
        const QStringList recent = gui::RecentFiles().files();
        QCOMPARE(recent.size(), qsizetype(2));
        QCOMPARE(recent.front(), QFileInfo(examplePath("lvs-dr.lvslab")).absoluteFilePath());
        auto* menu = window.findChild<QMenu*>(QStringLiteral("menuRecent"));
        QVERIFY(menu);
        QVERIFY(menu->isEnabled());
        QCOMPARE(menu->actions().front()->data().toString(), recent.front());
        // A new window sees the list too (QSettings under the test's HOME).
        MainWindow other;
        QCOMPARE(other.findChild<QMenu*>(QStringLiteral("menuRecent"))->actions().front()->data()
                     .toString(),
                 recent.front());
    }

    void loadErrorsAreShownWithTheirPosition()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.lvslab"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": \"lvslab\", \"version\": 999}\n");
        file.close();

        MainWindow window;
        QVERIFY(window.openFile(examplePath("lvs-dr.lvslab")));
        QVERIFY(!window.openFile(path));
        auto* box = window.findChild<QMessageBox*>(QStringLiteral("loadErrorBox"));
        QVERIFY(box);
        QVERIFY2(box->informativeText().startsWith(path + QStringLiteral(":1:")),
                 qPrintable(box->informativeText()));
        QVERIFY(window.document()->filePath().endsWith(QStringLiteral("lvs-dr.lvslab")));
        box->close();
        // Only files that opened enter the recent list.
        QVERIFY(!gui::RecentFiles().files().contains(path));
    }

    void servicesPanelListsTheDirectorsTable()
    {
        MainWindow window;
        QVERIFY(window.openFile(examplePath("lvs-dr.lvslab")));
        gui::TopologyDocument* doc = window.document();
        const core::Id director = idOf(*doc, "Director");
        // With nothing selected, the first director is shown.
        QCOMPARE(window.servicesPanel()->node(), director);
        const QStringList lines = window.servicesPanel()->listingText().split(QLatin1Char('\n'));
        QVERIFY2(lines.contains(QStringLiteral("TCP  172.18.100.7:80 rr")),
                 qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY(lines.contains(
            QStringLiteral("  -> 172.18.100.11:80             Route   1      0          0         ")));

        // Deleting a real server updates the listing (its destination goes with it).
        window.document()->removeItems({idOf(*doc, "RS1")}, {});
        QVERIFY(!window.servicesPanel()->listingText().contains(QStringLiteral("172.18.100.11:80")));
        QVERIFY(window.servicesPanel()->listingText().contains(QStringLiteral("172.18.100.12:80")));

        // Selecting a director shows it; an empty design shows the hint.
        window.scene()->nodeItem(director)->setSelected(true);
        QCOMPARE(window.servicesPanel()->node(), director);
        window.document()->newDocument();
        QCOMPARE(window.servicesPanel()->node(), core::kNoId);
        QVERIFY(window.servicesPanel()->listingText().isEmpty());
    }

    void insertAddsANodeAtTheViewCentre()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* insert = window.findChild<QAction*>(
            QStringLiteral("actionInsert%1").arg(static_cast<int>(core::NodeKind::Director)));
        QVERIFY(insert);
        insert->trigger();
        insert->trigger();
        const auto& nodes = window.document()->topology().nodes;
        QCOMPARE(nodes.size(), std::size_t(2));
        QVERIFY(nodes[0].position != nodes[1].position); // not stacked on each other
        QCOMPARE(QString::fromStdString(nodes[1].name), QStringLiteral("Director2"));
        QCOMPARE(window.document()->undoStack()->count(), 2);

        // Two selected nodes can be connected.
        window.scene()->clearSelection();
        for (const core::Node& node : nodes)
            window.scene()->nodeItem(node.id)->setSelected(true);
        auto* connect = window.findChild<QAction*>(QStringLiteral("actionConnect"));
        QVERIFY(connect->isEnabled());
        connect->trigger();
        QCOMPARE(window.document()->topology().links.size(), std::size_t(1));
        QCOMPARE(window.scene()->linkItemCount(), qsizetype(1));
    }
};

LVSLAB_GUI_TEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
