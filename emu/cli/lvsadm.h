// lvsadm: ipvsadm's command line against an offline table kept in a file (--state FILE) or,
// with lvs-director, a lab's running director (--lab N --node NODE).
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace lvs::emu {

struct LvsadmEnvironment {
    std::string program = "lvsadm"; // argv[0] as ipvsadm's messages name it
    // The table used when neither --state nor --lab is given: $LVSADM_STATE, else
    // $XDG_STATE_HOME/lvslab/lvsadm.state, else ~/.local/state/lvslab/lvsadm.state.
    std::string defaultState;
    // Set inside a lab node by `lvsctl lab exec N NODE -- ...` ($LVSLAB_LAB, $LVSLAB_NODE): then
    // lvsadm without --state or --lab drives that node's live director, as ipvsadm on a
    // director drives its kernel.
    std::string lab;
    std::string node;
    // Where running labs keep their directors' control sockets (<root>/<lab>/<node>.ctl).
    std::string labRoot = "/run/lvslab";
};

// The environment of this process (getenv).
LvsadmEnvironment lvsadmEnvironment(const char* argv0);

// Runs `lvsadm ARGS`: exit status as ipvsadm's (see core/ipvsadm/run.h), or 2 for lvsadm's own
// errors (an unreadable or broken state file, a failed save, a bad --state/--lab).
int runLvsadm(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
              std::ostream& err, const LvsadmEnvironment& env);

} // namespace lvs::emu
