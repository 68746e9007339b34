// Undo command: delete a node with its links and the destinations that point at it.
#include "gui/remove_node_command.h"

#include "gui/topology_document.h"

#include <QCoreApplication>

namespace lvs::gui {

RemoveNodeCommand::RemoveNodeCommand(TopologyDocument* document, core::Id node,
                                     QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_node(node)
{
    const core::Node* n = document->node(node);
    setText(QCoreApplication::translate("lvs::gui::RemoveNodeCommand", "Delete %1")
                .arg(n ? toQString(n->name) : QString()));
}

void RemoveNodeCommand::redo()
{
    auto removed = m_document->applyRemoveNode(m_node);
    if (!removed) {
        m_document->reportFailure(removed.error());
        setObsolete(true);
        return;
    }
    m_removed = std::move(*removed);
}

void RemoveNodeCommand::undo()
{
    if (!m_removed)
        return;
    if (auto r = m_document->applyRestore(*m_removed); !r)
        m_document->reportFailure(r.error());
    m_removed.reset();
}

} // namespace lvs::gui
