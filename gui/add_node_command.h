// Undo command: add a node of a kind at a position.
#pragma once

#include "core/model/edit.h"

#include <QUndoCommand>

#include <optional>

namespace lvs::gui {

class TopologyDocument;

// The first redo() asks core::edit::addNode for the node (default contents, a fresh name and
// ids); undo() removes it and keeps the removed value, and every later redo() restores that
// value, so the node comes back with the same id and name that later commands refer to.
class AddNodeCommand : public QUndoCommand {
public:
    AddNodeCommand(TopologyDocument* document, core::NodeKind kind, core::Point position,
                   QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;

    // The added node's id, kNoId before the first redo() or after a refusal.
    core::Id nodeId() const { return m_node; }

private:
    TopologyDocument* m_document;
    core::NodeKind m_kind;
    core::Point m_position;
    core::Id m_node = core::kNoId;
    std::optional<core::edit::RemovedNode> m_removed;
};

} // namespace lvs::gui
