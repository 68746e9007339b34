// LibnlOps: the lab's kernel operations through libnl-3, setns(2), mount(2) and /proc.
#include "emu/lab/libnl_ops.h"

#include "emu/director/daemon.h"

#include "emu/lab/decap.h"
#include "emu/lab/services.h"

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/ipip.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>

#include <arpa/inet.h>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sched.h>
#include <sstream>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lvs::emu::lab {

namespace {

constexpr const char* kNetnsDir = "/run/netns";
constexpr int kStopWaitMs = 2000;
constexpr int kAgentReadyMs = 5000;

std::unexpected<OpError> sysError(int code, const std::string& what)
{
    return std::unexpected(OpError{code, what + ": " + std::strerror(code)});
}

std::unexpected<OpError> nlError(int err, const std::string& what)
{
    int e = err < 0 ? -err : err;
    int code = EIO;
    switch (e) {
    case NLE_EXIST: code = EEXIST; break;
    case NLE_OBJ_NOTFOUND:
    case NLE_NODEV: code = ENOENT; break;
    case NLE_PERM: code = EPERM; break;
    case NLE_NOACCESS: code = EACCES; break;
    case NLE_BUSY: code = EBUSY; break;
    case NLE_OPNOTSUPP: code = EOPNOTSUPP; break;
    default: break;
    }
    return std::unexpected(OpError{code, what + ": " + nl_geterror(e)});
}

// RAII for libnl objects.
template <typename T, void (*Put)(T*)>
struct NlPtr {
    T* p = nullptr;
    NlPtr() = default;
    explicit NlPtr(T* q) : p(q) {}
    ~NlPtr()
    {
        if (p)
            Put(p);
    }
    NlPtr(const NlPtr&) = delete;
    NlPtr& operator=(const NlPtr&) = delete;
    T* get() const { return p; }
};
using LinkPtr = NlPtr<rtnl_link, rtnl_link_put>;
using AddrPtr = NlPtr<nl_addr, nl_addr_put>;
using RtAddrPtr = NlPtr<rtnl_addr, rtnl_addr_put>;
using RoutePtr = NlPtr<rtnl_route, rtnl_route_put>;
using CachePtr = NlPtr<nl_cache, nl_cache_free>;

nl_addr* ipv4Addr(core::Ipv4 address, int prefix)
{
    std::uint32_t be = htonl(address.value);
    nl_addr* a = nl_addr_build(AF_INET, &be, 4);
    nl_addr_set_prefixlen(a, prefix);
    return a;
}

nl_addr* macAddr(const core::Mac& mac) { return nl_addr_build(AF_LLC, mac.bytes.data(), 6); }

// The kernel's link named name, or nullptr.
rtnl_link* findLink(nl_sock* sk, const std::string& name)
{
    rtnl_link* link = nullptr;
    if (rtnl_link_get_kernel(sk, 0, name.c_str(), &link) < 0)
        return nullptr;
    return link;
}

template <typename Fn>
OpResult<> changeLink(nl_sock* sk, const std::string& ns, const std::string& name, Fn&& fill)
{
    LinkPtr orig(findLink(sk, name));
    if (!orig.get())
        return std::unexpected(OpError{ENOENT, ns + ": no link " + name});
    LinkPtr changes(rtnl_link_alloc());
    fill(changes.get());
    if (int err = rtnl_link_change(sk, orig.get(), changes.get(), 0); err < 0)
        return nlError(err, ns + ": cannot change " + name);
    return {};
}

// The fields of /proc/PID/stat after the command name; empty when the process does not exist.
std::vector<std::string> statFields(int pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos)
        return {};
    std::istringstream rest(text.substr(close + 1));
    std::vector<std::string> fields;
    for (std::string f; rest >> f;)
        fields.push_back(f);
    return fields; // fields[0] is field 3 (state)
}

