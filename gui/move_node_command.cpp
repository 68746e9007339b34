// Undo command: move one or more nodes on the canvas.
#include "gui/move_node_command.h"

#include "gui/topology_document.h"

#include <QCoreApplication>

#include <algorithm>

namespace lvs::gui {

MoveNodeCommand::MoveNodeCommand(TopologyDocument* document, std::map<core::Id, Move> moves,
                                 QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_moves(std::move(moves))
{
    updateText();
}

void MoveNodeCommand::updateText()
{
    if (m_moves.size() == 1) {
        const core::Node* node = m_document->node(m_moves.begin()->first);
        setText(QCoreApplication::translate("lvs::gui::MoveNodeCommand", "Move %1")
                    .arg(node ? toQString(node->name) : QString()));
    } else {
        // The count in a variable: lupdate does not see a translate() call whose argument
        // list holds a static_cast<int>(...).
        const int count = static_cast<int>(m_moves.size());
        setText(QCoreApplication::translate("lvs::gui::MoveNodeCommand", "Move %n node(s)",
                                            nullptr, count));
    }
}

void MoveNodeCommand::redo()
{
    for (const auto& [id, move] : m_moves) {
        if (auto r = m_document->applyMove(id, move.to); !r) {
            m_document->reportFailure(r.error());
            setObsolete(true);
        }
    }
}

void MoveNodeCommand::undo()
{
    for (const auto& [id, move] : m_moves)
        m_document->applyMove(id, move.from);
}

bool MoveNodeCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const MoveNodeCommand*>(other);
    const bool sameNodes = std::equal(m_moves.begin(), m_moves.end(), next->m_moves.begin(),
                                      next->m_moves.end(),
                                      [](const auto& a, const auto& b) { return a.first == b.first; });
    if (!sameNodes)
        return false;
    for (auto& [id, move] : m_moves)
        move.to = next->m_moves.at(id).to;
    // Dragged back to where they started: the merged step does nothing, and QUndoStack drops
    // an obsolete command instead of keeping an empty undo step.
    setObsolete(std::all_of(m_moves.begin(), m_moves.end(),
                            [](const auto& m) { return m.second.from == m.second.to; }));
    return true;
}

} // namespace lvs::gui
