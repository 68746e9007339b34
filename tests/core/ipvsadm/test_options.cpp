// Tests of the ipvsadm command-line parser against ipvsadm.c (Debian 1.31): each row names the
// function of ipvsadm.c whose behaviour it pins down. Rows named "dpvs:" pin down the DPVS
// full-NAT dialect (docs/ipvsadm-dialect.md) against DPVS's tools/ipvsadm/ipvsadm.c; rows
// named "dialect:" show that an upstream line keeps its upstream meaning.
#include <QtTest>

#include "core/ipvsadm/options.h"

using namespace lvs::core;
using namespace lvs::core::ipvsadm;

namespace {

std::vector<std::string> words(const QString& line)
{
    std::vector<std::string> out;
    for (const QString& w : line.split(' ', Qt::SkipEmptyParts))
        out.push_back(w.toStdString());
    return out;
}

// A resolver like a lab's: node names and a couple of services, nothing from the host.
const Resolver& labResolver()
{
    static const Resolver r{
        [](std::string_view host) -> std::optional<Ipv4> {
            if (host == "rs1")
                return Ipv4::parse("192.168.10.11");
            if (host == "vip")
                return Ipv4::parse("172.18.100.6");
            return std::nullopt;
        },
        [](std::string_view name, Protocol p) -> std::optional<std::uint16_t> {
            if (name == "http")
                return 80;
            if (name == "domain" && p == Protocol::Udp)
                return 53;
            return std::nullopt;
        },
    };
    return r;
}

QString kindName(CommandKind k)
{
    return QString::fromUtf8(commandName(k).data(), static_cast<qsizetype>(commandName(k).size()));
}

QString serviceText(const std::optional<Service>& s)
{
    if (!s)
        return "none";
    if (s->isFwmark)
        return QString("fwmark %1%2").arg(s->fwmark).arg(s->ipv6 ? " ipv6" : "");
    QString proto = s->protocol == Protocol::Tcp ? "tcp" : s->protocol == Protocol::Udp ? "udp" : "sctp";
    QString addr = QString::fromStdString(s->address.toString());
    if (s->address.ipv6)
        addr = "[" + addr + "]";
    return QString("%1 %2:%3").arg(proto, addr).arg(s->port);
}

QString forwardText(ForwardMethod f)
{
    switch (f) {
    case ForwardMethod::Route: return "route";
    case ForwardMethod::Tunnel: return "tunnel";
    case ForwardMethod::Masq: return "masq";
    case ForwardMethod::FullNat: return "fullnat";
    }
    return "?";
}

// One field of a parsed command, as text, so that rows can name what they check.
QString field(const Command& c, const QString& name)
{
    if (name == "kind") return kindName(c.kind);
    if (name == "service") return serviceText(c.service);
    if (name == "scheduler") return QString::fromStdString(c.scheduler);
    if (name == "persistent") return c.has(Option::Persistent) ? QString::number(c.persistenceTimeout) : "no";
    if (name == "netmask") return c.service && c.service->ipv6 ? QString::number(c.netmask)
                                                               : QString::fromStdString(Ipv4{c.netmask}.toString());
    if (name == "flags") return "0x" + QString::number(c.flags, 16);
    if (name == "pe") return QString::fromStdString(c.persistenceEngine);
    if (name == "server") {
        if (!c.server)
            return "none";
        QString a = QString::fromStdString(c.server->address.toString());
        if (c.server->address.ipv6)
            a = "[" + a + "]";
        return a + ":" + QString::number(c.server->port);
    }
    if (name == "forward") return forwardText(c.forward);
    if (name == "weight") return QString::number(c.weight);
    if (name == "thresholds") return QString("%1/%2").arg(c.upperThreshold).arg(c.lowerThreshold);
    if (name == "set") return QString("%1 %2 %3").arg(c.tcpTimeout).arg(c.tcpFinTimeout).arg(c.udpTimeout);
    if (name == "daemon")
        return QString("%1 %2 %3").arg(c.daemonState == DaemonState::Master ? "master" : "backup",
                                       QString::fromStdString(c.mcastInterface)).arg(c.syncId);
    if (name == "mcast") {
        QString group = c.mcastGroup ? QString::fromStdString(c.mcastGroup->toString()) : "none";
        return QString("%1 %2 %3 %4").arg(group).arg(c.mcastPort).arg(c.mcastTtl).arg(c.syncMaxlen);
    }
    if (name == "tunnel")
        return QString("%1 %2 %3").arg(int(c.tunnelType)).arg(c.tunnelPort).arg(c.tunnelFlags);
    if (name == "laddr") {
        QString a = c.localAddress ? QString::fromStdString(c.localAddress->toString()) : "none";
        return a + " " + (c.has(Option::Ifname) ? QString::fromStdString(c.ifname) : "none");
    }
    if (name == "list") {
        QStringList f;
        if (c.format.numeric) f << "n";
        if (c.connection) f << "c";
        if (c.timeout) f << "timeout";
        if (c.daemon) f << "daemon";
        if (c.format.stats) f << "stats";
        if (c.format.rate) f << "rate";
        if (c.format.exact) f << "exact";
        if (c.format.thresholds) f << "thresholds";
        if (c.format.persistentConn) f << "pc";
        if (c.format.noSort) f << "nosort";
        if (c.format.tunInfo) f << "tun-info";
        return f.join(',');
    }
    return "unknown field " + name;
}

} // namespace