// Waits (bounded) for a process to end; true when it has.
bool waitGone(int pid, int timeoutMs)
{
    int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0)
        return errno == ESRCH;
    pollfd p{fd, POLLIN, 0};
    int n = poll(&p, 1, timeoutMs);
    ::close(fd);
    return n > 0;
}

void reap(int pid)
{
    int status = 0;
    (void)waitpid(pid, &status, WNOHANG); // ours: collect it; not ours: ECHILD, harmless
}

} // namespace

std::string namespacePath(const std::string& ns) { return std::string(kNetnsDir) + "/" + ns; }

std::uint64_t processStartTime(int pid)
{
    auto f = statFields(pid);
    if (f.size() < 20)
        return 0;
    return std::stoull(f[19]);
}

NamespaceGuard::NamespaceGuard(const std::string& ns)
{
    m_back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (m_back < 0) {
        m_error = {errno, std::string("cannot open this thread's namespace: ") + std::strerror(errno)};
        return;
    }
    int fd = open(namespacePath(ns).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
        int e = errno;
        m_error = {e, "cannot enter namespace " + ns + ": " + std::strerror(e)};
        if (fd >= 0)
            ::close(fd);
        ::close(m_back);
        m_back = -1;
        return;
    }
    ::close(fd);
}

NamespaceGuard::~NamespaceGuard()
{
    if (m_back >= 0) {
        (void)setns(m_back, CLONE_NEWNET);
        ::close(m_back);
    }
}

LibnlOps::~LibnlOps()
{
    for (auto& [ns, sk] : m_sockets)
        nl_socket_free(sk);
}

OpResult<nl_sock*> LibnlOps::socketIn(const std::string& ns)
{
    if (auto it = m_sockets.find(ns); it != m_sockets.end())
        return it->second;
    // A netlink socket belongs to the namespace it was made in, so it is made inside and kept.
    NamespaceGuard guard(ns);
    if (!guard.ok())
        return std::unexpected(guard.error());
    nl_sock* sk = nl_socket_alloc();
    if (!sk)
        return sysError(ENOMEM, "netlink socket");
    if (int err = nl_connect(sk, NETLINK_ROUTE); err < 0) {
        nl_socket_free(sk);
        return nlError(err, ns + ": netlink");
    }
    m_sockets[ns] = sk;
    return sk;
}

void LibnlOps::dropSocket(const std::string& ns)
{
    if (auto it = m_sockets.find(ns); it != m_sockets.end()) {
        nl_socket_free(it->second);
        m_sockets.erase(it);
    }
}

OpResult<> LibnlOps::addNamespace(const std::string& ns)
{
    // As iproute2's netns_add: /run/netns is a shared mount point, NAME a file on which the new
    // namespace (/proc/thread-self/ns/net after unshare in a helper thread) is bind-mounted.
    if (mkdir(kNetnsDir, 0755) != 0 && errno != EEXIST)
        return sysError(errno, std::string("cannot make ") + kNetnsDir);
    if (mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
        if (errno != EINVAL)
            return sysError(errno, std::string("cannot make ") + kNetnsDir + " a shared mount");
        if (mount(kNetnsDir, kNetnsDir, "none", MS_BIND | MS_REC, nullptr) != 0
            || mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) != 0)
            return sysError(errno, std::string("cannot make ") + kNetnsDir + " a shared mount");
    }
    std::string path = namespacePath(ns);
    int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0)
        return sysError(errno, "cannot create namespace " + ns);
    ::close(fd);
    int error = 0;
    std::thread helper([&] {
        if (unshare(CLONE_NEWNET) != 0)
            error = errno;
        else if (mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0)
            error = errno;
    });
    helper.join();
    if (error) {
        unlink(path.c_str());
        return sysError(error, "cannot create namespace " + ns);
    }
    return {};
}

