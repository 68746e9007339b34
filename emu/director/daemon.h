// lvs-director: the userspace director of a lab's director node. Runs inside the node's
// network namespace: AF_PACKET sockets on the node's interfaces feed the DataPlane, nftables
// netdev ingress rules keep the namespace's kernel from answering the same packets, the
// control socket serves lvsadm, and every handled packet can be traced as a JSON line.
#pragma once

#include <string>

namespace lvs::emu::director {

struct DirectorOptions {
    std::string design;              // the .lvslab file
    std::string designText;          // or its text (the lab passes the design it planned)
    std::string node;                // the director node's name in it
    std::string lab;                 // the lab's name (control socket and trace paths)
    std::string root = "/run/lvslab";
    std::string socketPath;          // default <root>/<lab>/<node>.ctl
    std::string tracePath;           // default <root>/<lab>/<node>.trace.jsonl; "-" for none
    bool installNft = true;
    int readyFd = -1;                // written once the sockets and rules are in place
    int ownerUid = -1;               // the control socket's owner
    int ownerGid = -1;
};

// Runs until SIGTERM or SIGINT; returns the process exit status (0, or 1 with a message on
// stderr when it cannot start).
int runDirectorProcess(const DirectorOptions& options);

// `lvs-director --design FILE --node NAME --lab LAB [--socket PATH] [--trace PATH|-] [--no-nft]`.
int runDirectorCommand(int argc, char** argv);

} // namespace lvs::emu::director
