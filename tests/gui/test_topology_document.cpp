// GUI tests: TopologyDocument, its undo commands, and the canvas that mirrors it.
#include "core/model/topology.h"
#include "gui/add_node_command.h"
#include "gui/link_item.h"
#include "gui/move_node_command.h"
#include "gui/node_item.h"
#include "gui/remove_node_command.h"
#include "gui/topology_document.h"
#include "gui/topology_scene.h"
#include "gui/topology_view.h"
#include "tests/gui/gui_test_main.h"

#include <QFile>
#include <QWheelEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lvs;
using lvs::gui::TopologyDocument;
using lvs::gui::TopologyScene;

namespace {

QString examplePath(const char* name)
{
    return QStringLiteral(LVSLAB_SOURCE_DIR "/examples/") + QLatin1String(name);
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

core::Id idOf(const TopologyDocument& doc, const char* name)
{
    const core::Node* node = doc.topology().findNodeByName(name);
    return node ? node->id : core::kNoId;
}

QPointF modelPos(const TopologyDocument& doc, core::Id id)
{
    const core::Node* node = doc.node(id);
    return node ? QPointF(node->position.x, node->position.y) : QPointF(-1e9, -1e9);
}

// Every node has exactly one item at its model position, every link one item joining its
// two nodes' items, and nothing else is on the canvas.
void checkSceneMirrorsDocument(const TopologyDocument& doc, const TopologyScene& scene)
{
    QCOMPARE(scene.nodeItemCount(), static_cast<qsizetype>(doc.topology().nodes.size()));
    QCOMPARE(scene.linkItemCount(), static_cast<qsizetype>(doc.topology().links.size()));
    QCOMPARE(scene.items().size(), scene.nodeItemCount() + scene.linkItemCount());
    for (const core::Node& node : doc.topology().nodes) {
        gui::NodeItem* item = scene.nodeItem(node.id);
        QVERIFY2(item, node.name.c_str());
        QCOMPARE(item->pos(), QPointF(node.position.x, node.position.y));
        QCOMPARE(item->name(), QString::fromStdString(node.name));
    }
    for (const core::Link& link : doc.topology().links) {
        gui::LinkItem* item = scene.linkItem(link.id);
        QVERIFY(item);
        QCOMPARE(item->nodeA(), scene.nodeItem(link.a.node));
        QCOMPARE(item->nodeB(), scene.nodeItem(link.b.node));
        QCOMPARE(item->line().p1(), modelPos(doc, link.a.node));
        QCOMPARE(item->line().p2(), modelPos(doc, link.b.node));
    }
}

} // namespace

// A failed QCOMPARE in the helper returns from the helper only; stop the test function too.
#define CHECK_MIRROR()                                                                          \
    do {                                                                                        \
        checkSceneMirrorsDocument(*m_doc, *m_scene);                                            \
        if (QTest::currentTestFailed())                                                         \
            return;                                                                             \
    } while (false)

class TestTopologyDocument : public QObject {
    Q_OBJECT

private:
    TopologyDocument* m_doc = nullptr;
    TopologyScene* m_scene = nullptr;
    core::Topology m_original;

private slots:
    void init()
    {
        m_doc = new TopologyDocument;
        m_scene = new TopologyScene(m_doc);
        const auto errors = m_doc->open(examplePath("lvs-dr.lvslab"));
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().toString().c_str());
        m_original = m_doc->topology();
    }

    void cleanup()
    {
        delete m_scene;
        delete m_doc;
        m_scene = nullptr;
        m_doc = nullptr;
    }

    void openGivesOneItemPerNodeAndLink()
    {
        QCOMPARE(m_doc->topology().nodes.size(), std::size_t(6));
        QCOMPARE(m_doc->topology().links.size(), std::size_t(5));
        QVERIFY(!m_doc->isModified());
        QCOMPARE(m_doc->displayName(), QStringLiteral("lvs-dr.lvslab"));
        CHECK_MIRROR();
    }