OpResult<> LibnlOps::deleteNamespace(const std::string& ns)
{
    dropSocket(ns);
    std::string path = namespacePath(ns);
    (void)umount2(path.c_str(), MNT_DETACH); // EINVAL when an up died before the bind mount
    if (unlink(path.c_str()) != 0 && errno != ENOENT)
        return sysError(errno, "cannot delete namespace " + ns);
    return {};
}

std::vector<std::string> LibnlOps::listNamespaces()
{
    std::vector<std::string> out;
    DIR* dir = opendir(kNetnsDir);
    if (!dir)
        return out;
    while (dirent* e = readdir(dir)) {
        std::string name = e->d_name;
        if (name != "." && name != "..")
            out.push_back(name);
    }
    closedir(dir);
    std::sort(out.begin(), out.end());
    return out;
}

OpResult<> LibnlOps::addBridge(const std::string& ns, const std::string& name)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::unexpected(sk.error());
    LinkPtr link(rtnl_link_bridge_alloc());
    rtnl_link_set_name(link.get(), name.c_str());
    if (int err = rtnl_link_add(*sk, link.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0)
        return nlError(err, ns + ": cannot add bridge " + name);
    return {};
}

OpResult<> LibnlOps::addVeth(const PlanVeth& veth)
{
    auto sk = socketIn(veth.a.ns);
    if (!sk)
        return std::unexpected(sk.error());
    LinkPtr link(rtnl_link_veth_alloc());
    LinkPtr peer(rtnl_link_veth_get_peer(link.get()));
    rtnl_link_set_name(link.get(), veth.a.name.c_str());
    rtnl_link_set_name(peer.get(), veth.b.name.c_str());
    if (veth.a.mac) {
        AddrPtr mac(macAddr(*veth.a.mac));
        rtnl_link_set_addr(link.get(), mac.get());
    }
    if (veth.b.mac) {
        AddrPtr mac(macAddr(*veth.b.mac));
        rtnl_link_set_addr(peer.get(), mac.get());
    }
    int peerNs = -1;
    if (veth.b.ns != veth.a.ns) {
        peerNs = open(namespacePath(veth.b.ns).c_str(), O_RDONLY | O_CLOEXEC);
        if (peerNs < 0)
            return sysError(errno, "cannot open namespace " + veth.b.ns);
        rtnl_link_set_ns_fd(peer.get(), peerNs);
    }
    int err = rtnl_link_add(*sk, link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (peerNs >= 0)
        ::close(peerNs);
    if (err < 0)
        return nlError(err, veth.a.ns + ": cannot add veth " + veth.a.name + " <-> " + veth.b.ns + " " + veth.b.name);
    return {};
}

OpResult<> LibnlOps::addDummy(const PlanDummy& dummy)
{
    auto sk = socketIn(dummy.ns);
    if (!sk)
        return std::unexpected(sk.error());
    LinkPtr link(rtnl_link_alloc());
    rtnl_link_set_type(link.get(), "dummy");
    rtnl_link_set_name(link.get(), dummy.name.c_str());
    AddrPtr mac(macAddr(dummy.mac));
    rtnl_link_set_addr(link.get(), mac.get());
    if (int err = rtnl_link_add(*sk, link.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0)
        return nlError(err, dummy.ns + ": cannot add dummy " + dummy.name);
    return {};
}

OpResult<TunnelDevice> LibnlOps::ensureTunnel(const std::string& ns)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::unexpected(sk.error());
    auto kindOf = [](rtnl_link* link) {
        const char* type = rtnl_link_get_type(link);
        return type && std::strcmp(type, "tun") == 0 ? TunnelDevice::Userspace : TunnelDevice::Kernel;
    };
    if (LinkPtr existing(findLink(*sk, "tunl0")); existing.get())
        return kindOf(existing.get());
    // Asking for an ipip link loads the module, which gives every namespace its tunl0; where
    // fallback devices are only for the first namespace, this request makes tunl0 itself.
    LinkPtr link(rtnl_link_ipip_alloc());
    rtnl_link_set_name(link.get(), "tunl0");
    int err = rtnl_link_add(*sk, link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (LinkPtr made(findLink(*sk, "tunl0")); made.get())
        return TunnelDevice::Kernel;
    // No ipip module: tunl0 becomes a persistent TUN device (made in the namespace, so opened
    // from inside it), served by the userspace decapsulator the plan starts there.
    std::string why;
    {
        NamespaceGuard guard(ns);
        if (!guard.ok())
            return std::unexpected(guard.error());
        if (int e = makePersistentTun("tunl0", &why); e != 0)
            return nlError(err, ns + ": no tunl0 (no ipip module on this machine?), and no TUN device instead (" + why
                                    + "): a TUN real server needs it");
    }
    return TunnelDevice::Userspace;
}

OpResult<> LibnlOps::setMaster(const std::string& ns, const std::string& device, const std::string& bridge)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::unexpected(sk.error());
    LinkPtr br(findLink(*sk, bridge));
    if (!br.get())
        return std::unexpected(OpError{ENOENT, ns + ": no bridge " + bridge});
    int index = rtnl_link_get_ifindex(br.get());
    return changeLink(*sk, ns, device, [&](rtnl_link* c) { rtnl_link_set_master(c, index); });
}

OpResult<> LibnlOps::setUp(const std::string& ns, const std::string& device)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::unexpected(sk.error());
    return changeLink(*sk, ns, device, [](rtnl_link* c) { rtnl_link_set_flags(c, IFF_UP); });
}

