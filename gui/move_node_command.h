// Undo command: move one or more nodes on the canvas.
#pragma once

#include "core/model/topology.h"

#include <QUndoCommand>

#include <map>

namespace lvs::gui {

class TopologyDocument;

// One drag of a selection is one command (pushed on mouse release). Consecutive moves of the
// same set of nodes merge into one undo step, as in Qt's Undo Framework example, so nudging a
// node into place several times is undone at once.
class MoveNodeCommand : public QUndoCommand {
public:
    static constexpr int kId = 1001;

    struct Move {
        core::Point from;
        core::Point to;
    };

    MoveNodeCommand(TopologyDocument* document, std::map<core::Id, Move> moves,
                    QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;
    int id() const override { return kId; }
    bool mergeWith(const QUndoCommand* other) override;

    const std::map<core::Id, Move>& moves() const { return m_moves; }

private:
    void updateText();

    TopologyDocument* m_document;
    std::map<core::Id, Move> m_moves;
};

} // namespace lvs::gui
