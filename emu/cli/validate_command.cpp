// lvsctl validate: load, run every rule, print findings (text or JSON), exit by severity.
#include "emu/cli/validate_command.h"

#include "core/io/lvslab_file.h"
#include "core/validate/validate.h"
#include "emu/cli/lvsctl.h"

#include <nlohmann/json.hpp>

namespace lvs::emu {

namespace {

constexpr const char* kUsage = "usage: lvsctl validate FILE [--json] [--lang en|zh_CN]\n";

namespace v = core::validate;

nlohmann::ordered_json textJson(const v::Text& text)
{
    return {{"en", text.en}, {"zh_CN", text.zhCN}};
}

} // namespace

int runValidateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    std::string path;
    bool json = false;
    bool chinese = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") {
            json = true;
        } else if (args[i] == "--lang" && i + 1 < args.size()
                   && (args[i + 1] == "en" || args[i + 1] == "zh_CN")) {
            chinese = args[++i] == "zh_CN";
        } else if (path.empty() && !args[i].starts_with("--")) {
            path = args[i];
        } else {
            err << kUsage;
            return kExitBadInput;
        }
    }
    if (path.empty()) {
        err << kUsage;
        return kExitBadInput;
    }
    auto loaded = core::loadLvslab(path);
    if (!loaded) {
        for (const core::LoadError& e : loaded.error())
            err << e.toString() << "\n";
        return kExitBadInput;
    }

    const std::vector<v::Finding> findings = v::validate(*loaded);
    int counts[3] = {0, 0, 0};
    for (const v::Finding& f : findings)
        ++counts[static_cast<int>(f.severity)];
    const int errors = counts[0], warnings = counts[1], infos = counts[2];

    if (json) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const v::Finding& f : findings) {
            nlohmann::ordered_json item;
            item["code"] = f.code;
            item["severity"] = std::string(v::toString(f.severity));
            item["subject"] = {{"kind", std::string(v::toString(f.subject.kind))},
                               {"id", f.subject.id},
                               {"name", f.subject.name}};
            item["message"] = textJson(f.message);
            item["fix"] = f.fix ? textJson(f.fix->description) : nlohmann::ordered_json(nullptr);
            list.push_back(std::move(item));
        }
        nlohmann::ordered_json doc;
        doc["file"] = path;
        doc["findings"] = std::move(list);
        doc["errors"] = errors;
        doc["warnings"] = warnings;
        doc["infos"] = infos;
        out << doc.dump(2) << "\n";
    } else {
        for (const v::Finding& f : findings) {
            out << v::toString(f.severity) << " " << f.code << " " << f.subject.name << ": "
                << (chinese ? f.message.zhCN : f.message.en) << "\n";
            if (f.fix)
                out << "  fix: " << (chinese ? f.fix->description.zhCN : f.fix->description.en) << "\n";
        }
        if (chinese)
            out << path << "：错误 " << errors << "，警告 " << warnings << "，提示 " << infos << "\n";
        else
            out << path << ": " << errors << (errors == 1 ? " error, " : " errors, ") << warnings
                << (warnings == 1 ? " warning, " : " warnings, ") << infos
                << (infos == 1 ? " info" : " infos") << "\n";
    }
    return errors > 0 ? kExitFindings : kExitOk;
}

} // namespace lvs::emu
