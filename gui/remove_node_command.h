// Undo command: delete a node with its links and the destinations that point at it.
#pragma once

#include "core/model/edit.h"

#include <QUndoCommand>

#include <optional>

namespace lvs::gui {

class TopologyDocument;

// Keeps the node's id; redo() records what core::edit::removeNode took away (the node, its
// links, destinations on any director, each with its old position) so that undo() puts every
// piece back where it was, with its old id.
class RemoveNodeCommand : public QUndoCommand {
public:
    RemoveNodeCommand(TopologyDocument* document, core::Id node, QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;

private:
    TopologyDocument* m_document;
    core::Id m_node;
    std::optional<core::edit::RemovedNode> m_removed;
};

} // namespace lvs::gui
