// The recently opened files, kept in QSettings.
#pragma once

#include <QStringList>

namespace lvs::gui {

// Newest first, at most kMaxFiles, no duplicates. Stored under the key "recentFiles" of the
// application's QSettings, so tests that redirect HOME get their own list.
class RecentFiles {
public:
    static constexpr qsizetype kMaxFiles = 8;

    QStringList files() const;
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

private:
    void store(const QStringList& files);
};

} // namespace lvs::gui