    void nodeLabelsShowAddressesWithRoles_data()
    {
        QTest::addColumn<QString>("node");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("client") << "Client" << QStringList{"eth0 172.20.0.100/16 CIP"};
        QTest::newRow("router") << "Router"
                                << QStringList{"eth0 172.20.0.1/16 GW", "eth1 172.18.0.1/16 GW"};
        QTest::newRow("segment has none") << "LAN" << QStringList{};
        QTest::newRow("director: DIP and the VIP on eth0")
            << "Director"
            << QStringList{"eth0 172.18.100.6/16 DIP", "eth0 172.18.100.7/32 VIP"};
        QTest::newRow("real server: RIP and the VIP on lo")
            << "RS1" << QStringList{"eth0 172.18.100.11/16 RIP", "lo 172.18.100.7/32 VIP"};
    }

    void nodeLabelsShowAddressesWithRoles()
    {
        QFETCH(QString, node);
        QFETCH(QStringList, lines);
        gui::NodeItem* item = m_scene->nodeItem(idOf(*m_doc, node.toUtf8().constData()));
        QVERIFY(item);
        QCOMPARE(item->addressLines(), lines);
        // The label is below the icon, and the icon is not a dot.
        QVERIFY(item->boundingRect().height() > gui::NodeItem::kIconSize);
    }

    void vrrpAddressesShowTheirState()
    {
        QVERIFY(m_doc->open(examplePath("keepalived-ha.lvslab")).empty());
        const QStringList master =
            m_scene->nodeItem(idOf(*m_doc, "Director1"))->addressLines();
        QVERIFY2(master.contains(QStringLiteral("eth0 192.168.1.250/32 VIP MASTER")),
                 qPrintable(master.join(QLatin1String(" | "))));
        const QStringList backup =
            m_scene->nodeItem(idOf(*m_doc, "Director2"))->addressLines();
        QVERIFY2(backup.contains(QStringLiteral("eth0 192.168.1.250/32 VIP BACKUP")),
                 qPrintable(backup.join(QLatin1String(" | "))));
    }

