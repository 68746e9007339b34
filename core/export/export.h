// `lvsctl export`: what a production box needs, generated from a design. Each format's text is
// ready to use unchanged (ipvsadm and ipvsadm-restore read the rules, keepalived -t accepts the
// configuration, the scripts pass shellcheck and quote every name and value).
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::core::exports {

enum class Format { Ipvsadm, IpvsadmSave, Keepalived, KeepalivedDpvs, DirectorSetup, RsSetup, NetnsScript };

// "ipvsadm", "ipvsadm-save", "keepalived", "keepalived-dpvs" (FULLNAT for DPVS's keepalived),
// "director-setup", "rs-setup", "netns-script".
std::string_view formatName(Format format);
std::optional<Format> formatNamed(std::string_view name);

struct Options {
    // --node NAME: the director (ipvsadm, ipvsadm-save, keepalived, director-setup) or real
    // server (rs-setup) to export for. Unset: the design's only one of that kind.
    std::optional<std::string> node;
    // netns-script: the lab name that prefixes namespaces and devices.
    std::string labName = "lab";
};

// The text of one export; an error says which node is missing or ambiguous, or what in the
// design the format cannot express.
Result<std::string> exportDesign(const Topology& topology, Format format, const Options& options);

// The words of a firewall-mark rule's iptables command, as the notes write it:
// iptables -t mangle -A PREROUTING -d VIP -p tcp (--dport P | -m multiport --dports P,Q) -j MARK --set-mark N
std::vector<std::string> fwmarkRuleWords(const FwmarkRule& rule);

// The formats, one function each (export/*.cpp).
// ipvsadm: a sh script that clears the table and adds the director's services (ipvsadm -C,
// -A, -a), with the fwmark rules' iptables lines first. ipvsadm-save: the rules exactly as
// `ipvsadm-save -n` prints them, for ipvsadm-restore and Debian's /etc/ipvsadm.rules.
Result<std::string> ipvsadmScript(const Topology& topology, const Node& director);
Result<std::string> ipvsadmSave(const Topology& topology, const Node& director);
// keepalived.conf for one director: global_defs, vrrp_sync_group, vrrp_instance, virtual_server
// with real_server and its checker (HTTP_GET / TCP_CHECK), sorry_server; FULLNAT in DPVS's
// keepalived syntax (lb_kind FNAT, local_address_group).
Result<std::string> keepalivedConf(const Topology& topology, const Node& director);
// The seeds' set-up scripts, idempotent, with start|stop|status: the director's sysctls, VIP
// alias, fwmark rules and ipvsadm table; a real server's VIP on lo or tunl0, arp_ignore /
// arp_announce / rp_filter, routes.
Result<std::string> directorSetup(const Topology& topology, const Node& director);
Result<std::string> rsSetup(const Topology& topology, const Node& realServer);
// The whole lab as plain `ip netns` / `ip link` / `ip addr` / `ip route` / `sysctl` commands,
// with `up` and `down`.
Result<std::string> netnsScript(const Topology& topology, const std::string& labName);

} // namespace lvs::core::exports
