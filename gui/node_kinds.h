// How the user interface names and draws each node kind (translated label, icon resource).
#pragma once

#include "core/model/topology.h"

#include <QString>

namespace lvs::gui {

// "Client", "Router", "Switch" (a segment), "Director", "Real Server", translated.
QString kindLabel(core::NodeKind kind);
// The resource path of the kind's SVG icon, ":/icons/director.svg".
QString kindIconPath(core::NodeKind kind);

} // namespace lvs::gui