class TestIpvsadmOptions : public QObject {
    Q_OBJECT

private slots:
    // Every command's happy path: the command parse_options() selects through set_command().
    void commands_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("kind");
        QTest::newRow("main: no arguments lists all") << "" << "list";
        QTest::newRow("parse_options: -A") << "-A -t 10.0.0.1:80" << "add-service";
        QTest::newRow("parse_options: --add-service") << "--add-service --tcp-service 10.0.0.1:80" << "add-service";
        QTest::newRow("parse_options: -E") << "-E -t 10.0.0.1:80 -s rr" << "edit-service";
        QTest::newRow("parse_options: --edit-service") << "--edit-service -u 10.0.0.1:53" << "edit-service";
        QTest::newRow("parse_options: -D") << "-D -t 10.0.0.1:80" << "delete-service";
        QTest::newRow("parse_options: --delete-service") << "--delete-service -f 1" << "delete-service";
        QTest::newRow("parse_options: -C (CMD_FLUSH)") << "-C" << "flush";
        QTest::newRow("parse_options: --clear") << "--clear" << "flush";
        QTest::newRow("parse_options: -R") << "-R" << "restore";
        QTest::newRow("parse_options: --restore") << "--restore" << "restore";
        QTest::newRow("parse_options: -S") << "-S" << "save";
        QTest::newRow("parse_options: -S -n") << "-S -n" << "save";
        QTest::newRow("parse_options: --save") << "--save" << "save";
        QTest::newRow("parse_options: -a") << "-a -t 10.0.0.1:80 -r 192.168.10.11" << "add-server";
        QTest::newRow("parse_options: --add-server") << "--add-server -t 10.0.0.1:80 --real-server 192.168.10.11" << "add-server";
        QTest::newRow("parse_options: -e") << "-e -t 10.0.0.1:80 -r 192.168.10.11 -w 3" << "edit-server";
        QTest::newRow("parse_options: --edit-server") << "--edit-server -t 10.0.0.1:80 -r 192.168.10.11" << "edit-server";
        QTest::newRow("parse_options: -d") << "-d -t 10.0.0.1:80 -r 192.168.10.11" << "delete-server";
        QTest::newRow("parse_options: --delete-server") << "--delete-server -t 10.0.0.1:80 -r 192.168.10.11" << "delete-server";
        QTest::newRow("parse_options: -L") << "-L" << "list";
        QTest::newRow("parse_options: -l") << "-l" << "list";
        QTest::newRow("parse_options: --list") << "--list" << "list";
        QTest::newRow("parse_options: -Z") << "-Z" << "zero";
        QTest::newRow("parse_options: --zero -t") << "--zero -t 10.0.0.1:80" << "zero";
        QTest::newRow("parse_options: --set") << "--set 900 120 300" << "set";
        QTest::newRow("parse_options: --start-daemon") << "--start-daemon master" << "start-daemon";
        QTest::newRow("parse_options: --stop-daemon") << "--stop-daemon backup" << "stop-daemon";
        QTest::newRow("parse_options: -h (usage_exit 0)") << "-h" << "help";
        QTest::newRow("parse_options: --help") << "--help" << "help";
        QTest::newRow("parse_options: -v (version_exit 0)") << "-v" << "version";
        QTest::newRow("parse_options: --version") << "--version" << "version";
        // DPVS: set_command(CMD_ADDLADDR / CMD_DELLADDR / CMD_GETLADDR), named by cmdnames[]
        QTest::newRow("dpvs: -P") << "-P -t 10.0.0.1:80 -z 192.168.10.201 -F eth1" << "add-laddr";
        QTest::newRow("dpvs: --add-laddr") << "--add-laddr --laddr 192.168.10.201 -t 10.0.0.1:80 --ifname eth1" << "add-laddr";
        QTest::newRow("dpvs: -Q") << "-Q -t 10.0.0.1:80 -z 192.168.10.201 -F eth1" << "del-laddr";
        QTest::newRow("dpvs: --del-laddr") << "--del-laddr -u 10.0.0.1:53 -z 192.168.10.201 -F eth1" << "del-laddr";
        QTest::newRow("dpvs: -G (all services)") << "-G" << "get-laddr";
        QTest::newRow("dpvs: --get-laddr -t") << "--get-laddr -t 10.0.0.1:80" << "get-laddr";
    }
    void commands()
    {
        QFETCH(QString, args);
        QFETCH(QString, kind);
        auto r = parseIpvsadm(words(args), labResolver());
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(kindName(r->kind), kind);
    }

    // Parsed fields: defaults of process_options(), parse_service(), parse_fwmark(),
    // parse_timeout(), parse_netmask(), the -g/-i/-m switches and the listing flags.
    void fields_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        // process_options() defaults
        QTest::newRow("process_options: default scheduler wlc") << "-A -t 10.0.0.1:80" << "scheduler" << "wlc";
        QTest::newRow("process_options: -s kept") << "-A -t 10.0.0.1:80 -s rr" << "scheduler" << "rr";
        QTest::newRow("process_options: edit default wlc") << "-E -t 10.0.0.1:80" << "scheduler" << "wlc";
        QTest::newRow("process_options: not persistent") << "-A -t 10.0.0.1:80" << "persistent" << "no";
        QTest::newRow("process_options: default mask /32") << "-A -t 10.0.0.1:80 -p" << "netmask" << "255.255.255.255";
        QTest::newRow("process_options: default forward -g") << "-a -t 10.0.0.1:80 -r 192.168.10.11" << "forward" << "route";
        QTest::newRow("process_options: default weight 1") << "-a -t 10.0.0.1:80 -r 192.168.10.11" << "weight" << "1";
        QTest::newRow("process_options: default mcast-interface eth0") << "--start-daemon master" << "daemon" << "master eth0 0";
        // parse_timeout(NULL) and the popt optional argument of -p
        QTest::newRow("parse_timeout: bare -p is 360") << "-A -t 10.0.0.1:80 -p" << "persistent" << "360";
        QTest::newRow("parse_timeout: -p before -s is bare") << "-A -t 10.0.0.1:80 -p -s rr" << "persistent" << "360";
        QTest::newRow("parse_timeout: -p 600") << "-A -t 10.0.0.1:80 -p 600" << "persistent" << "600";
        QTest::newRow("parse_timeout: --persistent=900") << "-A -t 10.0.0.1:80 --persistent=900" << "persistent" << "900";
        QTest::newRow("parse_timeout: -p1 clustered") << "-A -t 10.0.0.1:80 -p1" << "persistent" << "1";
        QTest::newRow("parse_timeout: -p MAX_TIMEOUT") << "-A -t 10.0.0.1:80 -p 2678400" << "persistent" << "2678400";
        QTest::newRow("parse_options: -p sets IP_VS_SVC_F_PERSISTENT") << "-A -t 10.0.0.1:80 -p" << "flags" << "0x1";
        // parse_service()
        QTest::newRow("parse_service: tcp addr:port") << "-A -t 10.0.0.1:80" << "service" << "tcp 10.0.0.1:80";
        QTest::newRow("parse_service: udp") << "-A -u 10.0.0.1:53" << "service" << "udp 10.0.0.1:53";
        QTest::newRow("parse_service: sctp") << "-A --sctp-service 10.0.0.1:3868" << "service" << "sctp 10.0.0.1:3868";
        QTest::newRow("parse_service: no port is 0") << "-A -t 10.0.0.1 -p" << "service" << "tcp 10.0.0.1:0";
        QTest::newRow("parse_service: inet_aton short form") << "-A -t 10.1:80" << "service" << "tcp 10.0.0.1:80";
        QTest::newRow("parse_service: host name") << "-A -t vip:80" << "service" << "tcp 172.18.100.6:80";
        QTest::newRow("parse_service: service name") << "-A -t 10.0.0.1:http" << "service" << "tcp 10.0.0.1:80";
        QTest::newRow("parse_service: udp service name") << "-A -u 10.0.0.1:domain" << "service" << "udp 10.0.0.1:53";
        QTest::newRow("parse_service: [v6]:port") << "-A -t [2001:db8::1]:80" << "service" << "tcp [2001:db8::1]:80";
        QTest::newRow("parse_service: bare v6, no port") << "-A -t 2001:db8::1 -p" << "service" << "tcp [2001:db8::1]:0";
        QTest::newRow("parse_service: v6 netmask 128") << "-A -t [2001:db8::1]:80" << "netmask" << "128";
        QTest::newRow("parse_service: -t inline arg") << "-A -t10.0.0.1:80" << "service" << "tcp 10.0.0.1:80";
        QTest::newRow("parse_service: --tcp-service=") << "-A --tcp-service=10.0.0.1:80" << "service" << "tcp 10.0.0.1:80";
        QTest::newRow("parse_options: -At clustered") << "-At 10.0.0.1:80" << "service" << "tcp 10.0.0.1:80";
        // parse_fwmark() and -6
        QTest::newRow("parse_fwmark: -f 1") << "-A -f 1" << "service" << "fwmark 1";
        QTest::newRow("parse_fwmark: UINT_MAX") << "-A -f 4294967295" << "service" << "fwmark 4294967295";
        QTest::newRow("parse_options: -f 5 -6") << "-A -f 5 -6" << "service" << "fwmark 5 ipv6";
        QTest::newRow("parse_options: -6 sets netmask 128") << "-A -f 5 -6 -p" << "netmask" << "128";
        // parse_netmask()
        QTest::newRow("parse_netmask: dotted") << "-A -t 10.0.0.1:80 -p -M 255.255.255.0" << "netmask" << "255.255.255.0";
        QTest::newRow("parse_options: v6 -M length") << "-A -t [2001:db8::1]:80 -p -M 64" << "netmask" << "64";
        // -r and the destination port rule of process_options()
        QTest::newRow("parse_service: -r without port takes vport") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -m" << "server" << "192.168.10.11:80";
        QTest::newRow("parse_service: -r port with -m kept") << "-a -t 10.0.0.1:80 -r 192.168.10.11:8080 -m" << "server" << "192.168.10.11:8080";
        QTest::newRow("process_options: -g forces vport") << "-a -t 10.0.0.1:80 -r 192.168.10.11:8080 -g" << "server" << "192.168.10.11:80";
        QTest::newRow("process_options: -i forces vport") << "-a -t 10.0.0.1:80 -r 192.168.10.11:8080 -i" << "server" << "192.168.10.11:80";
        QTest::newRow("process_options: fwmark keeps dport") << "-a -f 1 -r 192.168.10.11:8080" << "server" << "192.168.10.11:8080";
        QTest::newRow("parse_service: -r host name") << "-a -t 10.0.0.1:80 -r rs1 -m" << "server" << "192.168.10.11:80";
        QTest::newRow("parse_service: -r v6 tunnel") << "-a -t 10.0.0.1:80 -r [2001:db8::2]:80 -i" << "server" << "[2001:db8::2]:80";
        QTest::newRow("parse_options: -m") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -m" << "forward" << "masq";
        QTest::newRow("parse_options: --masquerading") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --masquerading" << "forward" << "masq";
        QTest::newRow("parse_options: -i") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i" << "forward" << "tunnel";
        QTest::newRow("parse_options: --ipip") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --ipip" << "forward" << "tunnel";
        QTest::newRow("parse_options: --gatewaying") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --gatewaying" << "forward" << "route";
        // weights: Debian's string_to_number(optarg, 0, INT_MAX)
        QTest::newRow("parse_options: -w 0") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w 0" << "weight" << "0";
        QTest::newRow("parse_options: -w 65536 (Debian)") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w 65536" << "weight" << "65536";
        QTest::newRow("parse_options: -w INT_MAX (Debian)") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w 2147483647" << "weight" << "2147483647";
        QTest::newRow("string_to_number: -w +5 (strtol sign)") << "-e -t 10.0.0.1:80 -r 192.168.10.11 -w +5" << "weight" << "5";
        QTest::newRow("parse_options: -x -y") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -x 100 -y 50" << "thresholds" << "100/50";
        QTest::newRow("parse_options: --pe sip") << "-A -u 10.0.0.1:5060 -p --pe sip" << "pe" << "sip";
        QTest::newRow("parse_options: -o on UDP") << "-A -u 10.0.0.1:53 -o" << "flags" << "0x4";
        // parse_sched_flags()
        QTest::newRow("parse_sched_flags: sh flags") << "-A -t 10.0.0.1:80 -s sh -b sh-fallback,sh-port" << "flags" << "0x18";
        QTest::newRow("parse_sched_flags: flag-3") << "-A -t 10.0.0.1:80 -b flag-3" << "flags" << "0x20";
        QTest::newRow("parse_options: -b parsed after -s that follows it") << "-A -t 10.0.0.1:80 -b sh-port -s sh" << "flags" << "0x10";
        QTest::newRow("parse_options: empty -b sets nothing") << "-A -t 10.0.0.1:80 -p --sched-flags=" << "flags" << "0x1";
        QTest::newRow("parse_sched_flags: mh flags, empty items skipped") << "-A -t 10.0.0.1:80 -s mh -b ,mh-port,,mh-fallback," << "flags" << "0x18";
        QTest::newRow("parse_sched_flags: with -o and -p") << "-A -u 10.0.0.1:53 -p -o -b flag-1" << "flags" << "0xd";
        // popt: a short option's argument in the same word, one '=' skipped
        QTest::newRow("popt: -p=600") << "-A -t 10.0.0.1:80 -p=600" << "persistent" << "600";
        QTest::newRow("popt: -t=addr") << "-A -t=10.0.0.1:80" << "service" << "tcp 10.0.0.1:80";
        // parse_service(): a bracketed IPv4 address loses its port (strrchr on the inner text)
        QTest::newRow("parse_service: [v4]:port drops the port") << "-A -t [10.0.0.1]:80 -p" << "service" << "tcp 10.0.0.1:0";
        // parse_options(): --pe is strncpy'd into pe_name[IP_VS_PENAME_MAXLEN + 1]: 16 characters
        QTest::newRow("parse_options: --pe kept to 16 characters") << "-A -u 10.0.0.1:5060 -p --pe abcdefghijklmnopq" << "pe" << "abcdefghijklmnop";
        QTest::newRow("parse_options: -s kept to 15 characters") << "-A -t 10.0.0.1:80 -s abcdefghijklmnopq" << "scheduler" << "abcdefghijklmno";
        // --set
        QTest::newRow("parse_options: --set three timeouts") << "--set 900 120 300" << "set" << "900 120 300";
        QTest::newRow("parse_options: --set zeros") << "--set 0 0 0" << "set" << "0 0 0";
        // daemons
        QTest::newRow("parse_options: --start-daemon backup") << "--start-daemon backup --mcast-interface eth1 --syncid 7" << "daemon" << "backup eth1 7";
        QTest::newRow("parse_options: --mcast-interface kept to 15") << "--start-daemon master --mcast-interface abcdefghijklmnopq" << "daemon" << "master abcdefghijklmno 0";
        QTest::newRow("parse_options: mcast options unset") << "--start-daemon master" << "mcast" << "none 0 0 0";
        QTest::newRow("parse_options: IPv4 mcast group, port, ttl, maxlen") << "--start-daemon master --mcast-group 239.1.2.3 --mcast-port 8848 --mcast-ttl 255 --sync-maxlen 65507" << "mcast" << "239.1.2.3 8848 255 65507";
        QTest::newRow("parse_options: IPv6 mcast group") << "--start-daemon backup --mcast-group ff02::81 --mcast-port 1 --mcast-ttl 1 --sync-maxlen 1" << "mcast" << "ff02::81 1 1 1";
        // tunnels (1.31 --tun-*)
        QTest::newRow("parse_options: gue tunnel") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-type gue --tun-port 6080 --tun-csum" << "tunnel" << "1 6080 1";
        // listing flags
        QTest::newRow("parse_options: -Ln clustered") << "-Ln" << "list" << "n";
        QTest::newRow("parse_options: -L -n --stats --exact") << "-L -n --stats --exact" << "list" << "n,stats,exact";
        QTest::newRow("parse_options: --rate --nosort") << "-L --rate --nosort" << "list" << "rate,nosort";
        QTest::newRow("parse_options: --sort is a no-op") << "-L --sort" << "list" << "";
        QTest::newRow("parse_options: --thresholds --persistent-conn") << "-L --thresholds --persistent-conn" << "list" << "thresholds,pc";
        QTest::newRow("parse_options: -Lnc") << "-Lnc" << "list" << "n,c";
        QTest::newRow("process_options: -c --persistent-conn allowed") << "-Lnc --persistent-conn" << "list" << "n,c,pc";
        QTest::newRow("parse_options: --timeout") << "-L --timeout" << "list" << "timeout";
        QTest::newRow("parse_options: --daemon") << "-L --daemon" << "list" << "daemon";
        QTest::newRow("parse_options: -X is --exact") << "-L -X" << "list" << "exact";
        QTest::newRow("parse_options: --tun-info") << "-L --tun-info" << "list" << "tun-info";
        QTest::newRow("parse_options: -L -t one service") << "-L -n -t 10.0.0.1:80" << "service" << "tcp 10.0.0.1:80";
        // DPVS: --fullnat (IP_VS_CONN_F_FULLNAT), long form only
        QTest::newRow("dpvs: --fullnat") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --fullnat" << "forward" << "fullnat";
        QTest::newRow("dpvs: --fullnat on edit-server") << "-e -t 10.0.0.1:80 -r 192.168.10.11 --fullnat -w 3" << "forward" << "fullnat";
        QTest::newRow("dpvs: --fullnat keeps the server port (only -g/-i force vport)") << "-a -t 10.0.0.1:80 -r 192.168.10.11:8080 --fullnat" << "server" << "192.168.10.11:8080";
        QTest::newRow("dpvs: --fullnat without a port takes vport") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --fullnat" << "server" << "192.168.10.11:80";
        QTest::newRow("dpvs: --fullnat IPv6 VIP over an IPv4 server (NAT64)") << "-a -t [2001:db8::1]:80 -r 10.0.0.1 --fullnat" << "server" << "10.0.0.1:80";
        QTest::newRow("dpvs: --fullnat with a fwmark keeps dport") << "-a -f 1 -r 192.168.10.11:8080 --fullnat" << "server" << "192.168.10.11:8080";
        // DPVS: -z (parse_service, address only) and -F (ifname[IFNAMSIZ])
        QTest::newRow("dpvs: -z -F") << "-P -t 10.0.0.1:80 -z 192.168.10.201 -F eth1" << "laddr" << "192.168.10.201 eth1";
        QTest::newRow("dpvs: -z keeps the service") << "-P -t 10.0.0.1:80 -z 192.168.10.201 -F eth1" << "service" << "tcp 10.0.0.1:80";
        QTest::newRow("dpvs: -z port dropped") << "-Q -t 10.0.0.1:80 -z 192.168.10.201:5000 -F eth1" << "laddr" << "192.168.10.201 eth1";
        QTest::newRow("dpvs: -z IPv6") << "-P -t [2001:db8::1]:80 -z 2001:db8::2 -F eth1" << "laddr" << "2001:db8::2 eth1";
        QTest::newRow("dpvs: -z IPv4 for an IPv6 service") << "-P -t [2001:db8::1]:80 -z 10.0.0.3 -F eth1" << "laddr" << "10.0.0.3 eth1";
        QTest::newRow("dpvs: -z host name") << "-P -t 10.0.0.1:80 -z rs1 -F eth1" << "laddr" << "192.168.10.11 eth1";
        QTest::newRow("dpvs: --laddr= --ifname=") << "-P -t 10.0.0.1:80 --laddr=192.168.10.202 --ifname=eth2" << "laddr" << "192.168.10.202 eth2";
        QTest::newRow("dpvs: -Pt clustered, -z inline") << "-Pt 10.0.0.1:80 -z192.168.10.201 -Feth1" << "laddr" << "192.168.10.201 eth1";
        QTest::newRow("dpvs: -F kept to 15 characters") << "-P -t 10.0.0.1:80 -z 192.168.10.201 -F abcdefghijklmnopq" << "laddr" << "192.168.10.201 abcdefghijklmno";
        QTest::newRow("dpvs: -G without -t") << "-G" << "service" << "none";
        QTest::newRow("dpvs: -G -t") << "-G -t 10.0.0.1:80" << "service" << "tcp 10.0.0.1:80";
        QTest::newRow("dpvs: -G -f") << "-G -f 7" << "service" << "fwmark 7";
        // Upstream -b is untouched by the dialect
        QTest::newRow("dialect: -b is still --sched-flags") << "-A -t 10.0.0.1:80 -s sh -b sh-port" << "flags" << "0x10";
    }
    void fields()
    {
        QFETCH(QString, args);
        QFETCH(QString, name);
        QFETCH(QString, value);
        auto r = parseIpvsadm(words(args), labResolver());
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(field(*r, name), value);
    }

    // Refusals: the exact text ipvsadm prints on stderr and its exit status.
    void errors_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("exitCode");
        const QString tryhelp = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.";
        // parse_options(): the first option must be a command
        QTest::newRow("parse_options: option before command") << "-t 10.0.0.1:80 -A" << tryhelp << 255;
        QTest::newRow("parse_options: only a word") << "foo" << tryhelp << 255;
        QTest::newRow("parse_options: unknown first option") << "--bogus" << tryhelp << 255;
        QTest::newRow("parse_options: a second command") << "-A -t 10.0.0.1:80 -E" << "invalid option `-E'" << 2;
        QTest::newRow("parse_options: -h after a command") << "-L -h" << "invalid option `-h'" << 2;
        QTest::newRow("parse_options: popt unknown option") << "-L --bogus" << "--bogus: unknown option" << 255;
        QTest::newRow("parse_options: popt missing argument") << "-A -t" << "-t: missing argument" << 255;
        QTest::newRow("parse_options: popt unwanted argument") << "-L --numeric=1" << "--numeric=1: option does not take an argument" << 255;
        QTest::newRow("parse_options: popt unwanted argument, short") << "-L -n=1" << "-n=1: option does not take an argument" << 255;
        QTest::newRow("parse_options: popt unknown short in a cluster") << "-L -nq" << "-nq: unknown option" << 255;
        QTest::newRow("parse_options: popt missing argument, long") << "-A --scheduler" << "--scheduler: missing argument" << 255;
        QTest::newRow("parse_options: popt error on the first option") << "-A=1" << tryhelp << 255;
        QTest::newRow("parse_options: second command names its argument word") << "-L --start-daemon master" << "invalid option `master'" << 2;
        QTest::newRow("popt: a required argument may start with a dash") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w -x 5" << "illegal weight specified" << 2;
        QTest::newRow("parse_options: second command in a cluster") << "-LA" << "invalid option `-LA'" << 2;
        QTest::newRow("parse_options: popt takes no abbreviations") << "-L --num" << "--num: unknown option" << 255;
        QTest::newRow("parse_options: unexpected argument") << "-L foo" << "unexpected argument foo" << 2;
        QTest::newRow("parse_options: --set needs 3") << "--set 900 120" << "--set option requires 3 timeout values" << 2;
        QTest::newRow("parse_options: --set 4 values") << "--set 1 2 3 4" << "unexpected argument 4" << 2;
        QTest::newRow("parse_options: leftover checked before -b") << "-A -t 10.0.0.1:80 -b flag-9 extra" << "unexpected argument extra" << 2;
        QTest::newRow("parse_options: --set checked before -b") << "--set 1 2 -b flag-9" << "--set option requires 3 timeout values" << 2;
        QTest::newRow("parse_options: -b checked before generic_opt_check") << "-L -b flag-9" << "invalid scheduler flag `flag-9'" << 2;
        QTest::newRow("parse_timeout: --set bad value") << "--set 900 x 300" << "invalid timeout value `x' specified" << 2;
        QTest::newRow("parse_timeout: --set over MAX_TIMEOUT") << "--set 2678401 1 1" << "invalid timeout value `2678401' specified" << 2;
        QTest::newRow("parse_options: start-daemon state") << "--start-daemon primary" << "illegal start-daemon parameter specified" << 2;
        QTest::newRow("parse_options: stop-daemon state (sic)") << "--stop-daemon primary" << "illegal start_daemon specified" << 2;
        // set_option()
        QTest::newRow("set_option: two services") << "-A -t 10.0.0.1:80 -u 10.0.0.1:80" << "multiple 'service-address' options specified" << 2;
        QTest::newRow("set_option: two methods") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -g -m" << "multiple 'forwarding-method' options specified" << 2;
        QTest::newRow("set_option: -Lnn") << "-Lnn" << "multiple 'numeric' options specified" << 2;
        // parse_service() and parse_fwmark()
        QTest::newRow("parse_service: bad address") << "-A -t 10.0.0.300:80" << "illegal virtual server address[:port] specified" << 2;
        QTest::newRow("parse_service: digits only") << "-A -t 80" << "illegal virtual server address[:port] specified" << 2;
        QTest::newRow("parse_service: port 65536") << "-A -t 10.0.0.1:65536" << "illegal virtual server address[:port] specified" << 2;
        QTest::newRow("parse_service: unknown service name") << "-A -t 10.0.0.1:gopher" << "illegal virtual server address[:port] specified" << 2;
        QTest::newRow("parse_service: unknown host") << "-A -t nohost:80" << "illegal virtual server address[:port] specified" << 2;
        QTest::newRow("parse_service: [v6] without :port") << "-A -t [2001:db8::1]" << "illegal virtual server address[:port] specified" << 2;
        QTest::newRow("parse_service: bad real server") << "-a -t 10.0.0.1:80 -r 192.168.10.x" << "illegal real server address[:port] specified" << 2;
        QTest::newRow("parse_fwmark: 0") << "-A -f 0" << "invalid fwmark value `0' specified" << 2;
        QTest::newRow("parse_fwmark: over UINT_MAX") << "-A -f 4294967296" << "invalid fwmark value `4294967296' specified" << 2;
        QTest::newRow("parse_fwmark: text") << "-A -f web" << "invalid fwmark value `web' specified" << 2;
        QTest::newRow("parse_options: -6 before -f") << "-A -6 -f 1" << "-6 used before -f\n" << 2;
        // numbers
        QTest::newRow("string_to_number: -w 2147483648") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w 2147483648" << "illegal weight specified" << 2;
        QTest::newRow("string_to_number: -w -1") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w -1" << "illegal weight specified" << 2;
        QTest::newRow("string_to_number: -w 1x") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -w 1x" << "illegal weight specified" << 2;
        QTest::newRow("string_to_number: -x bad") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -x a" << "illegal u_threshold specified" << 2;
        QTest::newRow("string_to_number: -y bad") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -y -3" << "illegal l_threshold specified" << 2;
        QTest::newRow("string_to_number: --syncid 256") << "--start-daemon master --syncid 256" << "illegal syncid specified" << 2;
        QTest::newRow("parse_timeout: -p 0") << "-A -t 10.0.0.1:80 -p 0" << "invalid timeout value `0' specified" << 2;
        QTest::newRow("parse_timeout: -p word") << "-A -t 10.0.0.1:80 -p soon" << "invalid timeout value `soon' specified" << 2;
        QTest::newRow("parse_netmask: bad mask") << "-A -t 10.0.0.1:80 -p -M 255.255.255.256" << "illegal virtual server persistent mask specified" << 2;
        QTest::newRow("parse_options: bad v6 mask") << "-A -t [2001:db8::1]:80 -p -M 129" << "illegal ipv6 netmask specified" << 2;
        QTest::newRow("parse_sched_flags: unknown") << "-A -t 10.0.0.1:80 -b flag-9" << "invalid scheduler flag `flag-9'" << 2;
        QTest::newRow("parse_sched_flags: sh-port with wlc") << "-A -t 10.0.0.1:80 -b sh-port" << "incompatible scheduler flag `sh-port'" << 2;
        QTest::newRow("parse_sched_flags: mh-fallback with sh") << "-A -t 10.0.0.1:80 -s sh -b sh-port,mh-fallback" << "incompatible scheduler flag `mh-fallback'" << 2;
        QTest::newRow("parse_sched_flags: first bad item wins") << "-A -t 10.0.0.1:80 -s mh -b mh-port,bogus,sh-port" << "invalid scheduler flag `bogus'" << 2;
        // mcast/sync options of parse_options()
        QTest::newRow("parse_options: IPv4 mcast-group not multicast") << "--start-daemon master --mcast-group 10.0.0.1" << "invalid IPv4 mcast-group `10.0.0.1'" << 2;
        QTest::newRow("parse_options: IPv4 mcast-group not an address") << "--start-daemon master --mcast-group 224.0.0" << "invalid IPv4 mcast-group `224.0.0'" << 2;
        QTest::newRow("parse_options: IPv4 mcast-group leading zero (inet_pton)") << "--start-daemon master --mcast-group 224.0.0.081" << "invalid IPv4 mcast-group `224.0.0.081'" << 2;
        QTest::newRow("parse_options: IPv6 mcast-group not multicast") << "--start-daemon master --mcast-group 2001:db8::1" << "invalid IPv6 mcast-group `2001:db8::1'" << 2;
        QTest::newRow("string_to_number: --mcast-port 0") << "--start-daemon master --mcast-port 0" << "illegal mcast-port specified" << 2;
        QTest::newRow("string_to_number: --mcast-port 65536") << "--start-daemon master --mcast-port 65536" << "illegal mcast-port specified" << 2;
        QTest::newRow("string_to_number: --mcast-ttl 0") << "--start-daemon master --mcast-ttl 0" << "illegal mcast-ttl specified" << 2;
        QTest::newRow("string_to_number: --mcast-ttl 256") << "--start-daemon master --mcast-ttl 256" << "illegal mcast-ttl specified" << 2;
        QTest::newRow("string_to_number: --sync-maxlen 65508") << "--start-daemon master --sync-maxlen 65508" << "illegal sync-maxlen specified" << 2;
        QTest::newRow("string_to_number: --sync-maxlen 0") << "--start-daemon master --sync-maxlen 0" << "illegal sync-maxlen specified" << 2;
        QTest::newRow("string_to_number: --tun-port 0") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-type gue --tun-port 0" << "illegal tunnel port specified" << 2;
        QTest::newRow("parse_tun_type: unknown") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-type vxlan" << "illegal tunnel type specified" << 2;
        // process_options()
        QTest::newRow("process_options: zero port not persistent") << "-A -t 10.0.0.1" << "Zero port specified for non-persistent service" << 2;
        QTest::newRow("process_options: zero port on edit") << "-E -t 10.0.0.1:0" << "Zero port specified for non-persistent service" << 2;
        QTest::newRow("process_options: [v4]:port has zero port") << "-A -t [10.0.0.1]:80" << "Zero port specified for non-persistent service" << 2;
        QTest::newRow("process_options: ops on TCP") << "-A -t 10.0.0.1:80 -o" << "One-Packet Scheduling is only for UDP virtual services" << 2;
        QTest::newRow("process_options: v6 server for NAT") << "-a -t 10.0.0.1:80 -r [2001:db8::2]:80 -m" << "Different address family is allowed only for tunneling servers" << 2;
        QTest::newRow("process_options: tunnel option with -m") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -m --tun-type gue" << "Tunnel options conflict with forward method" << 2;
        QTest::newRow("tunnel_opt_check: gue needs tun-port") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-type gue" << "You need to supply the 'tun-port' option for the 'gue' tunnel type" << 2;
        QTest::newRow("tunnel_opt_check: ipip with tun-port") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-port 6080" << "Illegal 'tun-port' option with the 'ipip' tunnel type" << 2;
        QTest::newRow("tunnel_opt_check: csum and remcsum") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-type gue --tun-port 1 --tun-csum --tun-remcsum" << "The option 'tun-remcsum' conflicts with the 'tun-csum' option in the 'gue' tunnel type" << 2;
        QTest::newRow("process_options: list conflicts") << "-L -c --stats" << "options conflicts in the list command" << 2;
        QTest::newRow("process_options: --timeout --rate") << "-L --timeout --rate" << "options conflicts in the list command" << 2;
        QTest::newRow("process_options: -c --thresholds") << "-L -c --thresholds" << "options conflicts in the list command" << 2;
        QTest::newRow("process_options: --daemon --persistent-conn") << "-L --daemon --persistent-conn" << "options conflicts in the list command" << 2;
        QTest::newRow("process_options: --timeout --persistent-conn") << "-L --timeout --persistent-conn" << "options conflicts in the list command" << 2;
        // DPVS: its own messages
        QTest::newRow("dpvs: -z bad address") << "-P -t 10.0.0.1:80 -z 10.0.0.300 -F eth1" << "illegal local address" << 2;
        QTest::newRow("dpvs: -z digits only") << "-P -t 10.0.0.1:80 -z 80 -F eth1" << "illegal local address" << 2;
        QTest::newRow("dpvs: -z unknown host") << "-P -t 10.0.0.1:80 -z nohost -F eth1" << "illegal local address" << 2;
        QTest::newRow("dpvs: -z named port (no protocol to look it up)") << "-P -t 10.0.0.1:80 -z 192.168.10.201:http -F eth1" << "illegal local address" << 2;
        QTest::newRow("dpvs: two -z") << "-P -t 10.0.0.1:80 -z 192.168.10.201 -z 192.168.10.202 -F eth1" << "multiple 'local-address' options specified" << 2;
        QTest::newRow("dpvs: two -F") << "-P -t 10.0.0.1:80 -z 192.168.10.201 -F eth1 -F eth2" << "multiple 'ifname' options specified" << 2;
        QTest::newRow("dpvs: -m and --fullnat") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -m --fullnat" << "multiple 'forwarding-method' options specified" << 2;
        QTest::newRow("dpvs: -z needs an argument") << "-P -t 10.0.0.1:80 -z" << "-z: missing argument" << 255;
        QTest::newRow("dpvs: --fullnat takes no argument") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --fullnat=1" << "--fullnat=1: option does not take an argument" << 255;
        QTest::newRow("dpvs: -P as a second command") << "-L -P" << "invalid option `-P'" << 2;
        QTest::newRow("dpvs: -G as a second command") << "-P -G" << "invalid option `-G'" << 2;
        QTest::newRow("dpvs: tunnel options with --fullnat") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --fullnat --tun-type gue" << "Tunnel options conflict with forward method" << 2;
        // DPVS's short -b for full-NAT is not taken: these lines fail as in ipvsadm 1.31
        QTest::newRow("dialect: DPVS -b at the end is --sched-flags without argument") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -b" << "-b: missing argument" << 255;
        QTest::newRow("dialect: DPVS -b -w 1 leaves 1 over") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -b -w 1" << "unexpected argument 1" << 2;
        QTest::newRow("dialect: DPVS -b -g parses -g as a scheduler flag") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -b -g" << "invalid scheduler flag `-g'" << 2;
        QTest::newRow("dialect: -b with a flag on add-server") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -b flag-1" << "Illegal 'sched-flags' option with the 'add-server' command" << 2;
    }
    void errors()
    {
        QFETCH(QString, args);
        QFETCH(QString, message);
        QFETCH(int, exitCode);
        auto r = parseIpvsadm(words(args), labResolver());
        QVERIFY2(!r.has_value(), "parsed, expected a refusal");
        QCOMPARE(QString::fromStdString(r.error().message), message);
        QCOMPARE(r.error().exitCode, exitCode);
    }

    // generic_opt_check() over commands_v_options: the interesting 'x', '+' and '1' entries.
    void legality_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("message");
        // '+' compulsory
        QTest::newRow("+ add-service needs service") << "-A -s rr" << "You need to supply the 'service-address' option for the 'add-service' command";
        QTest::newRow("+ edit-service needs service") << "-E" << "You need to supply the 'service-address' option for the 'edit-service' command";
        QTest::newRow("+ delete-service needs service") << "-D" << "You need to supply the 'service-address' option for the 'delete-service' command";
        QTest::newRow("+ add-server needs service") << "-a -r 192.168.10.11" << "You need to supply the 'service-address' option for the 'add-server' command";
        QTest::newRow("+ add-server needs real-server") << "-a -t 10.0.0.1:80" << "You need to supply the 'real-server' option for the 'add-server' command";
        QTest::newRow("+ edit-server needs real-server") << "-e -t 10.0.0.1:80 -w 2" << "You need to supply the 'real-server' option for the 'edit-server' command";
        QTest::newRow("+ delete-server needs real-server") << "-d -t 10.0.0.1:80" << "You need to supply the 'real-server' option for the 'delete-server' command";
        // 'x' illegal
        QTest::newRow("x add-service -r") << "-A -t 10.0.0.1:80 -r 192.168.10.11" << "Illegal 'real-server' option with the 'add-service' command";
        QTest::newRow("x add-service -w") << "-A -t 10.0.0.1:80 -w 2" << "Illegal 'weight' option with the 'add-service' command";
        QTest::newRow("x add-service -n") << "-A -n -t 10.0.0.1:80" << "Illegal 'numeric' option with the 'add-service' command";
        QTest::newRow("x add-service -m") << "-A -t 10.0.0.1:80 -m" << "Illegal 'forwarding-method' option with the 'add-service' command";
        QTest::newRow("x delete-service -s") << "-D -t 10.0.0.1:80 -s rr" << "Illegal 'scheduler' option with the 'delete-service' command";
        QTest::newRow("x delete-service -p") << "-D -t 10.0.0.1:80 -p" << "Illegal 'persistent' option with the 'delete-service' command";
        QTest::newRow("x flush -t") << "-C -t 10.0.0.1:80" << "Illegal 'service-address' option with the 'flush' command";
        QTest::newRow("x flush -n") << "-C -n" << "Illegal 'numeric' option with the 'flush' command";
        QTest::newRow("x list -s") << "-L -s rr" << "Illegal 'scheduler' option with the 'list' command";
        QTest::newRow("x list -r") << "-L -r 192.168.10.11" << "Illegal 'real-server' option with the 'list' command";
        QTest::newRow("x list -w") << "-L -w 1" << "Illegal 'weight' option with the 'list' command";
        QTest::newRow("x list ops") << "-L -o" << "Illegal 'ops' option with the 'list' command";
        QTest::newRow("x add-server -s") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -s rr" << "Illegal 'scheduler' option with the 'add-server' command";
        QTest::newRow("x add-server -p") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -p" << "Illegal 'persistent' option with the 'add-server' command";
        QTest::newRow("x add-server --stats") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --stats" << "Illegal 'stats' option with the 'add-server' command";
        QTest::newRow("x delete-server -w") << "-d -t 10.0.0.1:80 -r 192.168.10.11 -w 1" << "Illegal 'weight' option with the 'delete-server' command";
        QTest::newRow("x delete-server -m") << "-d -t 10.0.0.1:80 -r 192.168.10.11 -m" << "Illegal 'forwarding-method' option with the 'delete-server' command";
        QTest::newRow("x set -n") << "--set 1 2 3 -n" << "Illegal 'numeric' option with the 'set' command";
        QTest::newRow("x start-daemon -n") << "--start-daemon master -n" << "Illegal 'numeric' option with the 'start-daemon' command";
        QTest::newRow("x stop-daemon mcast-interface") << "--stop-daemon master --mcast-interface eth0" << "Illegal 'mcast-interface' option with the 'stop-daemon' command";
        QTest::newRow("x stop-daemon mcast-port") << "--stop-daemon master --mcast-port 8848" << "Illegal 'mcast-port' option with the 'stop-daemon' command";
        QTest::newRow("x list mcast-group") << "-L --mcast-group 224.0.0.81" << "Illegal 'mcast-group' option with the 'list' command";
        QTest::newRow("x start-daemon --tun-info") << "--start-daemon master --tun-info" << "Illegal 'tun-info' option with the 'start-daemon' command";
        QTest::newRow("x add-service --tun-type") << "-A -t 10.0.0.1:80 --tun-type gue" << "Illegal 'tun-type' option with the 'add-service' command";
        QTest::newRow("x list --pe") << "-L --pe sip" << "Illegal 'pe' option with the 'list' command";
        QTest::newRow("x list -b") << "-L -b flag-1" << "Illegal 'sched-flags' option with the 'list' command";
        QTest::newRow("x restore -n") << "-R -n" << "Illegal 'numeric' option with the 'restore' command";
        QTest::newRow("x save -c") << "-S -c" << "Illegal 'connection' option with the 'save' command";
        QTest::newRow("x save -t") << "-S -t 10.0.0.1:80" << "Illegal 'service-address' option with the 'save' command";
        QTest::newRow("x zero -n") << "-Z -n" << "Illegal 'numeric' option with the 'zero' command";
        QTest::newRow("x zero -r") << "-Z -t 10.0.0.1:80 -r 192.168.10.11" << "Illegal 'real-server' option with the 'zero' command";
        // column order decides which offence is reported, not argv order
        QTest::newRow("x column order: -w before -n") << "-A -t 10.0.0.1:80 -w 1 -n" << "Illegal 'numeric' option with the 'add-service' command";
        QTest::newRow("+ before x in column order") << "-a -n" << "Illegal 'numeric' option with the 'add-server' command";
        // '1' exclusive (list)
        QTest::newRow("1 list -c with -t") << "-L -c -t 10.0.0.1:80" << "The option 'service-address' conflicts with the 'connection' option in the 'list' command";
        QTest::newRow("1 list --timeout --daemon") << "-L --timeout --daemon" << "The option 'daemon' conflicts with the 'timeout' option in the 'list' command";
        QTest::newRow("1 list -t --timeout") << "-L -t 10.0.0.1:80 --timeout" << "The option 'timeout' conflicts with the 'service-address' option in the 'list' command";
        // DPVS rows ADDLADDR / DELLADDR / GETLADDR and the laddr, ifname columns
        QTest::newRow("dpvs + add-laddr needs service") << "-P -z 192.168.10.201 -F eth1" << "You need to supply the 'service-address' option for the 'add-laddr' command";
        QTest::newRow("dpvs + add-laddr needs local-address") << "-P -t 10.0.0.1:80 -F eth1" << "You need to supply the 'local-address' option for the 'add-laddr' command";
        QTest::newRow("dpvs + add-laddr needs ifname") << "-P -t 10.0.0.1:80 -z 192.168.10.201" << "You need to supply the 'ifname' option for the 'add-laddr' command";
        QTest::newRow("dpvs + del-laddr needs local-address") << "-Q -t 10.0.0.1:80 -F eth1" << "You need to supply the 'local-address' option for the 'del-laddr' command";
        QTest::newRow("dpvs + del-laddr needs ifname") << "-Q -t 10.0.0.1:80 -z 192.168.10.201" << "You need to supply the 'ifname' option for the 'del-laddr' command";
        QTest::newRow("dpvs x add-laddr -n") << "-P -n -t 10.0.0.1:80 -z 192.168.10.201 -F eth1" << "Illegal 'numeric' option with the 'add-laddr' command";
        QTest::newRow("dpvs x add-laddr -r") << "-P -t 10.0.0.1:80 -r 192.168.10.11 -z 192.168.10.201 -F eth1" << "Illegal 'real-server' option with the 'add-laddr' command";
        QTest::newRow("dpvs x add-laddr --fullnat") << "-P -t 10.0.0.1:80 --fullnat -z 192.168.10.201 -F eth1" << "Illegal 'forwarding-method' option with the 'add-laddr' command";
        QTest::newRow("dpvs x get-laddr -n") << "-G -n" << "Illegal 'numeric' option with the 'get-laddr' command";
        QTest::newRow("dpvs x get-laddr -z") << "-G -t 10.0.0.1:80 -z 192.168.10.201" << "Illegal 'local-address' option with the 'get-laddr' command";
        QTest::newRow("dpvs x get-laddr -F") << "-G -F eth1" << "Illegal 'ifname' option with the 'get-laddr' command";
        QTest::newRow("dpvs x add-service -z") << "-A -t 10.0.0.1:80 -z 192.168.10.201" << "Illegal 'local-address' option with the 'add-service' command";
        QTest::newRow("dpvs x add-server -F") << "-a -t 10.0.0.1:80 -r 192.168.10.11 --fullnat -F eth1" << "Illegal 'ifname' option with the 'add-server' command";
        QTest::newRow("dpvs x list -z") << "-L -z 192.168.10.201" << "Illegal 'local-address' option with the 'list' command";
        QTest::newRow("dpvs x add-service --fullnat") << "-A -t 10.0.0.1:80 --fullnat" << "Illegal 'forwarding-method' option with the 'add-service' command";
        QTest::newRow("dpvs x delete-server --fullnat") << "-d -t 10.0.0.1:80 -r 192.168.10.11 --fullnat" << "Illegal 'forwarding-method' option with the 'delete-server' command";
        QTest::newRow("dpvs: upstream columns are checked first") << "-A -t 10.0.0.1:80 -z 192.168.10.201 -w 1" << "Illegal 'weight' option with the 'add-service' command";
    }
    void legality()
    {
        QFETCH(QString, args);
        QFETCH(QString, message);
        auto r = parseIpvsadm(words(args), labResolver());
        QVERIFY2(!r.has_value(), "parsed, expected a refusal");
        QCOMPARE(QString::fromStdString(r.error().message), message);
        QCOMPARE(r.error().exitCode, 2);
    }

    // The optional ' ' entries: options the table allows are accepted.
    void optionalAllowed_data()
    {
        QTest::addColumn<QString>("args");
        QTest::newRow("add-service -s -p -M --pe -b") << "-A -t 10.0.0.1:80 -s sh -p 60 -M 255.255.255.0 --pe sip -b sh-port";
        QTest::newRow("add-server -m -w -x -y") << "-a -t 10.0.0.1:80 -r 192.168.10.11:8080 -m -w 5 -x 10 -y 2";
        QTest::newRow("list -n --stats --exact --nosort -t") << "-L -n --stats --exact --nosort -t 10.0.0.1:80";
        QTest::newRow("list -c -n") << "-L -c -n";
        QTest::newRow("list -c --persistent-conn") << "-L -c --persistent-conn";
        QTest::newRow("list --tun-info --exact -t") << "-L --tun-info --exact -t 10.0.0.1:80";
        QTest::newRow("add-server gue tunnel options") << "-a -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-type gue --tun-port 6080 --tun-remcsum";
        QTest::newRow("edit-server gre tunnel options") << "-e -t 10.0.0.1:80 -r 192.168.10.11 -i --tun-type gre --tun-nocsum";
        QTest::newRow("start-daemon all options") << "--start-daemon master --mcast-interface eth1 --syncid 3 --mcast-group 224.0.0.81 --mcast-port 8848 --mcast-ttl 1 --sync-maxlen 1472";
        QTest::newRow("stop-daemon --syncid") << "--stop-daemon master --syncid 3";
        QTest::newRow("zero -t") << "-Z -t 10.0.0.1:80";
        QTest::newRow("save -n") << "-S -n";
        QTest::newRow("-- ends options (set)") << "--set -- 1 2 3";
        QTest::newRow("dpvs: DPVS tutorial --add-laddr line") << "--add-laddr -z 192.168.100.200 -t 10.0.0.100:80 -F dpdk0";
        QTest::newRow("dpvs: IPv6 tutorial --add-laddr line") << "--add-laddr -z 2001::2 -t [2001::1]:80 -F dpdk0";
        QTest::newRow("dpvs: add-laddr for a fwmark service") << "-P -f 7 -z 192.168.10.201 -F eth1";
        QTest::newRow("dpvs: add-server --fullnat -w -x -y") << "-a -t 10.0.0.1:80 -r 192.168.10.11:8080 --fullnat -w 5 -x 10 -y 2";
        QTest::newRow("dpvs: get-laddr -u") << "-G -u 10.0.0.1:53";
    }
    void optionalAllowed()
    {
        QFETCH(QString, args);
        auto r = parseIpvsadm(words(args), labResolver());
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
    }

    // The default resolver knows common service names and localhost, nothing else.
    void defaultResolverNames()
    {
        auto r = parseIpvsadm(words("-A -t localhost:http"));
        QVERIFY(r.has_value());
        QCOMPARE(serviceText(r->service), QString("tcp 127.0.0.1:80"));
        QVERIFY(!parseIpvsadm(words("-A -t rs1:80")).has_value());
    }
};

QTEST_GUILESS_MAIN(TestIpvsadmOptions)
#include "test_options.moc"
