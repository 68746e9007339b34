// Tests of `lvsctl validate`: exit codes, the text and JSON outputs, and unreadable input.
#include <QTemporaryDir>
#include <QtTest>

#include "core/io/lvslab_file.h"
#include "emu/cli/lvsctl.h"
#include "emu/cli/validate_command.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace lvs::emu;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run validateCommand(std::vector<std::string> args)
{
    std::ostringstream out, err;
    int code = runValidateCommand(args, out, err);
    return {code, out.str(), err.str()};
}

std::string examplePath(const char* name)
{
    return std::string(LVSLAB_SOURCE_DIR "/examples/") + name + ".lvslab";
}

// lvs-nat with RS1's gateway off the DIP: one NAT-GATEWAY error (seed 002:157).
std::string writeBrokenNat(const QTemporaryDir& dir)
{
    auto topology = lvs::core::loadLvslab(examplePath("lvs-nat"));
    if (!topology)
        qFatal("cannot load lvs-nat");
    for (auto& node : topology->nodes)
        if (node.name == "RS1")
            node.defaultGateway = lvs::core::Ipv4::parse("192.168.10.1");
    std::string path = dir.filePath("broken-nat.lvslab").toStdString();
    if (!lvs::core::saveLvslab(*topology, path))
        qFatal("cannot save");
    return path;
}

} // namespace

class TestValidateCommand : public QObject {
    Q_OBJECT

private slots:
    void cleanExampleExitsZero()
    {
        Run r = validateCommand({examplePath("lvs-nat")});
        QCOMPARE(r.code, kExitOk);
        QVERIFY(r.err.empty());
        QVERIFY2(r.out.find("info HA-SINGLE-DIRECTOR Director: ") == 0, r.out.c_str());
        QVERIFY2(r.out.ends_with("lvs-nat.lvslab: 0 errors, 0 warnings, 1 info\n"), r.out.c_str());
    }

    void designErrorsExitOne()
    {
        QTemporaryDir dir;
        const std::string path = writeBrokenNat(dir);
        Run r = validateCommand({path});
        QCOMPARE(r.code, kExitFindings);
        QVERIFY2(r.out.find("error NAT-GATEWAY RS1: NAT: RS1's default gateway must be the DIP 192.168.10.254 "
                            "(replies must return through the director to be rewritten)\n"
                            "  fix: set RS1's default gateway to 192.168.10.254\n")
                     != std::string::npos,
                 r.out.c_str());
        QVERIFY2(r.out.ends_with(": 1 error, 0 warnings, 1 info\n"), r.out.c_str());
    }

    void chineseMessages()
    {
        QTemporaryDir dir;
        Run r = validateCommand({writeBrokenNat(dir), "--lang", "zh_CN"});
        QCOMPARE(r.code, kExitFindings);
        QVERIFY2(r.out.find("error NAT-GATEWAY RS1: NAT：RS1 的默认网关必须指向 DIP 192.168.10.254") != std::string::npos,
                 r.out.c_str());
        QVERIFY2(r.out.find("  fix: 把 RS1 的默认网关设为 192.168.10.254\n") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.ends_with("：错误 1，警告 0，提示 1\n"), r.out.c_str());
    }

    void jsonShape()
    {
        QTemporaryDir dir;
        const std::string path = writeBrokenNat(dir);
        Run r = validateCommand({path, "--json"});
        QCOMPARE(r.code, kExitFindings);
        auto doc = nlohmann::json::parse(r.out);
        QCOMPARE(doc["file"].get<std::string>(), path);
        QCOMPARE(doc["errors"].get<int>(), 1);
        QCOMPARE(doc["warnings"].get<int>(), 0);
        QCOMPARE(doc["infos"].get<int>(), 1);
        QCOMPARE(doc["findings"].size(), std::size_t(2));
        const auto& f = doc["findings"][0];
        QCOMPARE(f["code"].get<std::string>(), std::string("NAT-GATEWAY"));
        QCOMPARE(f["severity"].get<std::string>(), std::string("error"));
        QCOMPARE(f["subject"]["kind"].get<std::string>(), std::string("node"));
        QCOMPARE(f["subject"]["id"].get<int>(), 8);
        QCOMPARE(f["subject"]["name"].get<std::string>(), std::string("RS1"));
        QVERIFY(f["message"]["en"].get<std::string>().starts_with("NAT: RS1's default gateway"));
        QVERIFY(f["message"]["zh_CN"].get<std::string>().starts_with("NAT：RS1 的默认网关"));
        QCOMPARE(f["fix"]["en"].get<std::string>(), std::string("set RS1's default gateway to 192.168.10.254"));
        QVERIFY(f["fix"]["zh_CN"].is_string());
        const auto& info = doc["findings"][1];
        QCOMPARE(info["code"].get<std::string>(), std::string("HA-SINGLE-DIRECTOR"));
        QCOMPARE(info["severity"].get<std::string>(), std::string("info"));
        QVERIFY(info["fix"].is_null());
    }

    void jsonOfCleanExample()
    {
        Run r = validateCommand({examplePath("keepalived-ha"), "--json"});
        QCOMPARE(r.code, kExitOk);
        auto doc = nlohmann::json::parse(r.out);
        QVERIFY(doc["findings"].is_array());
        QVERIFY(doc["findings"].empty());
        QCOMPARE(doc["errors"].get<int>(), 0);
    }

    void unreadableInputExitsTwo()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.lvslab").toStdString();
        std::ofstream(path) << "{\n  \"format\": \"lvslab\",\n  \"version\": 1,\n  \"nodes\": [\n}\n";
        Run r = validateCommand({path});
        QCOMPARE(r.code, kExitBadInput);
        QVERIFY(r.out.empty());
        // file:line:column, like a compiler
        QVERIFY2(r.err.starts_with(path + ":5:"), r.err.c_str());
    }

    void missingFileExitsTwo()
    {
        Run r = validateCommand({"/nonexistent/x.lvslab"});
        QCOMPARE(r.code, kExitBadInput);
        QVERIFY2(r.err.starts_with("/nonexistent/x.lvslab"), r.err.c_str());
    }

    void badArgumentsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no file") << QStringList{};
        QTest::newRow("unknown option") << QStringList{"x.lvslab", "--yaml"};
        QTest::newRow("unknown language") << QStringList{"x.lvslab", "--lang", "fr"};
        QTest::newRow("two files") << QStringList{"a.lvslab", "b.lvslab"};
    }
    void badArgumentsExitTwo()
    {
        QFETCH(QStringList, args);
        std::vector<std::string> v;
        for (const QString& a : args)
            v.push_back(a.toStdString());
        Run r = validateCommand(v);
        QCOMPARE(r.code, kExitBadInput);
        QVERIFY2(r.err.find("usage: lvsctl validate FILE") != std::string::npos, r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestValidateCommand)
#include "test_validate_command.moc"
