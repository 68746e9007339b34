// Design validation: every rule of the seeds' LVS modes checked against a Topology, with a reason
// in English and Simplified Chinese and, where one exists, a fix that edits the model.
//
// Pure: no Qt, no kernel. The rule codes are stable (the GUI and scripts key on them) and each
// one is documented in docs/validation-rules.md with the seed line or kernel source behind it.
#pragma once

#include "core/model/topology.h"
#include "core/util/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::core::validate {

enum class Severity { Error, Warning, Info };

std::string_view toString(Severity severity); // "error", "warning", "info"

enum class SubjectKind { Node, Interface, Service, Destination };

std::string_view toString(SubjectKind kind); // "node", "interface", "service", "destination"

// What a finding is about: the object's id in the document and the name a person sees
// ("RS1", "RS1.eth0", "TCP 172.18.100.7:80", "TCP 172.18.100.7:80 -> 192.168.10.11:80").
struct Subject {
    SubjectKind kind = SubjectKind::Node;
    Id id = kNoId;
    std::string name;
};

// One text in the two languages the project ships (resources/translations: en, zh_CN).
struct Text {
    std::string en;
    std::string zhCN;
};

// A one-step repair. apply mutates the topology it is given (the GUI snapshots the document
// around it, so it is one undo step); it re-finds everything by id and returns an Error, leaving
// the topology unchanged, when the objects it names are gone.
struct Fix {
    Text description;
    std::function<Result<void>(Topology&)> apply;
};

struct Finding {
    std::string code; // "NAT-GATEWAY": stable, see docs/validation-rules.md
    Severity severity = Severity::Error;
    Subject subject;
    Text message;
    std::optional<Fix> fix;
};

// One rule of the table: its code, severity and a one-line summary (English).
struct RuleInfo {
    std::string_view code;
    Severity severity;
    std::string_view summary;
};

// Every rule validate() runs, in the order it runs them.
const std::vector<RuleInfo>& rules();

// Checks a design against every rule and returns all findings (never the first only), in rule
// order then document order. Never throws on user input; an empty result means a clean design.
std::vector<Finding> validate(const Topology& topology);

} // namespace lvs::core::validate
