<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>lvs::gui::AddNodeCommand</name>
    <message>
        <source>Add %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::CommandLine</name>
    <message>
        <source>LVS Lab: design, check and run Linux Virtual Server clusters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User interface language: zh_CN or en (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The .lvslab file to open.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::ConnectCommand</name>
    <message>
        <source>Connect %1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A link needs two different nodes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::MainWindow</name>
    <message>
        <source>LVS Lab topologies (*.lvslab)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a %1 in the middle of the view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect Selected Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About LVS Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Insert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPVS Table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1[*] - LVS Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them before closing it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Open File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be opened:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>... and %n more (see Show Details).</source>
        <translation>
            <numerusform>... and %n more (see Show Details).</numerusform>
            <numerusform>... and %n more (see Show Details).</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Topology As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Save File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be saved; the file on disk is unchanged.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select exactly two nodes to connect them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About LVS Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;LVS Lab %1&lt;/h3&gt;&lt;p&gt;Design, check, run and export Linux Virtual Server (IPVS) load-balancing clusters: NAT, DR, TUN and FULLNAT.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::MoveNodeCommand</name>
    <message>
        <source>Move %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Move %n node(s)</source>
        <translation>
            <numerusform>Move %n node</numerusform>
            <numerusform>Move %n nodes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lvs::gui::NodeKind</name>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Director</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Real Server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::RemoveLinkCommand</name>
    <message>
        <source>Delete link</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::RemoveNodeCommand</name>
    <message>
        <source>Delete %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::ServicesPanel</name>
    <message>
        <source>Select a director to see its IPVS table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: IPVS table as &lt;tt&gt;ipvsadm -Ln&lt;/tt&gt; lists it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lvs::gui::TopologyDocument</name>
    <message>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The document has no file name yet: use Save As.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n item(s)</source>
        <translation>
            <numerusform>Delete %n item</numerusform>
            <numerusform>Delete %n items</numerusform>
        </translation>
    </message>
</context>
</TS>
