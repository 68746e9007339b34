// The lvslab command line: lvslab [--lang zh_CN] [FILE].
#pragma once

#include <QString>
#include <QStringList>

namespace lvs::gui {

struct CommandLine {
    QString language;   // --lang, empty: follow the system locale
    QString file;       // the file to open, empty: a new document
    QString screenshot; // hidden --screenshot PNG: grab the window once shown, save, quit
};

// The value of --lang (or --lang=...), read before the parser exists, so that the translator
// is installed before the parser's translated help texts are built.
QString requestedLanguage(const QStringList& arguments);

// Parses the arguments; --help, --version and usage errors print and exit as
// QCommandLineParser::process does.
CommandLine parseCommandLine(const QStringList& arguments);

} // namespace lvs::gui
