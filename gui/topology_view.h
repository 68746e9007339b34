// The canvas view: grid scene, Ctrl+wheel zoom, rubber-band selection.
#pragma once

#include <QGraphicsView>

namespace lvs::gui {

class TopologyView : public QGraphicsView {
    Q_OBJECT
public:
    static constexpr qreal kMinZoom = 0.2;
    static constexpr qreal kMaxZoom = 4.0;

    explicit TopologyView(QWidget* parent = nullptr);

    qreal zoom() const { return transform().m11(); }

public slots:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    // Shows every item, at 1:1 when they fit, smaller when they do not (never larger).
    void fitAll();

protected:
    void wheelEvent(QWheelEvent* event) override;

private:
    void zoomBy(qreal factor);
};

} // namespace lvs::gui
