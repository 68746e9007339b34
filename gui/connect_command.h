// Undo command: link two nodes, adding an interface to an end that has no free one.
#pragma once

#include "core/model/edit.h"

#include <QUndoCommand>

#include <optional>
#include <vector>

namespace lvs::gui {

class TopologyDocument;

// An endpoint of a non-segment node may leave interfaceId unset: the first redo() then picks
// the node's first unlinked interface, or adds one (eth1, eth2, ...) when all are linked.
// undo() removes the link and the interfaces it added; later redo()s put back those exact
// values, so ids stay stable for the commands above this one.
class ConnectCommand : public QUndoCommand {
public:
    ConnectCommand(TopologyDocument* document, core::Endpoint a, core::Endpoint b,
                   QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;

    core::Id linkId() const { return m_link; }

private:
    bool firstRedo();
    // The endpoint with its interface chosen or created; nullopt after reporting a failure.
    std::optional<core::Endpoint> resolve(core::Endpoint end);
    void rollBackCreatedInterfaces();

    TopologyDocument* m_document;
    core::Endpoint m_a;
    core::Endpoint m_b;
    core::Id m_link = core::kNoId;
    std::vector<core::Id> m_createdInterfaces;
    // Filled by undo(), consumed by the next redo().
    std::optional<core::edit::RemovedLink> m_removedLink;
    std::vector<core::edit::RemovedInterface> m_removedInterfaces;
};

} // namespace lvs::gui
