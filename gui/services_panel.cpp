// Side panel: the selected director's IPVS table as `ipvsadm -Ln` prints it (read-only).
#include "gui/services_panel.h"

#include "core/ipvs/listing.h"
#include "core/show/show.h"
#include "gui/topology_document.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace lvs::gui {

ServicesPanel::ServicesPanel(TopologyDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_title(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
{
    m_title->setWordWrap(true);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(9);
    m_text->setFont(font);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_text, 1);

    connect(document, &TopologyDocument::reset, this, [this] { showNode(core::kNoId); });
    connect(document, &TopologyDocument::nodeChanged, this, [this](quint32 id) {
        if (id == m_node)
            refresh();
    });
    connect(document, &TopologyDocument::nodeRemoved, this, [this](quint32 id) {
        if (id == m_node)
            showNode(core::kNoId);
    });
    refresh();
}

QSize ServicesPanel::sizeHint() const
{
    // Wide enough for ipvsadm's 69-column header and destination lines without scrolling, and
    // tall enough for the header, a title line and a few services.
    const QFontMetrics metrics = m_text->fontMetrics();
    const int width = metrics.horizontalAdvance(QString(70, QLatin1Char('M')));
    const int height = m_title->sizeHint().height() + 11 * metrics.lineSpacing();
    return QSize(width + 2 * m_text->frameWidth() + 12, height + 2 * m_text->frameWidth() + 12);
}

void ServicesPanel::showNode(core::Id id)
{
    m_node = id;
    refresh();
}

QString ServicesPanel::listingText() const
{
    return m_text->isEnabled() ? m_text->toPlainText() : QString();
}

void ServicesPanel::refresh()
{
    const core::Node* node = m_document->node(m_node);
    if (!node || node->kind != core::NodeKind::Director) {
        m_title->setText(tr("Select a director to see its IPVS table."));
        m_text->clear();
        m_text->setEnabled(false);
        return;
    }
    m_title->setText(tr("<b>%1</b>: IPVS table as <tt>ipvsadm -Ln</tt> lists it")
                         .arg(toQString(node->name).toHtmlEscaped()));
    QString text = toQString(core::listNumeric(node->services));
    // Firewall-mark services make sense only with the mangle rules that set the marks.
    if (!node->fwmarkRules.empty()) {
        text += QLatin1Char('\n');
        for (const core::FwmarkRule& rule : node->fwmarkRules)
            text += toQString(core::iptablesRule(rule)) + QLatin1Char('\n');
    }
    m_text->setEnabled(true);
    m_text->setPlainText(text);
}

} // namespace lvs::gui
