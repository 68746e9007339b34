// Choosing and installing the user interface language.
#include "gui/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace lvs::gui {

QString chooseLanguage(const QString& requested, const QLocale& system)
{
    if (!requested.isEmpty()) {
        if (requested.startsWith(QLatin1String("zh"), Qt::CaseInsensitive))
            return QStringLiteral("zh_CN");
        return QStringLiteral("en");
    }
    // Only Simplified Chinese is translated; it serves other Chinese locales better than
    // English does.
    if (system.language() == QLocale::Chinese)
        return QStringLiteral("zh_CN");
    return QStringLiteral("en");
}

bool installTranslations(const QString& language)
{
    auto* app = QCoreApplication::instance();
    auto* own = new QTranslator(app);
    // Embedded by qt_add_translations under :/i18n/.
    if (!own->load(QStringLiteral(":/i18n/lvslab_") + language)) {
        delete own;
        return false;
    }
    QCoreApplication::installTranslator(own);
    if (language == QLatin1String("en"))
        return true; // Qt's own strings are English already
    auto* qt = new QTranslator(app);
    if (qt->load(QStringLiteral("qtbase_") + language,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return true;
}

} // namespace lvs::gui
