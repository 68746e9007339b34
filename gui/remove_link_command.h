// Undo command: delete one link.
#pragma once

#include "core/model/edit.h"

#include <QUndoCommand>

#include <optional>

namespace lvs::gui {

class TopologyDocument;

class RemoveLinkCommand : public QUndoCommand {
public:
    RemoveLinkCommand(TopologyDocument* document, core::Id link, QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;

private:
    TopologyDocument* m_document;
    core::Id m_link;
    std::optional<core::edit::RemovedLink> m_removed; // its value and index, for undo
};

} // namespace lvs::gui
