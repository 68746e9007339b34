// The lvslab command line: lvslab [--lang zh_CN] [FILE].
#include "gui/command_line.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace lvs::gui {

QString requestedLanguage(const QStringList& arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& arg = arguments[i];
        if (arg == QLatin1String("--"))
            break;
        if ((arg == QLatin1String("--lang") || arg == QLatin1String("-lang"))
            && i + 1 < arguments.size())
            return arguments[i + 1];
        if (arg.startsWith(QLatin1String("--lang=")))
            return arg.mid(7);
    }
    return {};
}

CommandLine parseCommandLine(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "lvs::gui::CommandLine", "LVS Lab: design, check and run Linux Virtual Server clusters."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption lang(QStringLiteral("lang"),
                            QCoreApplication::translate(
                                "lvs::gui::CommandLine",
                                "User interface language: zh_CN or en (default: the system's)."),
                            QStringLiteral("language"));
    parser.addOption(lang);
    // Used to check the look of the window without a display (offscreen platform).
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save the main window to a PNG and quit."),
                                  QStringLiteral("png"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QCoreApplication::translate("lvs::gui::CommandLine", "The .lvslab file to open."),
        QStringLiteral("[file]"));
    parser.process(arguments);

    CommandLine result;
    result.language = parser.value(lang);
    result.screenshot = parser.value(screenshot);
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1)
        parser.showHelp(2);
    if (!files.isEmpty())
        result.file = files.front();
    return result;
}

} // namespace lvs::gui