OpResult<> LibnlOps::addAddress(const std::string& ns, const std::string& device, const core::Ipv4Prefix& address)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::unexpected(sk.error());
    LinkPtr link(findLink(*sk, device));
    if (!link.get())
        return std::unexpected(OpError{ENOENT, ns + ": no link " + device});
    RtAddrPtr addr(rtnl_addr_alloc());
    rtnl_addr_set_ifindex(addr.get(), rtnl_link_get_ifindex(link.get()));
    AddrPtr local(ipv4Addr(address.address, address.length));
    rtnl_addr_set_local(addr.get(), local.get());
    if (address.length < 31) { // as `ip addr add ... brd +`, so broadcasts work on the segment
        std::uint32_t host = ~address.netmask();
        AddrPtr brd(ipv4Addr(core::Ipv4{address.address.value | host}, 32));
        rtnl_addr_set_broadcast(addr.get(), brd.get());
    }
    if (int err = rtnl_addr_add(*sk, addr.get(), NLM_F_EXCL); err < 0)
        return nlError(err, ns + ": cannot add " + address.toString() + " to " + device);
    return {};
}

OpResult<> LibnlOps::addRoute(const std::string& ns, const core::Ipv4Prefix& destination, core::Ipv4 via)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::unexpected(sk.error());
    RoutePtr route(rtnl_route_alloc());
    rtnl_route_set_family(route.get(), AF_INET);
    AddrPtr dst(ipv4Addr(destination.network(), destination.length));
    rtnl_route_set_dst(route.get(), dst.get());
    rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
    rtnl_route_set_protocol(route.get(), RTPROT_BOOT);
    rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
    rtnl_route_set_type(route.get(), RTN_UNICAST);
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    AddrPtr gw(ipv4Addr(via, 32));
    rtnl_route_nh_set_gateway(nh, gw.get());
    rtnl_route_add_nexthop(route.get(), nh); // the route owns nh now
    std::string text = (destination.length == 0 ? std::string("default") : destination.toString()) + " via " + via.toString();
    if (int err = rtnl_route_add(*sk, route.get(), NLM_F_EXCL); err < 0)
        return nlError(err, ns + ": cannot add route " + text);
    return {};
}

