// Undo command: add a node of a kind at a position.
#include "gui/add_node_command.h"

#include "gui/node_kinds.h"
#include "gui/topology_document.h"

#include <QCoreApplication>

namespace lvs::gui {

AddNodeCommand::AddNodeCommand(TopologyDocument* document, core::NodeKind kind,
                               core::Point position, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_kind(kind)
    , m_position(position)
{
    setText(QCoreApplication::translate("lvs::gui::AddNodeCommand", "Add %1")
                .arg(kindLabel(kind)));
}

void AddNodeCommand::redo()
{
    if (m_removed) {
        if (auto r = m_document->applyRestore(*m_removed); !r) {
            m_document->reportFailure(r.error());
            return;
        }
        m_removed.reset();
        return;
    }
    auto added = m_document->applyAddNode(m_kind, m_position);
    if (!added) {
        m_document->reportFailure(added.error());
        setObsolete(true);
        return;
    }
    m_node = *added;
    if (const core::Node* n = m_document->node(m_node))
        setText(QCoreApplication::translate("lvs::gui::AddNodeCommand", "Add %1")
                    .arg(toQString(n->name)));
}

void AddNodeCommand::undo()
{
    auto removed = m_document->applyRemoveNode(m_node);
    if (!removed) {
        m_document->reportFailure(removed.error());
        return;
    }
    m_removed = std::move(*removed);
}

} // namespace lvs::gui
