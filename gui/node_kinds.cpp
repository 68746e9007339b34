// How the user interface names and draws each node kind (translated label, icon resource).
#include "gui/node_kinds.h"

#include <QCoreApplication>

namespace lvs::gui {

QString kindLabel(core::NodeKind kind)
{
    switch (kind) {
    case core::NodeKind::Client:
        return QCoreApplication::translate("lvs::gui::NodeKind", "Client");
    case core::NodeKind::Router:
        return QCoreApplication::translate("lvs::gui::NodeKind", "Router");
    case core::NodeKind::Segment:
        return QCoreApplication::translate("lvs::gui::NodeKind", "Switch");
    case core::NodeKind::Director:
        return QCoreApplication::translate("lvs::gui::NodeKind", "Director");
    case core::NodeKind::RealServer:
        return QCoreApplication::translate("lvs::gui::NodeKind", "Real Server");
    }
    return {};
}

QString kindIconPath(core::NodeKind kind)
{
    switch (kind) {
    case core::NodeKind::Client: return QStringLiteral(":/icons/client.svg");
    case core::NodeKind::Router: return QStringLiteral(":/icons/router.svg");
    case core::NodeKind::Segment: return QStringLiteral(":/icons/switch.svg");
    case core::NodeKind::Director: return QStringLiteral(":/icons/director.svg");
    case core::NodeKind::RealServer: return QStringLiteral(":/icons/real-server.svg");
    }
    return {};
}

} // namespace lvs::gui
