// Canvas item for one link: a line between the centres of its two nodes.
#include "gui/link_item.h"

#include "gui/node_item.h"
#include "gui/topology_document.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

namespace lvs::gui {

namespace {

// "Director eth1" or, for a segment's port, "Switch".
QString endName(const core::Topology& topology, const core::Endpoint& end)
{
    const core::Node* node = topology.findNode(end.node);
    if (!node)
        return {};
    QString text = toQString(node->name);
    for (const core::Interface& iface : node->interfaces)
        if (iface.id == end.interfaceId)
            text += QLatin1Char(' ') + toQString(iface.name);
    return text;
}

} // namespace

LinkItem::LinkItem(const TopologyDocument* document, core::Id id, NodeItem* a, NodeItem* b)
    : m_document(document)
    , m_id(id)
    , m_a(a)
    , m_b(b)
{
    setFlags(ItemIsSelectable);
    setZValue(0);
    refresh();
}

void LinkItem::refresh()
{
    if (const core::Link* link = m_document->topology().findLink(m_id))
        setToolTip(endName(m_document->topology(), link->a) + QStringLiteral(" \u2014 ")
                   + endName(m_document->topology(), link->b));
    updateGeometry();
}

void LinkItem::updateGeometry()
{
    const QLineF line(m_a->pos(), m_b->pos());
    if (line == m_line)
        return;
    prepareGeometryChange();
    m_line = line;
}

QRectF LinkItem::boundingRect() const
{
    return QRectF(m_line.p1(), m_line.p2()).normalized().adjusted(-4, -4, 4, 4);
}

QPainterPath LinkItem::shape() const
{
    // A wide stroke so that a thin line is easy to click.
    QPainterPath path(m_line.p1());
    path.lineTo(m_line.p2());
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    return stroker.createStroke(path);
}

void LinkItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const bool selected = option->state & QStyle::State_Selected;
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(selected ? QColor(0x19, 0x76, 0xd2) : QColor(0x60, 0x6c, 0x78), selected ? 3 : 2);
    pen.setCapStyle(Qt::RoundCap);
    painter->setPen(pen);
    painter->drawLine(m_line);
}

} // namespace lvs::gui
