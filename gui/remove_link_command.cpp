// Undo command: delete one link.
#include "gui/remove_link_command.h"

#include "gui/topology_document.h"

#include <QCoreApplication>

namespace lvs::gui {

RemoveLinkCommand::RemoveLinkCommand(TopologyDocument* document, core::Id link,
                                     QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_link(link)
{
    setText(QCoreApplication::translate("lvs::gui::RemoveLinkCommand", "Delete link"));
}

void RemoveLinkCommand::redo()
{
    auto removed = m_document->applyRemoveLink(m_link);
    if (!removed) {
        m_document->reportFailure(removed.error());
        setObsolete(true);
        return;
    }
    m_removed = std::move(*removed);
}

void RemoveLinkCommand::undo()
{
    if (!m_removed)
        return;
    if (auto r = m_document->applyRestore(*m_removed); !r)
        m_document->reportFailure(r.error());
    m_removed.reset();
}

} // namespace lvs::gui
