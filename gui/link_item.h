// Canvas item for one link: a line between the centres of its two nodes.
#pragma once

#include "core/model/topology.h"

#include <QGraphicsItem>
#include <QLineF>

namespace lvs::gui {

class NodeItem;
class TopologyDocument;

// Holds the link's id and the two node items it joins (both owned by the same scene, which
// removes a node's links before the node). The line follows the node items rather than the
// model, so it moves with a node during a drag; refresh() re-reads the interface names.
class LinkItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };

    LinkItem(const TopologyDocument* document, core::Id id, NodeItem* a, NodeItem* b);

    core::Id linkId() const { return m_id; }
    NodeItem* nodeA() const { return m_a; }
    NodeItem* nodeB() const { return m_b; }
    int type() const override { return Type; }
    QLineF line() const { return m_line; }

    void refresh();
    // Called when either node item moved.
    void updateGeometry();

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option,
               QWidget* widget) override;

private:
    const TopologyDocument* m_document;
    core::Id m_id;
    NodeItem* m_a;
    NodeItem* m_b;
    QLineF m_line;
};

} // namespace lvs::gui
