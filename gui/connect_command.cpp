// Undo command: link two nodes, adding an interface to an end that has no free one.
#include "gui/connect_command.h"

#include "gui/topology_document.h"

#include <QCoreApplication>

namespace lvs::gui {

ConnectCommand::ConnectCommand(TopologyDocument* document, core::Endpoint a, core::Endpoint b,
                               QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_a(a)
    , m_b(b)
{
    const core::Node* na = document->node(a.node);
    const core::Node* nb = document->node(b.node);
    setText(QCoreApplication::translate("lvs::gui::ConnectCommand", "Connect %1 and %2")
                .arg(na ? toQString(na->name) : QString(), nb ? toQString(nb->name) : QString()));
}

std::optional<core::Endpoint> ConnectCommand::resolve(core::Endpoint end)
{
    const core::Node* node = m_document->node(end.node);
    if (!node || node->kind == core::NodeKind::Segment || end.interfaceId != core::kNoId)
        return end; // core::edit::connect judges these as they are
    for (const core::Interface& iface : node->interfaces)
        if (!m_document->topology().linkOf(iface.id))
            return core::Endpoint{end.node, iface.id};
    auto added = m_document->applyAddInterface(end.node);
    if (!added) {
        m_document->reportFailure(added.error());
        return std::nullopt;
    }
    m_createdInterfaces.push_back(*added);
    return core::Endpoint{end.node, *added};
}

void ConnectCommand::rollBackCreatedInterfaces()
{
    for (auto it = m_createdInterfaces.rbegin(); it != m_createdInterfaces.rend(); ++it)
        m_document->applyRemoveInterface(*it);
    m_createdInterfaces.clear();
}

bool ConnectCommand::firstRedo()
{
    // Refuse before adding interfaces when the link cannot exist whatever the interfaces.
    if (m_a.node == m_b.node) {
        m_document->reportFailure(core::Error{
            QCoreApplication::translate("lvs::gui::ConnectCommand",
                                        "A link needs two different nodes.")
                .toStdString()});
        return false;
    }
    std::optional<core::Endpoint> a = resolve(m_a);
    std::optional<core::Endpoint> b = a ? resolve(m_b) : std::nullopt;
    if (!a || !b) {
        rollBackCreatedInterfaces();
        return false;
    }
    auto link = m_document->applyConnect(*a, *b);
    if (!link) {
        rollBackCreatedInterfaces();
        m_document->reportFailure(link.error());
        return false;
    }
    m_a = *a;
    m_b = *b;
    m_link = *link;
    return true;
}

void ConnectCommand::redo()
{
    if (m_link == core::kNoId) {
        if (!firstRedo())
            setObsolete(true);
        return;
    }
    for (const core::edit::RemovedInterface& removed : m_removedInterfaces)
        if (auto r = m_document->applyRestore(removed); !r)
            m_document->reportFailure(r.error());
    m_removedInterfaces.clear();
    if (m_removedLink) {
        if (auto r = m_document->applyRestore(*m_removedLink); !r)
            m_document->reportFailure(r.error());
        m_removedLink.reset();
    }
}

void ConnectCommand::undo()
{
    auto link = m_document->applyRemoveLink(m_link);
    if (!link) {
        m_document->reportFailure(link.error());
        return;
    }
    m_removedLink = std::move(*link);
    // Newest first, so that each restore() in redo() sees the node as it was after the one
    // before it.
    std::vector<core::edit::RemovedInterface> removed;
    for (auto it = m_createdInterfaces.rbegin(); it != m_createdInterfaces.rend(); ++it)
        if (auto r = m_document->applyRemoveInterface(*it))
            removed.insert(removed.begin(), std::move(*r));
    m_removedInterfaces = std::move(removed);
}

} // namespace lvs::gui
