// The canvas view: grid scene, Ctrl+wheel zoom, rubber-band selection.
#include "gui/topology_view.h"

#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace lvs::gui {

TopologyView::TopologyView(QWidget* parent)
    : QGraphicsView(parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing
                   | QPainter::SmoothPixmapTransform);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    // The grid and the labels' cards are repainted often during a drag; a full update is the
    // simple way to avoid trails from items whose bounding rect changed.
    setViewportUpdateMode(FullViewportUpdate);
}

void TopologyView::wheelEvent(QWheelEvent* event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QGraphicsView::wheelEvent(event); // plain wheel scrolls
        return;
    }
    // 120 units is one notch of a classic wheel; touchpads send smaller steps.
    const qreal notches = event->angleDelta().y() / 120.0;
    zoomBy(std::pow(1.15, notches));
    event->accept();
}

void TopologyView::zoomBy(qreal factor)
{
    const qreal target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (!qFuzzyCompare(target, zoom()))
        scale(target / zoom(), target / zoom());
}

void TopologyView::zoomIn()
{
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    zoomBy(1.25);
    setTransformationAnchor(anchor);
}

void TopologyView::zoomOut()
{
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    zoomBy(1 / 1.25);
    setTransformationAnchor(anchor);
}

void TopologyView::resetZoom()
{
    setTransform(QTransform());
}

void TopologyView::fitAll()
{
    if (!scene())
        return;
    const QRectF items = scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20);
    resetZoom();
    if (items.isEmpty())
        return;
    const QSizeF available = viewport()->size();
    const qreal factor = std::min({1.0, available.width() / items.width(),
                                   available.height() / items.height()});
    scale(std::max(factor, kMinZoom), std::max(factor, kMinZoom));
    centerOn(items.center());
}

} // namespace lvs::gui
