// Canvas item for one node: the kind's icon, the name, and each address with its role.
#include "gui/node_item.h"

#include "core/model/roles.h"
#include "gui/node_kinds.h"
#include "gui/topology_document.h"
#include "gui/topology_scene.h"

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

namespace lvs::gui {

namespace {

constexpr qreal kLabelGap = 4;      // between the icon and the name
constexpr qreal kLabelPadding = 4;  // inside the label's background
constexpr qreal kBadgeGap = 5;      // between an address and its role badge
constexpr qreal kBadgePadding = 3;  // left and right inside a badge

QFont nameFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    font.setPointSizeF(10);
    font.setBold(true);
    return font;
}

QFont addressFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(8.5);
    return font;
}

QFont badgeFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    font.setPointSizeF(7.5);
    font.setBold(true);
    return font;
}

} // namespace

NodeItem::NodeItem(const TopologyDocument* document, core::Id id)
    : m_document(document)
    , m_id(id)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setZValue(1); // above the links, which end at the icon's centre
    refresh();
}

QColor NodeItem::roleColor(const QString& role)
{
    // One colour per role, the same as the icons where a kind has one role: VIP stands out
    // because it is the address the whole design is about.
    if (role == QLatin1String("VIP"))
        return QColor(0xc6, 0x28, 0x28);
    if (role == QLatin1String("DIP"))
        return QColor(0xe6, 0x5c, 0x00);
    if (role == QLatin1String("RIP"))
        return QColor(0x2e, 0x7d, 0x32);
    if (role == QLatin1String("CIP"))
        return QColor(0x45, 0x5a, 0x64);
    if (role == QLatin1String("GW"))
        return QColor(0x00, 0x79, 0x6b);
    return QColor(0x75, 0x75, 0x75);
}

void NodeItem::refresh()
{
    const core::Node* node = m_document->node(m_id);
    if (!node)
        return; // about to be removed by the scene
    const bool kindChanged = m_icon.isValid() == false || m_kind != node->kind;
    m_kind = node->kind;
    if (kindChanged)
        m_icon.load(kindIconPath(m_kind));
    m_name = toQString(node->name);
    m_lines.clear();
    for (const core::RoledAddress& a : core::roledAddresses(m_document->topology(), *node))
        m_lines.push_back({toQString(a.device) + QLatin1Char(' ') + toQString(a.address.toString()),
                           toQString(core::toString(a.role)), toQString(a.detail)});
    setToolTip(gui::kindLabel(m_kind) + QLatin1String(": ") + m_name);
    prepareGeometryChange();
    layout();
    const QPointF position(node->position.x, node->position.y);
    if (pos() != position)
        setPos(position);
    update();
}

QStringList NodeItem::addressLines() const
{
    QStringList lines;
    for (const AddressLine& line : m_lines) {
        QString text = line.text;
        for (const QString& badge : {line.role, line.note})
            if (!badge.isEmpty())
                text += QLatin1Char(' ') + badge;
        lines << text;
    }
    return lines;
}

void NodeItem::layout()
{
    m_iconRect = QRectF(-kIconSize / 2, -kIconSize / 2, kIconSize, kIconSize);
    const QFontMetricsF nameMetrics(nameFont());
    const QFontMetricsF addressMetrics(addressFont());
    const QFontMetricsF badgeMetrics(badgeFont());
    qreal width = nameMetrics.horizontalAdvance(m_name);
    for (const AddressLine& line : m_lines) {
        qreal w = addressMetrics.horizontalAdvance(line.text);
        for (const QString& badge : {line.role, line.note})
            if (!badge.isEmpty())
                w += kBadgeGap + badgeMetrics.horizontalAdvance(badge) + 2 * kBadgePadding;
        width = std::max(width, w);
    }
    const qreal height = nameMetrics.height()
        + static_cast<qreal>(m_lines.size()) * (addressMetrics.height() + 1);
    m_labelRect = QRectF(-width / 2 - kLabelPadding, kIconSize / 2 + kLabelGap,
                         width + 2 * kLabelPadding, height + 2 * kLabelPadding);
    m_bounds = m_iconRect.united(m_labelRect).adjusted(-3, -3, 3, 3);
}

QRectF NodeItem::boundingRect() const
{
    return m_bounds;
}

QPainterPath NodeItem::shape() const
{
    // The icon and the label both pick the node, the gap between them too.
    QPainterPath path;
    path.addRect(m_iconRect.united(m_labelRect));
    return path;
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const bool selected = option->state & QStyle::State_Selected;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);

    if (selected) {
        painter->setPen(QPen(QColor(0x19, 0x76, 0xd2), 2));
        painter->setBrush(QColor(0x19, 0x76, 0xd2, 40));
        painter->drawRoundedRect(m_iconRect.adjusted(-2, -2, 2, 2), 6, 6);
    }
    m_icon.render(painter, m_iconRect);

    // The label sits on an almost opaque card so that links crossing it stay readable.
    painter->setPen(selected ? QPen(QColor(0x19, 0x76, 0xd2), 1.5) : QPen(QColor(0xcf, 0xd8, 0xdc), 1));
    painter->setBrush(QColor(255, 255, 255, 235));
    painter->drawRoundedRect(m_labelRect, 4, 4);

    const QRectF inner = m_labelRect.adjusted(kLabelPadding, kLabelPadding, -kLabelPadding,
                                              -kLabelPadding);
    const QFontMetricsF nameMetrics(nameFont());
    const QFontMetricsF addressMetrics(addressFont());
    const QFontMetricsF badgeMetrics(badgeFont());

    painter->setFont(nameFont());
    painter->setPen(QColor(0x21, 0x21, 0x21));
    painter->drawText(QRectF(inner.left(), inner.top(), inner.width(), nameMetrics.height()),
                      Qt::AlignHCenter | Qt::AlignVCenter, m_name);

    qreal y = inner.top() + nameMetrics.height();
    for (const AddressLine& line : m_lines) {
        const qreal lineHeight = addressMetrics.height() + 1;
        const qreal textWidth = addressMetrics.horizontalAdvance(line.text);
        // Left-aligned, so that the addresses of a node line up like a table.
        qreal x = inner.left();
        painter->setFont(addressFont());
        painter->setPen(QColor(0x37, 0x47, 0x4f));
        painter->drawText(QRectF(x, y, textWidth + 1, lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                          line.text);
        x += textWidth;
        for (const QString& badgeText : {line.role, line.note}) {
            if (badgeText.isEmpty())
                continue;
            const qreal badgeWidth = badgeMetrics.horizontalAdvance(badgeText) + 2 * kBadgePadding;
            const QRectF badge(x + kBadgeGap, y + 1.5, badgeWidth, lineHeight - 3);
            painter->setPen(Qt::NoPen);
            painter->setBrush(badgeText == line.note ? QColor(0x78, 0x90, 0x9c)
                                                     : roleColor(badgeText));
            painter->drawRoundedRect(badge, 3, 3);
            painter->setFont(badgeFont());
            painter->setPen(Qt::white);
            painter->drawText(badge, Qt::AlignCenter, badgeText);
            x = badge.right();
        }
        y += lineHeight;
    }
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value)
{
    // Links follow the item while it is dragged, before the model hears of the move (the
    // MoveNodeCommand is pushed on mouse release).
    if (change == ItemPositionHasChanged)
        if (auto* topologyScene = qobject_cast<TopologyScene*>(scene()))
            topologyScene->nodeItemMoved(this);
    return QGraphicsItem::itemChange(change, value);
}

} // namespace lvs::gui