OpResult<> LibnlOps::setSysctl(const std::string& ns, const std::string& key, int value)
{
    if (key.empty() || key.find('/') != std::string::npos || key.find("..") != std::string::npos)
        return std::unexpected(OpError{EINVAL, "not a sysctl key: " + key});
    std::string path = "/proc/sys/" + key;
    std::replace(path.begin(), path.end(), '.', '/');
    // /proc/sys/net shows the namespace of the thread that looks it up.
    NamespaceGuard guard(ns);
    if (!guard.ok())
        return std::unexpected(guard.error());
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return sysError(errno, ns + ": sysctl " + key);
    std::string text = std::to_string(value) + "\n";
    ssize_t n = write(fd, text.data(), text.size());
    int e = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size()))
        return sysError(e, ns + ": sysctl " + key + "=" + std::to_string(value));
    return {};
}

OpResult<ProcessId> LibnlOps::startProcess(const PlanProcess& process, const std::string& logPath)
{
    int logFd = open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (logFd < 0)
        return sysError(errno, "cannot open " + logPath);
    int nsFd = open(namespacePath(process.ns).c_str(), O_RDONLY | O_CLOEXEC);
    if (nsFd < 0) {
        int e = errno;
        ::close(logFd);
        return sysError(e, "cannot open namespace " + process.ns);
    }
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        int e = errno;
        ::close(logFd);
        ::close(nsFd);
        return sysError(e, "pipe");
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        for (int fd : {logFd, nsFd, ready[0], ready[1]})
            ::close(fd);
        return sysError(e, "fork");
    }
    if (pid == 0) {
        // The child: into the namespace, away from the caller's session, stdio to the log.
        // Until it is inside the namespace (where clean finds it, since the manifest names the
        // namespace) it dies with an up that is killed, so no process escapes the cleanup.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent || setns(nsFd, CLONE_NEWNET) != 0)
            _exit(126);
        prctl(PR_SET_PDEATHSIG, 0);
        setsid();
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(logFd, 1);
        dup2(logFd, 2);
        dup2(ready[1], 3); // dup2 clears close-on-exec: the agent reports readiness on fd 3
        close_range(4, ~0U, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD})
            signal(sig, SIG_DFL);
        if (process.kind == ProcessKind::Command) {
            ::close(3);
            execl("/bin/sh", "sh", "-c", process.command.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        signal(SIGPIPE, SIG_IGN);
        if (process.kind == ProcessKind::Director) {
            // lvs-director, in place: its socket and trace sit next to this log.
            director::DirectorOptions o;
            o.designText = process.design;
            o.node = process.nodeName;
            o.lab = process.lab;
            const std::string folder = logPath.substr(0, logPath.rfind('/'));
            o.socketPath = folder + "/" + process.nodeName + ".ctl";
            o.tracePath = folder + "/" + process.nodeName + ".trace.jsonl";
            o.readyFd = 3;
            if (const char* uid = std::getenv("SUDO_UID"))
                o.ownerUid = std::atoi(uid);
            if (const char* gid = std::getenv("SUDO_GID"))
                o.ownerGid = std::atoi(gid);
            _exit(director::runDirectorProcess(o));
        }
        if (process.kind == ProcessKind::Decap)
            _exit(runDecap(process.nodeName, 3));
        _exit(runAgent(process.nodeName, process.services, 3));
    }
    ::close(logFd);
    ::close(nsFd);
    ::close(ready[1]);
    ProcessId id{pid, processStartTime(pid)};
    if (process.kind != ProcessKind::Command) {
        pollfd p{ready[0], POLLIN, 0};
        char byte = 0;
        bool ok = poll(&p, 1, kAgentReadyMs) > 0 && read(ready[0], &byte, 1) == 1;
        if (!ok) {
            ::close(ready[0]);
            kill(pid, SIGKILL);
            waitGone(pid, kStopWaitMs);
            reap(pid);
            return std::unexpected(OpError{EIO, std::string(process.kind == ProcessKind::Director ? "lvs-director"
                                                                            : process.kind == ProcessKind::Decap ? "the IPIP decapsulator"
                                                                                                                  : "the built-in services") + " did not start within "
                                                    + std::to_string(kAgentReadyMs / 1000) + " s; see " + logPath});
        }
    }
    ::close(ready[0]);
    return id;
}

