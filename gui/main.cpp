// lvslab: the LVS Lab designer's entry point (command line, translation, main window).
#include "gui/command_line.h"
#include "gui/main_window.h"
#include "gui/translations.h"

#include <QApplication>
#include <QTimer>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("lvslab"));
    QApplication::setApplicationName(QStringLiteral("lvslab"));
    QApplication::setApplicationDisplayName(QStringLiteral("LVS Lab"));
    QApplication::setApplicationVersion(QStringLiteral(LVSLAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("lvslab"));

    // The translator goes in before the parser so that --help is translated too.
    const QStringList arguments = QApplication::arguments();
    const QString language = lvs::gui::chooseLanguage(lvs::gui::requestedLanguage(arguments));
    if (!lvs::gui::installTranslations(language))
        qWarning("lvslab: no translation %s; the user interface stays in English",
                 qPrintable(language));
    const lvs::gui::CommandLine options = lvs::gui::parseCommandLine(arguments);

    lvs::gui::MainWindow window;
    window.show();
    if (!options.file.isEmpty())
        window.openFile(options.file);

    if (!options.screenshot.isEmpty()) {
        // After the first round of events, when the window has its final layout.
        QTimer::singleShot(0, &window, [&window, &options] {
            const bool saved = window.grab().save(options.screenshot);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
