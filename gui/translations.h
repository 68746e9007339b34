// Choosing and installing the user interface language.
#pragma once

#include <QLocale>
#include <QString>

namespace lvs::gui {

// The translation to load: "zh_CN" when asked for Chinese (zh, zh_CN, zh-CN) or, with no
// request, when the system locale is Chinese; "en" otherwise (English is the source language;
// its translation only supplies plural forms).
QString chooseLanguage(const QString& requested, const QLocale& system = QLocale::system());

// Installs the application's translation for a language from :/i18n/ (and Qt's own, for the
// standard dialogs, when the system has it). Returns false when the application has no
// translation for it, and the user interface stays in English.
bool installTranslations(const QString& language);

} // namespace lvs::gui