std::vector<int> LibnlOps::processesIn(const std::string& ns)
{
    std::vector<int> out;
    struct stat target {};
    if (stat(namespacePath(ns).c_str(), &target) != 0)
        return out;
    DIR* dir = opendir("/proc");
    if (!dir)
        return out;
    int me = getpid();
    while (dirent* e = readdir(dir)) {
        char* end = nullptr;
        long pid = std::strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == me)
            continue;
        struct stat st {};
        std::string path = "/proc/" + std::string(e->d_name) + "/ns/net";
        if (stat(path.c_str(), &st) == 0 && st.st_ino == target.st_ino && st.st_dev == target.st_dev)
            out.push_back(static_cast<int>(pid));
    }
    closedir(dir);
    return out;
}

void LibnlOps::stopProcessesIn(const std::string& ns)
{
    auto pids = processesIn(ns);
    for (int pid : pids)
        kill(pid, SIGTERM);
    for (int pid : pids)
        if (!waitGone(pid, kStopWaitMs))
            kill(pid, SIGKILL);
    for (int pid : pids) {
        waitGone(pid, kStopWaitMs);
        reap(pid);
    }
}

void LibnlOps::stopProcess(const ProcessId& process)
{
    if (!processAlive(process))
        return;
    kill(process.pid, SIGTERM);
    if (!waitGone(process.pid, kStopWaitMs)) {
        kill(process.pid, SIGKILL);
        waitGone(process.pid, kStopWaitMs);
    }
    reap(process.pid);
}

bool LibnlOps::processAlive(const ProcessId& process)
{
    auto f = statFields(process.pid);
    if (f.size() < 20)
        return false;
    if (f[0] == "Z" || f[0] == "X") {
        reap(process.pid);
        return false;
    }
    return std::stoull(f[19]) == process.startTime;
}

ProcessId LibnlOps::self() { return {getpid(), processStartTime(getpid())}; }

std::optional<core::Mac> LibnlOps::neighbourMac(const std::string& ns, core::Ipv4 address)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::nullopt;
    nl_cache* raw = nullptr;
    if (rtnl_neigh_alloc_cache(*sk, &raw) < 0)
        return std::nullopt;
    CachePtr cache(raw);
    std::uint32_t be = htonl(address.value);
    for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
        auto* n = reinterpret_cast<rtnl_neigh*>(o);
        nl_addr* dst = rtnl_neigh_get_dst(n);
        nl_addr* ll = rtnl_neigh_get_lladdr(n);
        if (!dst || !ll || nl_addr_get_family(dst) != AF_INET || nl_addr_get_len(dst) != 4 || nl_addr_get_len(ll) != 6)
            continue;
        if (std::memcmp(nl_addr_get_binary_addr(dst), &be, 4) != 0)
            continue;
        if (rtnl_neigh_get_state(n) & (NUD_FAILED | NUD_INCOMPLETE))
            continue;
        core::Mac mac;
        std::memcpy(mac.bytes.data(), nl_addr_get_binary_addr(ll), 6);
        return mac;
    }
    return std::nullopt;
}

std::optional<core::Mac> LibnlOps::linkMac(const std::string& ns, const std::string& device)
{
    auto sk = socketIn(ns);
    if (!sk)
        return std::nullopt;
    LinkPtr link(findLink(*sk, device));
    if (!link.get())
        return std::nullopt;
    nl_addr* a = rtnl_link_get_addr(link.get());
    if (!a || nl_addr_get_len(a) != 6)
        return std::nullopt;
    core::Mac mac;
    std::memcpy(mac.bytes.data(), nl_addr_get_binary_addr(a), 6);
    return mac;
}

} // namespace lvs::emu::lab
