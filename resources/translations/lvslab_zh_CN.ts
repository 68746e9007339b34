<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>lvs::gui::AddNodeCommand</name>
    <message>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
</context>
<context>
    <name>lvs::gui::CommandLine</name>
    <message>
        <source>LVS Lab: design, check and run Linux Virtual Server clusters.</source>
        <translation>LVS 实验室：设计、检查并运行 Linux 虚拟服务器（LVS）集群。</translation>
    </message>
    <message>
        <source>User interface language: zh_CN or en (default: the system&apos;s).</source>
        <translation>界面语言：zh_CN 或 en（默认跟随系统）。</translation>
    </message>
    <message>
        <source>The .lvslab file to open.</source>
        <translation>要打开的 .lvslab 文件。</translation>
    </message>
</context>
<context>
    <name>lvs::gui::ConnectCommand</name>
    <message>
        <source>Connect %1 and %2</source>
        <translation>连接 %1 与 %2</translation>
    </message>
    <message>
        <source>A link needs two different nodes.</source>
        <translation>链路需要连接两个不同的节点。</translation>
    </message>
</context>
<context>
    <name>lvs::gui::MainWindow</name>
    <message>
        <source>LVS Lab topologies (*.lvslab)</source>
        <translation>LVS 实验室拓扑 (*.lvslab)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation>打开(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As...</source>
        <translation>另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Add a %1 in the middle of the view</source>
        <translation>在视图中央添加%1</translation>
    </message>
    <message>
        <source>&amp;Connect Selected Nodes</source>
        <translation>连接所选节点(&amp;C)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;About LVS Lab</source>
        <translation>关于 LVS 实验室(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Insert</source>
        <translation>插入(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <source>IPVS Table</source>
        <translation>IPVS 规则表</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;已打开&gt;</translation>
    </message>
    <message>
        <source>%1[*] - LVS Lab</source>
        <translation>%1[*] - LVS 实验室</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them before closing it?</source>
        <translation>%1 有未保存的修改。关闭前是否保存？</translation>
    </message>
    <message>
        <source>Open Topology</source>
        <translation>打开拓扑</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Cannot Open File</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>%1 could not be opened:</source>
        <translation>无法打开 %1：</translation>
    </message>
    <message numerus="yes">
        <source>... and %n more (see Show Details).</source>
        <translation>
            <numerusform>……另有 %n 处错误（见“显示详细信息”）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Topology As</source>
        <translation>拓扑另存为</translation>
    </message>
    <message>
        <source>Cannot Save File</source>
        <translation>无法保存文件</translation>
    </message>
    <message>
        <source>%1 could not be saved; the file on disk is unchanged.

%2</source>
        <translation>无法保存 %1；磁盘上的文件未被改动。

%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Select exactly two nodes to connect them.</source>
        <translation>请恰好选择两个节点再进行连接。</translation>
    </message>
    <message>
        <source>About LVS Lab</source>
        <translation>关于 LVS 实验室</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LVS Lab %1&lt;/h3&gt;&lt;p&gt;Design, check, run and export Linux Virtual Server (IPVS) load-balancing clusters: NAT, DR, TUN and FULLNAT.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LVS 实验室 %1&lt;/h3&gt;&lt;p&gt;设计、检查、运行并导出 Linux 虚拟服务器（IPVS）负载均衡集群：NAT、DR、TUN 与 FULLNAT 模式。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>lvs::gui::MoveNodeCommand</name>
    <message>
        <source>Move %1</source>
        <translation>移动 %1</translation>
    </message>
    <message numerus="yes">
        <source>Move %n node(s)</source>
        <translation>
            <numerusform>移动 %n 个节点</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lvs::gui::NodeKind</name>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Router</source>
        <translation>路由器</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>交换机</translation>
    </message>
    <message>
        <source>Director</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>Real Server</source>
        <translation>真实服务器</translation>
    </message>
</context>
<context>
    <name>lvs::gui::RemoveLinkCommand</name>
    <message>
        <source>Delete link</source>
        <translation>删除链路</translation>
    </message>
</context>
<context>
    <name>lvs::gui::RemoveNodeCommand</name>
    <message>
        <source>Delete %1</source>
        <translation>删除 %1</translation>
    </message>
</context>
<context>
    <name>lvs::gui::ServicesPanel</name>
    <message>
        <source>Select a director to see its IPVS table.</source>
        <translation>选择一个调度器以查看其 IPVS 规则表。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: IPVS table as &lt;tt&gt;ipvsadm -Ln&lt;/tt&gt; lists it</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;：IPVS 规则表（与 &lt;tt&gt;ipvsadm -Ln&lt;/tt&gt; 的输出一致）</translation>
    </message>
</context>
<context>
    <name>lvs::gui::TopologyDocument</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>The document has no file name yet: use Save As.</source>
        <translation>文档还没有文件名：请使用“另存为”。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n item(s)</source>
        <translation>
            <numerusform>删除 %n 项</numerusform>
        </translation>
    </message>
</context>
</TS>
