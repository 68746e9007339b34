// The recently opened files, kept in QSettings.
#include "gui/recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace lvs::gui {

namespace {
const char* const kKey = "recentFiles";
}

QStringList RecentFiles::files() const
{
    return QSettings().value(QLatin1String(kKey)).toStringList();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    store(list);
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = files();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    store(list);
}

void RecentFiles::clear()
{
    store({});
}

void RecentFiles::store(const QStringList& list)
{
    QSettings().setValue(QLatin1String(kKey), list.mid(0, kMaxFiles));
}

} // namespace lvs::gui
