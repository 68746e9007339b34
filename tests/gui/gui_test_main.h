// GUI tests: a main() that gives each test a temporary HOME and test-mode standard paths.
#pragma once

#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// HOME and the XDG variables are set before QApplication exists, so that QSettings (recent
// files, window state) never reads or writes the real user's configuration. The offscreen
// platform is the default so the executable also runs outside ctest, which sets it anyway.
#define LVSLAB_GUI_TEST_MAIN(TestClass)                                                         \
    int main(int argc, char* argv[])                                                            \
    {                                                                                           \
        QTemporaryDir home;                                                                     \
        if (!home.isValid())                                                                    \
            qFatal("cannot create a temporary HOME");                                           \
        qputenv("HOME", home.path().toLocal8Bit());                                             \
        qunsetenv("XDG_CONFIG_HOME");                                                           \
        qunsetenv("XDG_DATA_HOME");                                                             \
        qunsetenv("XDG_CACHE_HOME");                                                            \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                     \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                            \
        QStandardPaths::setTestModeEnabled(true);                                               \
        QApplication app(argc, argv);                                                           \
        QApplication::setOrganizationName(QStringLiteral("lvslab-tests"));                     \
        QApplication::setApplicationName(QStringLiteral(#TestClass));                           \
        TestClass test;                                                                         \
        return QTest::qExec(&test, argc, argv);                                                 \
    }
