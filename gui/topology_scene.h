// The canvas scene: one NodeItem per node and one LinkItem per link, kept in step with the
// document's signals.
#pragma once

#include "core/model/topology.h"

#include <QGraphicsScene>
#include <QHash>

namespace lvs::gui {

class LinkItem;
class NodeItem;
class TopologyDocument;

// The scene mirrors the document: it keeps id-to-item maps and creates, refreshes and deletes
// items on the document's signals. It never changes the model itself; a finished drag becomes
// TopologyDocument::moveNodes (one undo command) and Delete becomes removeItems.
class TopologyScene : public QGraphicsScene {
    Q_OBJECT
public:
    static constexpr int kGridSize = 20;

    explicit TopologyScene(TopologyDocument* document, QObject* parent = nullptr);
    ~TopologyScene() override;

    TopologyDocument* document() const { return m_document; }
    NodeItem* nodeItem(core::Id id) const { return m_nodes.value(id); }
    LinkItem* linkItem(core::Id id) const { return m_links.value(id); }
    qsizetype nodeItemCount() const { return m_nodes.size(); }
    qsizetype linkItemCount() const { return m_links.size(); }

    QList<core::Id> selectedNodeIds() const;
    QList<core::Id> selectedLinkIds() const;
    // Removes the selected nodes and links as one undo step.
    void deleteSelection();

    // The nearest grid point: where a dragged node lands.
    static core::Point snapToGrid(QPointF position);

    // Called by a NodeItem whose position changed, so its links follow.
    void nodeItemMoved(NodeItem* item);
    // Pushes one move command for every node item that is not where the model has it, snapped
    // to the grid. Called when a drag ends; public so tests can drive a drag without a mouse.
    void commitMoves();

protected:
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    void rebuild();
    void addNodeItem(core::Id id);
    void removeNodeItem(core::Id id);
    void refreshNodeItem(core::Id id);
    void addLinkItem(core::Id id);
    void removeLinkItem(core::Id id);
    void growSceneRect();

    static constexpr qreal kSceneMargin = 300;

    TopologyDocument* m_document;
    QHash<core::Id, NodeItem*> m_nodes;
    QHash<core::Id, LinkItem*> m_links;
    bool m_sceneRectSet = false;
};

} // namespace lvs::gui
