// The canvas scene: one NodeItem per node and one LinkItem per link, kept in step with the
// document's signals.
#include "gui/topology_scene.h"

#include "gui/link_item.h"
#include "gui/node_item.h"
#include "gui/topology_document.h"

#include <QGraphicsSceneMouseEvent>
#include <QPainter>

#include <cmath>
#include <map>

namespace lvs::gui {

TopologyScene::TopologyScene(TopologyDocument* document, QObject* parent)
    : QGraphicsScene(parent)
    , m_document(document)
{
    connect(document, &TopologyDocument::reset, this, &TopologyScene::rebuild);
    connect(document, &TopologyDocument::nodeAdded, this, &TopologyScene::addNodeItem);
    connect(document, &TopologyDocument::nodeRemoved, this, &TopologyScene::removeNodeItem);
    connect(document, &TopologyDocument::nodeChanged, this, &TopologyScene::refreshNodeItem);
    connect(document, &TopologyDocument::linkAdded, this, &TopologyScene::addLinkItem);
    connect(document, &TopologyDocument::linkRemoved, this, &TopologyScene::removeLinkItem);
    rebuild();
}

TopologyScene::~TopologyScene()
{
    // Delete the items while the id maps still exist, without announcing selection changes
    // to anyone (~QGraphicsScene would do both after the maps are gone).
    blockSignals(true);
    clear();
}

void TopologyScene::rebuild()
{
    // Empty the maps first: deleting a selected item emits selectionChanged at once, and the
    // slots that ask for the selection must not find deleted items in the maps.
    m_nodes.clear();
    m_links.clear();
    clear(); // deletes every item
    for (const core::Node& node : m_document->topology().nodes)
        addNodeItem(node.id);
    for (const core::Link& link : m_document->topology().links)
        addLinkItem(link.id);
    m_sceneRectSet = false;
    growSceneRect();
}

void TopologyScene::growSceneRect()
{
    // A fixed scene rect with a margin, so that there is room to drag a node past the outermost
    // ones; it only grows, so the view does not jump while someone edits.
    const QRectF wanted = itemsBoundingRect().adjusted(-kSceneMargin, -kSceneMargin,
                                                       kSceneMargin, kSceneMargin);
    if (!m_sceneRectSet) {
        setSceneRect(wanted);
        m_sceneRectSet = true;
    } else if (!sceneRect().contains(wanted)) {
        setSceneRect(sceneRect().united(wanted));
    }
}

void TopologyScene::addNodeItem(core::Id id)
{
    if (m_nodes.contains(id) || !m_document->node(id))
        return;
    auto* item = new NodeItem(m_document, id);
    addItem(item);
    m_nodes.insert(id, item);
    growSceneRect();
}

void TopologyScene::removeNodeItem(core::Id id)
{
    NodeItem* item = m_nodes.take(id);
    if (!item)
        return;
    // The document announces a node's links before the node; this is a safety net so that no
    // LinkItem is ever left pointing at a deleted NodeItem.
    for (auto it = m_links.begin(); it != m_links.end();) {
        if (it.value()->nodeA() == item || it.value()->nodeB() == item) {
            LinkItem* link = it.value();
            it = m_links.erase(it);
            delete link;
        } else {
            ++it;
        }
    }
    delete item;
}

void TopologyScene::refreshNodeItem(core::Id id)
{
    NodeItem* item = m_nodes.value(id);
    if (!item)
        return;
    item->refresh();
    growSceneRect();
    // A director's services decide which addresses are VIPs on every node (roles.h), and its
    // interfaces decide link tooltips: refresh the rest too, which is cheap at this size.
    if (item->kind() == core::NodeKind::Director)
        for (NodeItem* other : std::as_const(m_nodes))
            if (other != item)
                other->refresh();
    for (LinkItem* link : std::as_const(m_links))
        if (link->nodeA() == item || link->nodeB() == item)
            link->refresh();
}

void TopologyScene::addLinkItem(core::Id id)
{
    const core::Link* link = m_document->topology().findLink(id);
    if (!link || m_links.contains(id))
        return;
    NodeItem* a = m_nodes.value(link->a.node);
    NodeItem* b = m_nodes.value(link->b.node);
    if (!a || !b)
        return;
    auto* item = new LinkItem(m_document, id, a, b);
    addItem(item);
    m_links.insert(id, item);
}

void TopologyScene::removeLinkItem(core::Id id)
{
    delete m_links.take(id);
}

QList<core::Id> TopologyScene::selectedNodeIds() const
{
    QList<core::Id> ids;
    // In model order, so the delete macro and its undo are deterministic.
    for (const core::Node& node : m_document->topology().nodes)
        if (NodeItem* item = m_nodes.value(node.id); item && item->isSelected())
            ids.append(node.id);
    return ids;
}

QList<core::Id> TopologyScene::selectedLinkIds() const
{
    QList<core::Id> ids;
    for (const core::Link& link : m_document->topology().links)
        if (LinkItem* item = m_links.value(link.id); item && item->isSelected())
            ids.append(link.id);
    return ids;
}

void TopologyScene::deleteSelection()
{
    m_document->removeItems(selectedNodeIds(), selectedLinkIds());
}

core::Point TopologyScene::snapToGrid(QPointF position)
{
    auto snap = [](qreal v) {
        return static_cast<int>(std::lround(v / kGridSize)) * kGridSize;
    };
    return core::Point{snap(position.x()), snap(position.y())};
}

void TopologyScene::nodeItemMoved(NodeItem* item)
{
    for (LinkItem* link : std::as_const(m_links))
        if (link->nodeA() == item || link->nodeB() == item)
            link->updateGeometry();
}

void TopologyScene::commitMoves()
{
    std::map<core::Id, core::Point> positions;
    for (NodeItem* item : std::as_const(m_nodes)) {
        const core::Node* node = m_document->node(item->nodeId());
        if (!node)
            continue;
        if (item->pos() != QPointF(node->position.x, node->position.y))
            positions[item->nodeId()] = snapToGrid(item->pos());
    }
    // A node dragged back onto its own grid point gives no command (moveNodes skips it), but
    // its item must still return to the exact model position.
    m_document->moveNodes(positions);
    for (const auto& [id, point] : positions)
        if (NodeItem* item = m_nodes.value(id))
            item->refresh();
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event)
{
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton)
        commitMoves();
}

void TopologyScene::drawBackground(QPainter* painter, const QRectF& rect)
{
    painter->fillRect(rect, QColor(0xfa, 0xfb, 0xfc));
    // Minor lines at the snap grid, major lines every five cells. Minor lines are left out when
    // zoomed far out, where they would only grey the canvas.
    const qreal scale = painter->worldTransform().m11();
    const int major = kGridSize * 5;
    auto drawGrid = [&](int step, const QColor& color) {
        const qreal left = std::floor(rect.left() / step) * step;
        const qreal top = std::floor(rect.top() / step) * step;
        QVarLengthArray<QLineF, 256> lines;
        for (qreal x = left; x < rect.right(); x += step)
            lines.append(QLineF(x, rect.top(), x, rect.bottom()));
        for (qreal y = top; y < rect.bottom(); y += step)
            lines.append(QLineF(rect.left(), y, rect.right(), y));
        painter->setPen(QPen(color, 0)); // cosmetic: one pixel at every zoom
        painter->drawLines(lines.data(), static_cast<int>(lines.size()));
    };
    if (scale >= 0.5)
        drawGrid(kGridSize, QColor(0xec, 0xef, 0xf1));
    drawGrid(major, QColor(0xdd, 0xe2, 0xe6));
}

} // namespace lvs::gui
