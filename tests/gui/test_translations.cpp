// GUI tests: choosing the language, and the embedded Simplified Chinese translation.
#include "gui/main_window.h"
#include "gui/node_kinds.h"
#include "gui/translations.h"
#include "tests/gui/gui_test_main.h"

#include <QCoreApplication>
#include <QFile>
#include <QMenuBar>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace lvs;

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void chooseLanguage_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QLocale>("system");
        QTest::addColumn<QString>("expected");
        const QLocale chinese(QLocale::Chinese, QLocale::China);
        const QLocale taiwan(QLocale::Chinese, QLocale::Taiwan);
        const QLocale english(QLocale::English, QLocale::UnitedStates);
        const QLocale german(QLocale::German, QLocale::Germany);
        QTest::newRow("--lang zh_CN on an English system") << "zh_CN" << english << "zh_CN";
        QTest::newRow("--lang zh-CN") << "zh-CN" << english << "zh_CN";
        QTest::newRow("--lang en on a Chinese system") << "en" << chinese << "en";
        QTest::newRow("Chinese system") << "" << chinese << "zh_CN";
        QTest::newRow("Chinese (Taiwan) system") << "" << taiwan << "zh_CN";
        QTest::newRow("English system") << "" << english << "en";
        QTest::newRow("German system: no German yet") << "" << german << "en";
    }

    void chooseLanguage()
    {
        QFETCH(QString, requested);
        QFETCH(QLocale, system);
        QFETCH(QString, expected);
        QCOMPARE(gui::chooseLanguage(requested, system), expected);
    }

    void tsFileHasNoUnfinishedMessage()
    {
        // lupdate adds new strings as unfinished: this keeps the Chinese user interface whole.
        QFile file(QStringLiteral(LVSLAB_SOURCE_DIR "/resources/translations/lvslab_zh_CN.ts"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString source;
        int messages = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
                ++messages;
            } else if (xml.name() == QLatin1String("translation")) {
                QVERIFY2(xml.attributes().value(QLatin1String("type")).isEmpty(),
                         qPrintable(QStringLiteral("not translated: ") + source));
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                QVERIFY2(!text.trimmed().isEmpty(), qPrintable(QStringLiteral("empty: ") + source));
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 40);
    }

    void englishSuppliesPluralForms()
    {
        QVERIFY(gui::installTranslations(QStringLiteral("en")));
        QCOMPARE(QCoreApplication::translate("lvs::gui::MoveNodeCommand", "Move %n node(s)",
                                             nullptr, 1),
                 QStringLiteral("Move 1 node"));
        QCOMPARE(QCoreApplication::translate("lvs::gui::MoveNodeCommand", "Move %n node(s)",
                                             nullptr, 3),
                 QStringLiteral("Move 3 nodes"));
        removeTranslators();
    }

    void chineseUserInterface()
    {
        QVERIFY(gui::installTranslations(QStringLiteral("zh_CN")));
        gui::MainWindow window;
        QStringList menus;
        for (QAction* action : window.menuBar()->actions())
            menus << action->text();
        QCOMPARE(menus, (QStringList{QStringLiteral("文件(&F)"), QStringLiteral("编辑(&E)"),
                                     QStringLiteral("插入(&I)"), QStringLiteral("视图(&V)"),
                                     QStringLiteral("帮助(&H)")}));
        QCOMPARE(window.windowTitle(), QStringLiteral("未命名[*] - LVS 实验室"));
        QCOMPARE(gui::kindLabel(core::NodeKind::RealServer), QStringLiteral("真实服务器"));
        removeTranslators();
        QCOMPARE(gui::kindLabel(core::NodeKind::RealServer), QStringLiteral("Real Server"));
    }

    void unknownLanguageIsRefused()
    {
        QVERIFY(!gui::installTranslations(QStringLiteral("xx_XX")));
    }

private:
    static void removeTranslators()
    {
        for (QTranslator* translator : QCoreApplication::instance()->findChildren<QTranslator*>()) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }
};

LVSLAB_GUI_TEST_MAIN(TestTranslations)
#include "test_translations.moc"
