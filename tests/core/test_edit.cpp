// Tests of the editing operations: what each adds or removes, what it refuses, and undo by restore.
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "core/model/edit.h"

using namespace lvs::core;

namespace {

Topology example(const QString& name)
{
    auto t = loadLvslab(LVSLAB_SOURCE_DIR "/examples/" + name.toStdString() + ".lvslab");
    if (!t)
        qFatal("cannot load example %s", qPrintable(name));
    return *t;
}

Id idOf(const Topology& t, const char* name)
{
    const Node* n = t.findNodeByName(name);
    if (!n)
        qFatal("no node %s", name);
    return n->id;
}

std::size_t destinationCount(const Topology& t)
{
    std::size_t n = 0;
    for (const Node& node : t.nodes)
        for (const VirtualService& s : node.services)
            n += s.destinations.size();
    return n;
}

QString message(const Error& e)
{
    return QString::fromStdString(e.message);
}

} // namespace

class TestEdit : public QObject {
    Q_OBJECT

private slots:
    void removeNode_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("node");
        QTest::addColumn<int>("linksGone");
        QTest::addColumn<int>("destinationsGone");
        QTest::newRow("DR: a real server takes its link and its destination") << "lvs-dr" << "RS1" << 1 << 1;
        QTest::newRow("DR: the segment takes every link to it") << "lvs-dr" << "LAN" << 4 << 0;
        QTest::newRow("DR: the director takes its link and its own table") << "lvs-dr" << "Director" << 1 << 2;
        QTest::newRow("HA: a real server leaves both directors' tables") << "keepalived-ha" << "RS2" << 1 << 4;
        QTest::newRow("TUN: the router takes four links") << "lvs-tun" << "Router" << 4 << 0;
        QTest::newRow("NAT: the client takes one link") << "lvs-nat" << "Client" << 1 << 0;
    }

    // Removing a node removes its links and the destinations that point at it; restore puts
    // everything back exactly, ids and order included.
    void removeNode()
    {
        QFETCH(QString, example);
        QFETCH(QString, node);
        QFETCH(int, linksGone);
        QFETCH(int, destinationsGone);
        const Topology before = ::example(example);
        Topology t = before;
        const Id id = idOf(t, qPrintable(node));
        auto removed = edit::removeNode(t, id);
        QVERIFY(removed.has_value());
        QVERIFY(!t.findNode(id));
        QCOMPARE(int(before.links.size() - t.links.size()), linksGone);
        QCOMPARE(int(destinationCount(before) - destinationCount(t)), destinationsGone);
        for (const Link& l : t.links)
            QVERIFY(l.a.node != id && l.b.node != id);
        QVERIFY(edit::restore(t, *removed).has_value());
        QVERIFY(t == before);
    }

    void removeMissingNodeFails()
    {
        Topology t = example("lvs-dr");
        auto r = edit::removeNode(t, 999);
        QVERIFY(!r.has_value());
        QCOMPARE(message(r.error()), QString("no node with id 999"));
    }

    void addNodeNamesAndIds()
    {
        Topology t = example("lvs-dr");
        const Id next = t.nextId;
        auto rs = edit::addNode(t, NodeKind::RealServer, "", {0, 0});
        QVERIFY(rs.has_value());
        QCOMPARE(QString::fromStdString(t.findNode(*rs)->name), QString("RS3"));
        QCOMPARE(*rs, next);
        QCOMPARE(t.findNode(*rs)->interfaces.front().id, next + 1);
        auto director = edit::addNode(t, NodeKind::Director, "", {0, 0});
        QCOMPARE(QString::fromStdString(t.findNode(*director)->name), QString("Director2"));
        QCOMPARE(t.findNode(*director)->sysctls.at("net.ipv4.ip_forward"), 1);
        auto dup = edit::addNode(t, NodeKind::Client, "Client", {0, 0});
        QVERIFY(!dup.has_value());
        QCOMPARE(message(dup.error()), QString("a node named Client already exists"));
    }

    // Ids are never reused: removing the newest node and adding another gives a fresh id.
    void idsAreNeverReused()
    {
        Topology t = example("lvs-nat");
        auto a = edit::addNode(t, NodeKind::Client, "", {0, 0});
        QVERIFY(edit::removeNode(t, *a).has_value());
        auto b = edit::addNode(t, NodeKind::Client, "", {0, 0});
        QVERIFY(*b > *a);
        auto saved = parseLvslab(serializeLvslab(t), "x");
        QVERIFY(saved.has_value());
        QCOMPARE(saved->nextId, t.nextId);
    }

    void connect_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("aIface");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QString>("bIface");
        QTest::addColumn<QString>("error");
        QTest::newRow("new interface to segment") << "RS1" << "new" << "LAN" << "" << "";
        QTest::newRow("linked interface") << "RS1" << "eth0" << "Router" << "new" << "RS1.eth0 is already linked";
        QTest::newRow("same node") << "RS1" << "new" << "RS1" << "new" << "a link needs two different nodes";
        QTest::newRow("segment with an interface") << "RS1" << "new" << "LAN" << "bogus" << "segment LAN has ports, not interfaces";
        QTest::newRow("host without an interface") << "RS1" << "" << "LAN" << "" << "RS1: a link must name one of its interfaces";
    }
    void connect()
    {
        QFETCH(QString, a);
        QFETCH(QString, aIface);
        QFETCH(QString, b);
        QFETCH(QString, bIface);
        QFETCH(QString, error);
        Topology t = example("lvs-dr");
        auto end = [&](const QString& node, const QString& iface) {
            Endpoint e{idOf(t, qPrintable(node)), kNoId};
            if (iface == "new")
                e.interfaceId = *edit::addInterface(t, e.node);
            else if (iface == "bogus")
                e.interfaceId = 12345;
            else if (!iface.isEmpty())
                for (const Interface& i : t.findNode(e.node)->interfaces)
                    if (i.name == iface.toStdString())
                        e.interfaceId = i.id;
            return e;
        };
        Endpoint ea = end(a, aIface);
        Endpoint eb = end(b, bIface);
        const std::size_t links = t.links.size();
        auto r = edit::connect(t, ea, eb);
        QCOMPARE(r.has_value(), error.isEmpty());
        if (error.isEmpty()) {
            QCOMPARE(t.links.size(), links + 1);
        } else {
            QCOMPARE(message(r.error()), error);
            QCOMPARE(t.links.size(), links);
        }
    }

    void removeInterfaceTakesItsLinkAndVip()
    {
        const Topology before = example("lvs-dr");
        Topology t = before;
        const Id eth0 = t.findNodeByName("Director")->interfaces.front().id;
        auto removed = edit::removeInterface(t, eth0);
        QVERIFY(removed.has_value());
        QCOMPARE(t.links.size(), before.links.size() - 1);
        QVERIFY(t.findNodeByName("Director")->vips.empty());
        QVERIFY(edit::restore(t, *removed).has_value());
        QVERIFY(t == before);
    }

    void setNode_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("error");
        QTest::newRow("rename") << "rename" << "";
        QTest::newRow("take a used name") << "name RS2" << "a node named RS2 already exists";
        QTest::newRow("change kind") << "kind" << "a node's kind cannot change";
        QTest::newRow("drop a linked interface") << "drop eth0" << "RS1.eth0 is linked: remove the interface first";
        QTest::newRow("two interfaces with one name") << "dup iface" << "RS1 has two interfaces named eth0";
        QTest::newRow("an id from elsewhere") << "steal id" << "id 1 is already in use";
        QTest::newRow("an id never handed out") << "future id" << "id 5000 was not handed out by this document";
    }
    void setNode()
    {
        QFETCH(QString, change);
        QFETCH(QString, error);
        Topology t = example("lvs-dr");
        Node rs = *t.findNodeByName("RS1");
        if (change == "rename")
            rs.name = "Web1";
        else if (change == "name RS2")
            rs.name = "RS2";
        else if (change == "kind")
            rs.kind = NodeKind::Client;
        else if (change == "drop eth0")
            rs.interfaces.clear();
        else if (change == "dup iface")
            rs.interfaces.push_back(Interface{edit::allocateId(t), "eth0", {}, {}});
        else if (change == "steal id")
            rs.interfaces.front().id = 1;
        else if (change == "future id")
            rs.interfaces.front().id = 5000;
        const Topology before = t;
        auto r = edit::setNode(t, rs);
        QCOMPARE(r.has_value(), error.isEmpty());
        if (!error.isEmpty()) {
            QCOMPARE(message(r.error()), error);
            QVERIFY(t == before); // a refused edit changes nothing
        } else {
            QVERIFY(t.findNodeByName("Web1"));
        }
    }

    void services()
    {
        Topology t = example("lvs-nat");
        const Id director = idOf(t, "Director");
        VirtualService mysql;
        mysql.address = *Ipv4::parse("172.18.100.6");
        mysql.port = 3306;
        auto s = edit::addService(t, director, mysql);
        QVERIFY(s.has_value());
        QCOMPARE(QString::fromStdString(t.findNode(director)->services.back().scheduler), QString("wlc"));
        auto again = edit::addService(t, director, mysql);
        QCOMPARE(message(again.error()), QString("Service already exists"));

        Destination d;
        d.address = *Ipv4::parse("192.168.10.11");
        d.port = 3306;
        d.method = ForwardMethod::Masq;
        d.realServer = idOf(t, "RS1");
        QVERIFY(edit::addDestination(t, director, *s, d).has_value());
        QCOMPARE(message(edit::addDestination(t, director, *s, d).error()), QString("Destination already exists"));
        d.port = 3307;
        d.weight = 2147483648LL;
        QCOMPARE(message(edit::addDestination(t, director, *s, d).error()),
                 QString("weight 2147483648 is out of range 0..2147483647"));
        d.weight = 2147483647LL;
        QVERIFY(edit::addDestination(t, director, *s, d).has_value());
        d.port = 3308;
        d.realServer = idOf(t, "Client");
        QCOMPARE(message(edit::addDestination(t, director, *s, d).error()),
                 QString("no real server with id %1").arg(idOf(t, "Client")));

        // Removing RS1 takes its destinations from both services.
        auto removed = edit::removeNode(t, idOf(t, "RS1"));
        QCOMPARE(removed->destinations.size(), std::size_t(3));
        QCOMPARE(message(edit::removeService(t, director, 4242).error()), QString("No such service"));
        QVERIFY(edit::removeService(t, director, *s).has_value());
    }

    void reassignIdsForPaste()
    {
        Topology t = example("keepalived-ha");
        Node copy = *t.findNodeByName("Director1");
        const Id oldIface = copy.interfaces.front().id;
        edit::reassignIds(t, copy);
        copy.name = edit::uniqueNodeName(t, "Director1");
        QCOMPARE(QString::fromStdString(copy.name), QString("Director12"));
        QVERIFY(copy.interfaces.front().id != oldIface);
        QCOMPARE(copy.vrrp.front().interfaceId, copy.interfaces.front().id);
        QVERIFY(edit::insertNode(t, copy, t.nodes.size()).has_value());
        QVERIFY(parseLvslab(serializeLvslab(t), "x").has_value());
    }
};

QTEST_GUILESS_MAIN(TestEdit)
#include "test_edit.moc"
