// The designer's document: the one owner of the core Topology, its file path and undo stack.
#include "gui/topology_document.h"

#include "gui/add_node_command.h"
#include "gui/connect_command.h"
#include "gui/move_node_command.h"
#include "gui/remove_link_command.h"
#include "gui/remove_node_command.h"

#include <QFileInfo>

#include <set>

namespace lvs::gui {

QString toQString(const std::string& text)
{
    return QString::fromStdString(text);
}

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

TopologyDocument::TopologyDocument(QObject* parent)
    : QObject(parent)
{
}

QString TopologyDocument::displayName() const
{
    if (m_filePath.isEmpty())
        return tr("Untitled");
    return QFileInfo(m_filePath).fileName();
}

void TopologyDocument::setFilePath(const QString& path)
{
    if (path == m_filePath)
        return;
    m_filePath = path;
    emit filePathChanged(m_filePath);
}

void TopologyDocument::newDocument()
{
    setTopology(core::Topology{}, QString());
}

void TopologyDocument::setTopology(core::Topology topology, const QString& path)
{
    // Clear the history before replacing the model: its commands hold ids of the old one.
    m_undoStack.clear();
    m_topology = std::move(topology);
    setFilePath(path);
    emit reset();
}

std::vector<core::LoadError> TopologyDocument::open(const QString& path)
{
    core::LoadResult loaded = core::loadLvslab(path.toStdString());
    if (!loaded)
        return loaded.error();
    setTopology(std::move(*loaded), QFileInfo(path).absoluteFilePath());
    return {};
}

core::Result<void> TopologyDocument::save()
{
    if (m_filePath.isEmpty())
        return core::fail(tr("The document has no file name yet: use Save As.").toStdString());
    return saveAs(m_filePath);
}

core::Result<void> TopologyDocument::saveAs(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (auto saved = core::saveLvslab(m_topology, absolute.toStdString()); !saved)
        return saved;
    setFilePath(absolute);
    m_undoStack.setClean();
    return {};
}

// ---- user actions ----

void TopologyDocument::moveNodes(const std::map<core::Id, core::Point>& positions)
{
    std::map<core::Id, MoveNodeCommand::Move> moves;
    for (const auto& [id, to] : positions) {
        const core::Node* n = m_topology.findNode(id);
        if (n && n->position != to)
            moves[id] = MoveNodeCommand::Move{n->position, to};
    }
    if (!moves.empty())
        m_undoStack.push(new MoveNodeCommand(this, std::move(moves)));
}

void TopologyDocument::removeItems(const QList<core::Id>& nodes, const QList<core::Id>& links)
{
    // A link that goes away with one of its nodes is not removed on its own: RemoveNodeCommand
    // already takes it, and removing it twice would fail.
    const std::set<core::Id> nodeSet(nodes.begin(), nodes.end());
    QList<core::Id> ownLinks;
    for (core::Id id : links) {
        const core::Link* link = m_topology.findLink(id);
        if (link && !nodeSet.count(link->a.node) && !nodeSet.count(link->b.node))
            ownLinks.append(id);
    }
    QList<core::Id> existingNodes;
    for (core::Id id : nodes)
        if (m_topology.findNode(id))
            existingNodes.append(id);
    const qsizetype count = existingNodes.size() + ownLinks.size();
    if (count == 0)
        return;
    if (count == 1 && existingNodes.size() == 1) {
        m_undoStack.push(new RemoveNodeCommand(this, existingNodes.front()));
        return;
    }
    if (count == 1) {
        m_undoStack.push(new RemoveLinkCommand(this, ownLinks.front()));
        return;
    }
    // One macro, so that a single undo brings back the whole selection.
    m_undoStack.beginMacro(tr("Delete %n item(s)", nullptr, static_cast<int>(count)));
    for (core::Id id : ownLinks)
        m_undoStack.push(new RemoveLinkCommand(this, id));
    for (core::Id id : existingNodes)
        m_undoStack.push(new RemoveNodeCommand(this, id));
    m_undoStack.endMacro();
}

core::Result<core::Id> TopologyDocument::addNode(core::NodeKind kind, core::Point position)
{
    return pushCreating(new AddNodeCommand(this, kind, position), &TopologyDocument::nodeAdded);
}

core::Result<core::Id> TopologyDocument::connectNodes(core::Endpoint a, core::Endpoint b)
{
    return pushCreating(new ConnectCommand(this, a, b), &TopologyDocument::linkAdded);
}

core::Result<core::Id> TopologyDocument::pushCreating(QUndoCommand* command,
                                                      void (TopologyDocument::*added)(quint32))
{
    // A refused command marks itself obsolete and QUndoStack deletes it inside push(), so the
    // outcome is taken from the signals the push emits rather than from the command.
    core::Id created = core::kNoId;
    QString failure;
    auto onAdded = connect(this, added, this, [&created](quint32 id) {
        if (created == core::kNoId)
            created = id;
    });
    auto onFailed = connect(this, &TopologyDocument::editFailed, this,
                            [&failure](const QString& message) { failure = message; });
    m_undoStack.push(command);
    disconnect(onAdded);
    disconnect(onFailed);
    if (created == core::kNoId)
        return core::fail(failure.toStdString());
    return created;
}

void TopologyDocument::reportFailure(const core::Error& error)
{
    emit editFailed(toQString(error.message));
}

// ---- primitives for the commands ----

core::Result<void> TopologyDocument::applyMove(core::Id node, core::Point position)
{
    auto r = core::edit::moveNode(m_topology, node, position);
    if (r)
        emit nodeChanged(node);
    return r;
}

core::Result<core::Id> TopologyDocument::applyAddNode(core::NodeKind kind, core::Point position)
{
    auto r = core::edit::addNode(m_topology, kind, {}, position);
    if (r)
        emit nodeAdded(*r);
    return r;
}

core::Result<core::edit::RemovedNode> TopologyDocument::applyRemoveNode(core::Id node)
{
    auto r = core::edit::removeNode(m_topology, node);
    if (!r)
        return r;
    // Links first, so that no view ever holds a link whose node is gone.
    for (const core::edit::RemovedLink& link : r->links)
        emit linkRemoved(link.link.id);
    emit nodeRemoved(node);
    std::set<core::Id> directors;
    for (const core::edit::RemovedDestination& d : r->destinations)
        directors.insert(d.director);
    for (core::Id director : directors)
        emit nodeChanged(director);
    return r;
}

core::Result<void> TopologyDocument::applyRestore(const core::edit::RemovedNode& removed)
{
    auto r = core::edit::restore(m_topology, removed);
    if (!r)
        return r;
    emit nodeAdded(removed.node.id);
    for (const core::edit::RemovedLink& link : removed.links)
        emit linkAdded(link.link.id);
    std::set<core::Id> directors;
    for (const core::edit::RemovedDestination& d : removed.destinations)
        directors.insert(d.director);
    for (core::Id director : directors)
        emit nodeChanged(director);
    return r;
}

core::Result<core::Id> TopologyDocument::applyAddInterface(core::Id node)
{
    auto r = core::edit::addInterface(m_topology, node);
    if (r)
        emit nodeChanged(node);
    return r;
}

core::Result<core::edit::RemovedInterface> TopologyDocument::applyRemoveInterface(
    core::Id interfaceId)
{
    auto r = core::edit::removeInterface(m_topology, interfaceId);
    if (!r)
        return r;
    for (const core::edit::RemovedLink& link : r->links)
        emit linkRemoved(link.link.id);
    emit nodeChanged(r->before.id);
    return r;
}

core::Result<void> TopologyDocument::applyRestore(const core::edit::RemovedInterface& removed)
{
    auto r = core::edit::restore(m_topology, removed);
    if (!r)
        return r;
    emit nodeChanged(removed.before.id);
    for (const core::edit::RemovedLink& link : removed.links)
        emit linkAdded(link.link.id);
    return r;
}

core::Result<core::Id> TopologyDocument::applyConnect(core::Endpoint a, core::Endpoint b)
{
    auto r = core::edit::connect(m_topology, a, b);
    if (r)
        emit linkAdded(*r);
    return r;
}

core::Result<core::edit::RemovedLink> TopologyDocument::applyRemoveLink(core::Id link)
{
    auto r = core::edit::removeLink(m_topology, link);
    if (r)
        emit linkRemoved(link);
    return r;
}

core::Result<void> TopologyDocument::applyRestore(const core::edit::RemovedLink& removed)
{
    auto r = core::edit::restore(m_topology, removed);
    if (r)
        emit linkAdded(removed.link.id);
    return r;
}

} // namespace lvs::gui
