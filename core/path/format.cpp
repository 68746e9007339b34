// The packet paths as a readable table and as JSON.
#include "core/path/path.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lvs::core::path {

namespace {

std::string headerText(const Headers& h, const std::vector<std::string>& changed)
{
    auto mark = [&](const char* field, std::string text) {
        return std::find(changed.begin(), changed.end(), field) != changed.end() ? "*" + text : text;
    };
    std::string out = mark("eth.src", h.srcMac.toString()) + " > " + mark("eth.dst", h.dstMac.toString());
    if (h.outerSrc)
        out += " | IPIP " + mark("outer.src", h.outerSrc->toString()) + " > " + mark("outer.dst", h.outerDst->toString());
    out += " | " + mark("ip.src", h.src.toString()) + ":" + mark("sport", std::to_string(h.sport)) + " > "
        + mark("ip.dst", h.dst.toString()) + ":" + mark("dport", std::to_string(h.dport));
    if (h.toaAddress)
        out += " | " + mark("toa", "TOA " + h.toaAddress->toString() + ":" + std::to_string(*h.toaPort));
    if (h.mark)
        out += " | " + mark("mark", "mark " + std::to_string(h.mark));
    return out;
}

void legText(std::string& out, const char* title, const Leg& leg)
{
    out += std::string("  ") + title + "\n";
    for (const Hop& hop : leg.hops) {
        std::string hooks;
        for (const std::string& k : hop.hooks)
            hooks += (hooks.empty() ? "" : " > ") + k;
        out += "    " + hop.node + " [" + (hop.inInterface.empty() ? "-" : hop.inInterface) + " -> "
            + (hop.outInterface.empty() ? "-" : hop.outInterface) + "]  " + hooks + "\n";
        for (const std::string& d : hop.decisions)
            out += "      . " + d + "\n";
        out += "      " + headerText(hop.headers, hop.changed) + "\n";
    }
    if (leg.delivered)
        out += "    delivered\n";
    else if (!leg.breakReason.empty())
        out += "    BROKEN at " + leg.brokenAt + ": " + leg.breakReason + "\n";
}

nlohmann::ordered_json headersJson(const Headers& h)
{
    nlohmann::ordered_json j;
    j["eth_src"] = h.srcMac.toString();
    j["eth_dst"] = h.dstMac.toString();
    if (h.outerSrc) {
        j["outer_src"] = h.outerSrc->toString();
        j["outer_dst"] = h.outerDst->toString();
    }
    j["protocol"] = std::string(toString(h.protocol));
    j["ip_src"] = h.src.toString();
    j["ip_dst"] = h.dst.toString();
    j["sport"] = h.sport;
    j["dport"] = h.dport;
    if (h.toaAddress) {
        j["toa_address"] = h.toaAddress->toString();
        j["toa_port"] = *h.toaPort;
    }
    if (h.mark)
        j["mark"] = h.mark;
    return j;
}

nlohmann::ordered_json legJson(const Leg& leg)
{
    nlohmann::ordered_json j;
    j["delivered"] = leg.delivered;
    j["broken_at"] = leg.brokenAt;
    j["reason"] = leg.breakReason;
    j["hops"] = nlohmann::ordered_json::array();
    for (const Hop& hop : leg.hops) {
        nlohmann::ordered_json h;
        h["node"] = hop.node;
        h["in"] = hop.inInterface;
        h["out"] = hop.outInterface;
        h["hooks"] = hop.hooks;
        h["decisions"] = hop.decisions;
        h["headers"] = headersJson(hop.headers);
        h["changed"] = hop.changed;
        j["hops"].push_back(h);
    }
    return j;
}

} // namespace

std::string formatTraces(const std::vector<Trace>& traces)
{
    std::string out;
    for (const Trace& t : traces) {
        out += "Request " + std::to_string(t.index) + ": " + t.client + " -> " + t.target;
        if (!t.realServer.empty())
            out += " (" + t.director + " -> " + t.realServer + ", " + t.method + ")";
        out += "\n";
        if (!t.why.empty())
            out += "  scheduler: " + t.why + "\n";
        legText(out, "request", t.request);
        if (!t.response.hops.empty())
            legText(out, "response", t.response);
    }
    out += "(* marks the fields this hop changed)\n";
    return out;
}

std::string tracesToJson(const std::vector<Trace>& traces)
{
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const Trace& t : traces) {
        nlohmann::ordered_json j;
        j["index"] = t.index;
        j["client"] = t.client;
        j["target"] = t.target;
        j["director"] = t.director;
        j["real_server"] = t.realServer;
        j["method"] = t.method;
        j["why"] = t.why;
        j["request_path"] = legJson(t.request);
        j["response_path"] = legJson(t.response);
        all.push_back(j);
    }
    return all.dump(2) + "\n";
}

} // namespace lvs::core::path
