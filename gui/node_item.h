// Canvas item for one node: the kind's icon, the name, and each address with its role.
#pragma once

#include "core/model/topology.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>
#include <QSvgRenderer>

#include <vector>

namespace lvs::gui {

class TopologyDocument;

// Holds only the node's id and a copy of what it draws; refresh() re-reads the node from the
// document (the scene calls it on the document's signals). The item's origin is the centre of
// the icon, which is the node's position in the model.
class NodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    static constexpr qreal kIconSize = 64;

    NodeItem(const TopologyDocument* document, core::Id id);

    core::Id nodeId() const { return m_id; }
    core::NodeKind kind() const { return m_kind; }
    int type() const override { return Type; }

    // Re-reads name, addresses and position from the document.
    void refresh();
    // The lines under the name, as drawn: "eth0 192.168.10.254/24 DIP", and for a VRRP
    // virtual address its instance's initial state: "eth0 192.168.1.250/32 VIP MASTER".
    QStringList addressLines() const;
    QString name() const { return m_name; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option,
               QWidget* widget) override;

    // The colour of a role badge (VIP, DIP, RIP, CIP, GW).
    static QColor roleColor(const QString& role);

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    struct AddressLine {
        QString text; // "eth0 192.168.10.254/24"
        QString role; // "DIP", empty when the role is Other
        QString note; // a second, grey badge: the VRRP state of a VRRP address
    };

    void layout();

    const TopologyDocument* m_document;
    core::Id m_id;
    core::NodeKind m_kind = core::NodeKind::Client;
    QString m_name;
    std::vector<AddressLine> m_lines;
    QSvgRenderer m_icon;
    // Computed by layout(), in item coordinates.
    QRectF m_iconRect;
    QRectF m_labelRect;
    QRectF m_bounds;
};

} // namespace lvs::gui
