// Side panel: the selected director's IPVS table as `ipvsadm -Ln` prints it (read-only).
#pragma once

#include "core/model/topology.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace lvs::gui {

class TopologyDocument;

// Shows one director at a time; follows the document so the listing is never stale, and
// falls back to a hint when the node is gone or is not a director.
class ServicesPanel : public QWidget {
    Q_OBJECT
public:
    explicit ServicesPanel(TopologyDocument* document, QWidget* parent = nullptr);

    // The director shown, or kNoId.
    core::Id node() const { return m_node; }
    // The listing as shown (empty when no director is shown).
    QString listingText() const;
    QSize sizeHint() const override;

public slots:
    // Shows a node's table; kNoId or a node that is not a director shows the hint.
    void showNode(core::Id id);

private:
    void refresh();

    TopologyDocument* m_document;
    core::Id m_node = core::kNoId;
    QLabel* m_title;
    QPlainTextEdit* m_text;
};

} // namespace lvs::gui
