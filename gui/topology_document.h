// The designer's document: the one owner of the core Topology, its file path and undo stack.
#pragma once

#include "core/io/lvslab_file.h"
#include "core/model/edit.h"
#include "core/model/topology.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUndoStack>

#include <map>
#include <vector>

namespace lvs::gui {

// The canvas, the panels and the tests see the topology only through this class. Views read
// topology() and redraw on the signals; they change it only by pushing undo commands, and the
// commands change it only through the apply*() primitives below, so every change is undoable
// and every change is announced.
//
// Ids in signals are quint32 (the same type as core::Id) so that QSignalSpy and queued
// connections need no metatype registration.
class TopologyDocument : public QObject {
    Q_OBJECT
public:
    explicit TopologyDocument(QObject* parent = nullptr);

    const core::Topology& topology() const { return m_topology; }
    const core::Node* node(core::Id id) const { return m_topology.findNode(id); }
    QString filePath() const { return m_filePath; }
    // The file's name for a title bar, or "Untitled" for a document never saved.
    QString displayName() const;
    QUndoStack* undoStack() { return &m_undoStack; }
    bool isModified() const { return !m_undoStack.isClean(); }

    // An empty, unnamed document with an empty undo history.
    void newDocument();
    // Replaces the document by the file's topology and clears the undo history. Returns every
    // load error (empty on success); on errors the document is left as it was.
    std::vector<core::LoadError> open(const QString& path);
    // Replaces the document by a topology built elsewhere (tests, import).
    void setTopology(core::Topology topology, const QString& path = {});
    // Writes the document atomically (core::saveLvslab) and marks the undo stack clean. save()
    // needs a file path; saveAs() adopts the new one only when the write succeeded.
    core::Result<void> save();
    core::Result<void> saveAs(const QString& path);

    // User actions: each pushes one undo command (or one macro) and returns what it refused.
    // Moves nodes to new positions; nodes already there are left out, and nothing is pushed
    // when no node moves.
    void moveNodes(const std::map<core::Id, core::Point>& positions);
    // Deletes nodes (with their links and the destinations pointing at them) and links, as one
    // undo step.
    void removeItems(const QList<core::Id>& nodes, const QList<core::Id>& links);
    core::Result<core::Id> addNode(core::NodeKind kind, core::Point position);
    // Links two nodes. An endpoint of a non-segment node without an interface id gets a free
    // interface of that node, or a new one when all are linked.
    core::Result<core::Id> connectNodes(core::Endpoint a, core::Endpoint b);

    // Commands call this when their redo() is refused (the command then makes itself obsolete).
    void reportFailure(const core::Error& error);

    // Primitives for the undo commands: one core::edit operation plus its signals. On error the
    // topology is unchanged and nothing is emitted.
    core::Result<void> applyMove(core::Id node, core::Point position);
    core::Result<core::Id> applyAddNode(core::NodeKind kind, core::Point position);
    core::Result<core::edit::RemovedNode> applyRemoveNode(core::Id node);
    core::Result<void> applyRestore(const core::edit::RemovedNode& removed);
    core::Result<core::Id> applyAddInterface(core::Id node);
    core::Result<core::edit::RemovedInterface> applyRemoveInterface(core::Id interfaceId);
    core::Result<void> applyRestore(const core::edit::RemovedInterface& removed);
    core::Result<core::Id> applyConnect(core::Endpoint a, core::Endpoint b);
    core::Result<core::edit::RemovedLink> applyRemoveLink(core::Id link);
    core::Result<void> applyRestore(const core::edit::RemovedLink& removed);

signals:
    // The whole topology was replaced (new, open): views rebuild from scratch.
    void reset();
    void nodeAdded(quint32 id);
    void nodeRemoved(quint32 id);
    // Anything in the node changed: position, name, interfaces, addresses, services.
    void nodeChanged(quint32 id);
    void linkAdded(quint32 id);
    void linkRemoved(quint32 id);
    // The file path changed (save as, open, new).
    void filePathChanged(const QString& path);
    // A user action was refused; the message says why (for the status bar).
    void editFailed(const QString& message);

private:
    void setFilePath(const QString& path);
    // Pushes a command that creates one object and returns its id, or the command's refusal.
    core::Result<core::Id> pushCreating(QUndoCommand* command,
                                        void (TopologyDocument::*added)(quint32));

    core::Topology m_topology;
    QString m_filePath;
    QUndoStack m_undoStack;
};

QString toQString(const std::string& text);
QString toQString(std::string_view text);

} // namespace lvs::gui
