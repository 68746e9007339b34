// Helpers shared by the hash-scheduler tests: parsing addresses and naming servers by letter.
#pragma once

#include <QString>

#include "core/ipvs/service.h"

namespace lvs::core::ipvs::test {

inline Ipv4 addr(const QString& text)
{
    return *Ipv4::parse(text.toStdString());
}

// Real servers 10.0.0.1 (A), 10.0.0.2 (B), 10.0.0.3 (C), ...; `none` when none was chosen.
inline QString letter(const Dest* d, const char* none = "-")
{
    if (!d)
        return none;
    return QString(QChar('A' + static_cast<int>(d->address.value & 0xff) - 1));
}

inline Ipv4 serverAddress(char name)
{
    return Ipv4{0x0A000000u + static_cast<std::uint32_t>(name - 'A' + 1)};
}

} // namespace lvs::core::ipvs::test
