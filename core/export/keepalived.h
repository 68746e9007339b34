// keepalived.conf export with a choice of dialect: Debian's keepalived 2.2.7, or DPVS's
// keepalived, which adds full-NAT (lb_kind FNAT, local_address_group, laddr_group_name).
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

#include <string>

namespace lvs::core::exports {

enum class KeepalivedDialect {
    // Accepted by upstream keepalived 2.2.7 (`keepalived -t` exits 0). A virtual service with a
    // FULLNAT destination is written as comment lines in DPVS syntax, because upstream has no
    // full-NAT and any lb_kind it does accept would change the service's meaning.
    Upstream,
    // DPVS's keepalived (iqiyi/dpvs tools/keepalived): the same text, with full-NAT services
    // written for real and the director's local addresses as local_address_group laddr_g1.
    Dpvs,
};

// keepalivedConf(topology, director) is keepalivedConf(topology, director, Upstream).
// Errors name the node and field that keepalived.conf cannot hold (a space in a name, an
// auth_pass over 8 characters, nopreempt with state MASTER, ...); never throws.
Result<std::string> keepalivedConf(const Topology& topology, const Node& director, KeepalivedDialect dialect);

} // namespace lvs::core::exports