    void openReportsEveryErrorAndKeepsTheDocument()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.lvslab"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\n  \"format\": \"lvslab\",\n  \"version\": 1,\n  \"nodes\": [ oops ]\n}\n");
        file.close();

        QSignalSpy resets(m_doc, &TopologyDocument::reset);
        const auto errors = m_doc->open(path);
        QVERIFY(!errors.empty());
        const QString first = QString::fromStdString(errors.front().toString());
        // file:line:column: reason, like a compiler.
        QVERIFY2(first.startsWith(path + QLatin1Char(':')), qPrintable(first));
        QVERIFY2(errors.front().line == 4, qPrintable(first));
        QCOMPARE(resets.count(), 0);
        QVERIFY(m_doc->topology() == m_original);
        QVERIFY(m_doc->filePath().endsWith(QStringLiteral("lvs-dr.lvslab")));

        const auto missing = m_doc->open(dir.filePath(QStringLiteral("missing.lvslab")));
        QVERIFY(!missing.empty());
        QVERIFY(m_doc->topology() == m_original);
    }

    void moveThenUndoRestoresThePosition()
    {
        const core::Id rs1 = idOf(*m_doc, "RS1");
        const QPointF before = modelPos(*m_doc, rs1);
        m_doc->moveNodes({{rs1, core::Point{700, 420}}});
        QCOMPARE(m_doc->undoStack()->count(), 1);
        QVERIFY(m_doc->isModified());
        QCOMPARE(modelPos(*m_doc, rs1), QPointF(700, 420));
        CHECK_MIRROR();

        m_doc->undoStack()->undo();
        QCOMPARE(modelPos(*m_doc, rs1), before);
        QVERIFY(!m_doc->isModified());
        QVERIFY(m_doc->topology() == m_original);
        CHECK_MIRROR();

        m_doc->undoStack()->redo();
        QCOMPARE(modelPos(*m_doc, rs1), QPointF(700, 420));
        CHECK_MIRROR();
    }

    void movesOfTheSameNodesMergeIntoOneStep()
    {
        const core::Id rs1 = idOf(*m_doc, "RS1");
        const core::Id rs2 = idOf(*m_doc, "RS2");
        m_doc->moveNodes({{rs1, core::Point{700, 200}}});
        m_doc->moveNodes({{rs1, core::Point{760, 220}}});
        QCOMPARE(m_doc->undoStack()->count(), 1);
        QCOMPARE(modelPos(*m_doc, rs1), QPointF(760, 220));

        // Another set of nodes is another step, and does not merge into the first.
        m_doc->moveNodes({{rs1, core::Point{800, 200}}, {rs2, core::Point{800, 340}}});
        QCOMPARE(m_doc->undoStack()->count(), 2);
        m_doc->undoStack()->undo();
        QCOMPARE(modelPos(*m_doc, rs1), QPointF(760, 220));
        m_doc->undoStack()->undo();
        QVERIFY(m_doc->topology() == m_original);
    }

    void moveBackToTheStartLeavesNoStep()
    {
        const core::Id rs1 = idOf(*m_doc, "RS1");
        const QPointF start = modelPos(*m_doc, rs1);
        m_doc->moveNodes({{rs1, core::Point{700, 200}}});
        m_doc->moveNodes({{rs1, core::Point{static_cast<int>(start.x()),
                                            static_cast<int>(start.y())}}});
        QCOMPARE(m_doc->undoStack()->count(), 0);
        QVERIFY(!m_doc->isModified());
        // Moving a node to where it already is pushes nothing at all.
        m_doc->moveNodes({{rs1, m_doc->node(rs1)->position}});
        QCOMPARE(m_doc->undoStack()->count(), 0);
    }

    void finishedDragSnapsToTheGridAndLinksFollow()
    {
        const core::Id rs2 = idOf(*m_doc, "RS2");
        gui::NodeItem* item = m_scene->nodeItem(rs2);
        item->setPos(QPointF(613.4, 451.0)); // as a drag leaves it
        // The links follow the item during the drag, before the model changes.
        const core::Link* link = m_doc->topology().linkOf(m_doc->node(rs2)->interfaces[0].id);
        QVERIFY(link);
        gui::LinkItem* linkItem = m_scene->linkItem(link->id);
        QVERIFY(linkItem->line().p1() == item->pos() || linkItem->line().p2() == item->pos());
        QCOMPARE(modelPos(*m_doc, rs2), QPointF(580, 340));

        m_scene->commitMoves();
        QCOMPARE(modelPos(*m_doc, rs2), QPointF(620, 460));
        QCOMPARE(item->pos(), QPointF(620, 460));
        QCOMPARE(m_doc->undoStack()->count(), 1);
        CHECK_MIRROR();
        QCOMPARE(TopologyScene::snapToGrid(QPointF(-9.9, 10.1)), (core::Point{0, 20}));
    }

    void mouseDragMovesTheNodeAsOneCommand()
    {
        gui::TopologyView view;
        view.setScene(m_scene);
        view.resize(900, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const core::Id client = idOf(*m_doc, "Client");
        const QPointF before = modelPos(*m_doc, client);
        const QPoint start = view.mapFromScene(before);
        const QPoint end = start + QPoint(83, 47);
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, start);
        QTest::mouseMove(view.viewport(), start + QPoint(30, 20));
        QTest::mouseMove(view.viewport(), end);
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, end);

        const QPointF dropped = before + view.mapToScene(end) - view.mapToScene(start);
        const core::Point expected = TopologyScene::snapToGrid(dropped);
        QCOMPARE(m_doc->node(client)->position, expected);
        QCOMPARE(m_doc->undoStack()->count(), 1);
        CHECK_MIRROR();
        m_doc->undoStack()->undo();
        QVERIFY(m_doc->topology() == m_original);
        CHECK_MIRROR();
    }

    void ctrlWheelZoomsAndPlainWheelDoesNot()
    {
        gui::TopologyView view;
        view.setScene(m_scene);
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto wheel = [&view](Qt::KeyboardModifiers modifiers, int delta) {
            const QPointF at(300, 200);
            QWheelEvent event(at, view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, delta),
                              Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
            QApplication::sendEvent(view.viewport(), &event);
        };
        QCOMPARE(view.zoom(), 1.0);
        wheel(Qt::NoModifier, 120);
        QCOMPARE(view.zoom(), 1.0);
        wheel(Qt::ControlModifier, 120);
        QVERIFY(view.zoom() > 1.1);
        wheel(Qt::ControlModifier, -240);
        QVERIFY(view.zoom() < 1.0);
        for (int i = 0; i < 40; ++i)
            wheel(Qt::ControlModifier, -120);
        QCOMPARE(view.zoom(), gui::TopologyView::kMinZoom);
        // Zooming is a view matter: the document is untouched.
        QCOMPARE(m_doc->undoStack()->count(), 0);
    }

    void removeNodeTakesItsLinksAndUndoRestoresThem()
    {
        const core::Id lan = idOf(*m_doc, "LAN");
        m_doc->undoStack()->push(new gui::RemoveNodeCommand(m_doc, lan));
        QVERIFY(!m_doc->node(lan));
        QCOMPARE(m_doc->topology().links.size(), std::size_t(1)); // only Client-Router is left
        CHECK_MIRROR();

        m_doc->undoStack()->undo();
        QVERIFY(m_doc->topology() == m_original);
        CHECK_MIRROR();
        m_doc->undoStack()->redo();
        QCOMPARE(m_doc->topology().links.size(), std::size_t(1));
        CHECK_MIRROR();
    }

    void removeRealServerTakesItsDestinations()
    {
        const core::Id rs1 = idOf(*m_doc, "RS1");
        const core::Id director = idOf(*m_doc, "Director");
        QSignalSpy changed(m_doc, &TopologyDocument::nodeChanged);
        m_doc->removeItems({rs1}, {});
        QCOMPARE(m_doc->node(director)->services.front().destinations.size(), std::size_t(1));
        QVERIFY(changed.contains(QList<QVariant>{QVariant::fromValue(quint32(director))}));
        m_doc->undoStack()->undo();
        QVERIFY(m_doc->topology() == m_original);
    }

    void deleteSelectionIsOneUndoStep()
    {
        const core::Id rs1 = idOf(*m_doc, "RS1");
        const core::Id rs2 = idOf(*m_doc, "RS2");
        m_scene->nodeItem(rs1)->setSelected(true);
        m_scene->nodeItem(rs2)->setSelected(true);
        // A link whose node is deleted too must not make the macro fail.
        m_scene->linkItem(m_doc->topology().linkOf(m_doc->node(rs1)->interfaces[0].id)->id)
            ->setSelected(true);
        m_scene->deleteSelection();
        QCOMPARE(m_doc->topology().nodes.size(), std::size_t(4));
        QCOMPARE(m_doc->undoStack()->count(), 1);
        CHECK_MIRROR();
        m_doc->undoStack()->undo();
        QVERIFY(m_doc->topology() == m_original);
        CHECK_MIRROR();
    }

    void addNodeKeepsItsIdThroughUndoRedo()
    {
        auto added = m_doc->addNode(core::NodeKind::RealServer, core::Point{800, 200});
        QVERIFY(added);
        const core::Node* node = m_doc->node(*added);
        QVERIFY(node);
        QCOMPARE(QString::fromStdString(node->name), QStringLiteral("RS3"));
        CHECK_MIRROR();
        m_doc->undoStack()->undo();
        QVERIFY(!m_doc->node(*added));
        CHECK_MIRROR();
        m_doc->undoStack()->redo();
        QVERIFY(m_doc->node(*added));
        QCOMPARE(QString::fromStdString(m_doc->node(*added)->name), QStringLiteral("RS3"));
        CHECK_MIRROR();
    }

    void connectUsesAFreeInterfaceOrAddsOne()
    {
        const core::Id lan = idOf(*m_doc, "LAN");
        const core::Id director = idOf(*m_doc, "Director");
        auto rs3 = m_doc->addNode(core::NodeKind::RealServer, core::Point{800, 200});
        QVERIFY(rs3);
        const core::Id rs3eth0 = m_doc->node(*rs3)->interfaces.front().id;

        // RS3's eth0 is free: it is used.
        auto first = m_doc->connectNodes({*rs3, core::kNoId}, {lan, core::kNoId});
        QVERIFY(first);
        QCOMPARE(m_doc->topology().findLink(*first)->a.interfaceId, rs3eth0);
        QCOMPARE(m_doc->node(*rs3)->interfaces.size(), std::size_t(1));

        // The director's only interface is linked: eth1 is added for the new link.
        auto second = m_doc->connectNodes({director, core::kNoId}, {*rs3, core::kNoId});
        QVERIFY(second);
        QCOMPARE(m_doc->node(director)->interfaces.size(), std::size_t(2));
        QCOMPARE(m_doc->node(director)->interfaces.back().name, std::string("eth1"));
        QCOMPARE(m_doc->node(*rs3)->interfaces.size(), std::size_t(2));
        CHECK_MIRROR();

        m_doc->undoStack()->undo(); // the second link and both interfaces it added
        QVERIFY(m_doc->node(director)->interfaces.size() == 1);
        QVERIFY(!m_doc->topology().findLink(*second));
        QVERIFY(m_doc->node(director) && *m_doc->node(director) == *m_original.findNode(director));
        m_doc->undoStack()->redo(); // the same link and interfaces, with the same ids
        QVERIFY(m_doc->topology().findLink(*second));
        CHECK_MIRROR();

        m_doc->undoStack()->undo();
        m_doc->undoStack()->undo();
        m_doc->undoStack()->undo();
        QVERIFY(m_doc->topology().nodes == m_original.nodes);
        QVERIFY(m_doc->topology().links == m_original.links);
    }

    void refusedConnectPushesNothing()
    {
        const core::Id rs1 = idOf(*m_doc, "RS1");
        QSignalSpy failures(m_doc, &TopologyDocument::editFailed);
        auto same = m_doc->connectNodes({rs1, core::kNoId}, {rs1, core::kNoId});
        QVERIFY(!same);
        QCOMPARE(failures.count(), 1);
        QCOMPARE(m_doc->undoStack()->count(), 0);
        QVERIFY(m_doc->topology() == m_original);
    }

    void saveAsWritesTheSameBytesAsTheSource()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("copy.lvslab"));
        auto saved = m_doc->saveAs(path);
        QVERIFY2(saved, saved ? "" : saved.error().message.c_str());
        QCOMPARE(readAll(path), readAll(examplePath("lvs-dr.lvslab")));
        QCOMPARE(m_doc->filePath(), path);
        QCOMPARE(m_doc->displayName(), QStringLiteral("copy.lvslab"));
    }

    void saveMarksCleanAndFailedSaveKeepsEverything()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("edited.lvslab"));
        QVERIFY(m_doc->saveAs(path));
        m_doc->moveNodes({{idOf(*m_doc, "RS1"), core::Point{660, 200}}});
        QVERIFY(m_doc->isModified());
        QVERIFY(m_doc->save());
        QVERIFY(!m_doc->isModified());
        TopologyDocument reread;
        QVERIFY(reread.open(path).empty());
        QVERIFY(reread.topology() == m_doc->topology());

        m_doc->moveNodes({{idOf(*m_doc, "RS1"), core::Point{700, 200}}});
        auto failed = m_doc->saveAs(dir.filePath(QStringLiteral("no/such/folder/x.lvslab")));
        QVERIFY(!failed);
        QVERIFY(m_doc->isModified());
        QCOMPARE(m_doc->filePath(), path);
    }

    void newDocumentIsEmptyAndUntitled()
    {
        m_doc->moveNodes({{idOf(*m_doc, "RS1"), core::Point{660, 200}}});
        m_doc->newDocument();
        QVERIFY(m_doc->topology().nodes.empty());
        QCOMPARE(m_doc->undoStack()->count(), 0);
        QVERIFY(m_doc->filePath().isEmpty());
        QVERIFY(!m_doc->save()); // no file name yet
        CHECK_MIRROR();
    }

    void everyExampleOpensAndMirrors_data()
    {
        QTest::addColumn<QString>("file");
        for (const char* name : {"lvs-nat", "lvs-dr", "lvs-tun", "lvs-fullnat", "fwm-http-https",
                                 "pcc-port0", "mysql-wlc", "keepalived-ha"})
            QTest::newRow(name) << examplePath(name) + QStringLiteral(".lvslab");
    }

    void everyExampleOpensAndMirrors()
    {
        QFETCH(QString, file);
        const auto errors = m_doc->open(file);
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().toString().c_str());
        CHECK_MIRROR();
    }
};

LVSLAB_GUI_TEST_MAIN(TestTopologyDocument)
#include "test_topology_document.moc"
