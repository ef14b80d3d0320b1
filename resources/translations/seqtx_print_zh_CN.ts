<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>PdfPageModel</name>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="100" />
      <source>Page %1 of %2</source>
      <translation>第 %1 页 / 共 %2 页</translation>
    </message>
  </context>
  <context>
    <name>PrintActions</name>
    <message>
      <location filename="../../ui/printing/install.py" line="81" />
      <source>Print &amp;blank forms for today's tasks…</source>
      <translation>打印今日任务的空白表单(&amp;B)…</translation>
    </message>
    <message>
      <source>Print blank forms for today's tasks…</source>
      <translation>打印今日任务的空白表单…</translation>
    </message>
    <message>
      <location filename="../../ui/printing/install.py" line="82" />
      <source>Print &amp;casebook…</source>
      <translation>打印病例报告表汇编(&amp;C)…</translation>
    </message>
    <message>
      <location filename="../../ui/printing/install.py" line="83" />
      <source>Print &amp;visit…</source>
      <translation>打印访视(&amp;V)…</translation>
    </message>
    <message>
      <location filename="../../ui/printing/install.py" line="85" />
      <source>All entered forms of this subject, with contents, for the paper binder</source>
      <translation>该受试者全部已录入的表单（含目录），用于纸质病例夹</translation>
    </message>
    <message>
      <location filename="../../ui/printing/install.py" line="88" />
      <source>The selected visit with its stored values, queries and signatures</source>
      <translation>所选访视，含已存储的数值、质疑和签名</translation>
    </message>
  </context>
  <context>
    <name>PrintPreviewDialog</name>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="218" />
      <source>Preparing the document…</source>
      <translation>正在生成文档…</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="223" />
      <source>Print preview</source>
      <translation>打印预览</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="224" />
      <source>&amp;Print…</source>
      <translation>打印(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="225" />
      <source>&amp;Save PDF…</source>
      <translation>保存 PDF(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="226" />
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="227" />
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="234" />
      <source>Print preview · %1</source>
      <translation>打印预览 · %1</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/printing/preview_dialog.py" line="235" />
      <source>%n page(s)</source>
      <translation>
        <numerusform>共 %n 页</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="245" />
      <source>Nothing to print.</source>
      <translation>没有需要打印的内容。</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="297" />
      <source>Sending to the printer…</source>
      <translation>正在发送到打印机…</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/printing/preview_dialog.py" line="302" />
      <source>%n page(s) sent to the printer.</source>
      <translation>
        <numerusform>已向打印机发送 %n 页。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="314" />
      <source>Save PDF</source>
      <translation>保存 PDF</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="316" />
      <source>PDF files (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../ui/printing/preview_dialog.py" line="333" />
      <source>Saved as %1</source>
      <translation>已保存为 %1</translation>
    </message>
  </context>
  <context>
    <name>RecoveryPrint</name>
    <message>
      <location filename="../../ui/printing/install.py" line="190" />
      <source>&amp;Print recovery sheet…</source>
      <translation>打印恢复代码页(&amp;P)…</translation>
    </message>
  </context>
  <context>
    <name>ScanBack</name>
    <message>
      <location filename="../../ui/scan_back.py" line="59" />
      <source>This CRF code could not be read ({reason}). Scan it again.</source>
      <translation>无法读取此 CRF 代码（{reason}）。请重新扫描。</translation>
    </message>
    <message>
      <location filename="../../ui/scan_back.py" line="64" />
      <source>This CRF belongs to another study ({study}).</source>
      <translation>此 CRF 属于其他研究（{study}）。</translation>
    </message>
    <message>
      <location filename="../../ui/scan_back.py" line="69" />
      <source>This is a blank form: it names no subject. Search for the subject ID instead.</source>
      <translation>这是空白表单，未注明受试者。请改为搜索受试者编号。</translation>
    </message>
  </context>
  <context>
    <name>SyncPage</name>
    <message>
      <location filename="../../ui/sync_page.py" line="38" />
      <source>The data center's public key has not been imported yet. Import it first (Import data-center key…).</source>
      <translation>尚未导入数据中心公钥。请先导入（导入数据中心公钥…）。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="43" />
      <source>This file is not a valid data-center public key file.</source>
      <translation>此文件不是有效的数据中心公钥文件。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="46" />
      <source>This file is not an acknowledgement for this site, or it does not match the packages this site sent.</source>
      <translation>此文件不是本中心的回执，或与本中心发送的数据包不符。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="51" />
      <source>The acknowledgement's signature does not match the data center's key: it was not made by the data center or it was changed. Nothing was recorded.</source>
      <translation>回执的签名与数据中心公钥不符：它不是数据中心生成的，或已被篡改。未记录任何内容。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="67" />
      <source>The file was refused ({code}). Nothing was changed.</source>
      <translation>文件被拒绝（{code}）。未做任何更改。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="75" />
      <source>never</source>
      <translation>从未</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="159" />
      <source>Data center</source>
      <translation>数据中心</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="162" />
      <source>Packages for the trial's data center are encrypted to the data center's key and signed by this site; they carry no names, hospital numbers or dates of birth. Copy each package to the USB stick or shared folder agreed with the data center.</source>
      <translation>发送给试验数据中心的数据包使用数据中心的公钥加密，并由本中心签名；数据包中不含姓名、住院号或出生日期。请将每个数据包复制到与数据中心约定的 U 盘或共享文件夹。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="167" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="168" />
      <source>Actions</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="170" />
      <source>Last export:</source>
      <translation>最近一次导出：</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="171" />
      <source>Last acknowledgement:</source>
      <translation>最近一次回执：</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="172" />
      <source>Not yet acknowledged:</source>
      <translation>尚未确认接收：</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="177" />
      <source>Data-center key:</source>
      <translation>数据中心公钥：</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="230" />
      <source>fingerprint %1</source>
      <translation>指纹 %1</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="234" />
      <source>not imported yet: import the key file the data center gave you</source>
      <translation>尚未导入：请导入数据中心提供的公钥文件</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="176" />
      <source>&amp;Export for the data center…</source>
      <translation>导出给数据中心(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="177" />
      <source>Import &amp;acknowledgement…</source>
      <translation>导入回执(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="178" />
      <source>Import data-center &amp;key…</source>
      <translation>导入数据中心公钥(&amp;K)…</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="179" />
      <source>Save &amp;site public key…</source>
      <translation>保存本中心公钥(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="202" />
      <source>package %1, %2</source>
      <translation>数据包 %1，%2</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="207" />
      <source>no package exported yet</source>
      <translation>尚未导出任何数据包</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="210" />
      <source>%1, packages up to %2 received</source>
      <translation>%1，已接收至第 %2 号数据包</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="215" />
      <source>none received yet</source>
      <translation>尚未收到</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/sync_page.py" line="219" />
      <source>%n package(s): </source>
      <translation>
        <numerusform>%n 个数据包：</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="222" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/sync_page.py" line="226" />
      <source>The data center has acknowledged nothing for %n day(s) (warning after %1 days). Check that the packages reached the data center and import its acknowledgement.</source>
      <translation>
        <numerusform>数据中心已有 %n 天未确认接收任何数据包（超过 %1 天即提示）。请确认数据包已送达数据中心，并导入其回执。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="277" />
      <source>Export for the data center: choose the folder or USB stick</source>
      <translation>导出给数据中心：选择文件夹或 U 盘</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="288" />
      <source>Exporting the package…</source>
      <translation>正在导出数据包…</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="294" />
      <source>Package %1 written: %2
in %8
%3 subject(s), %4 value change(s), %5 audit record(s), %6 signature(s)%7.</source>
      <translation>已写入第 %1 号数据包：%2
位于 %8
受试者 %3 例，数据变更 %4 项，稽查记录 %5 条，签名 %6 个%7。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="305" />
      <source>, with the study definition</source>
      <translation>，含研究定义</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="313" />
      <source>Import the data center's public key</source>
      <translation>导入数据中心的公钥</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="315" />
      <source>Key files (*.json);;All files (*)</source>
      <translation>密钥文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="329" />
      <source>Data-center key imported. Fingerprint:
%1
Compare it with the fingerprint the data center gave you by telephone or letter.</source>
      <translation>已导入数据中心公钥。指纹：
%1
请与数据中心通过电话或信函告知的指纹核对。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="334" />
      <source>Importing the key…</source>
      <translation>正在导入公钥…</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="339" />
      <source>Save this site's public key for the data center</source>
      <translation>保存本中心公钥以提供给数据中心</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="341" />
      <source>Key files (*.json)</source>
      <translation>密钥文件 (*.json)</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="357" />
      <source>Site public key saved as %1. Fingerprint:
%2
Send the file to the data center and tell them the fingerprint separately.</source>
      <translation>本中心公钥已保存为 %1。指纹：
%2
请将文件发送给数据中心，并另行告知指纹。</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="364" />
      <source>Saving the key…</source>
      <translation>正在保存公钥…</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="369" />
      <source>Import an acknowledgement from the data center</source>
      <translation>导入数据中心的回执</translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="371" />
      <source>Acknowledgements (*.sta);;All files (*)</source>
      <translation>回执文件 (*.sta);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/sync_page.py" line="384" />
      <source>%n package(s) newly acknowledged; packages up to %1 received.</source>
      <translation>
        <numerusform>新确认接收 %n 个数据包；已接收至第 %1 号数据包。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/sync_page.py" line="390" />
      <source>%n new query(ies) from the data center.</source>
      <translation>
        <numerusform>数据中心新提出质疑 %n 条。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/sync_page.py" line="394" />
      <source>%n conflict(s) wait at the data center.</source>
      <translation>
        <numerusform>数据中心有 %n 个冲突待处理。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/sync_page.py" line="398" />
      <source>Importing the acknowledgement…</source>
      <translation>正在导入回执…</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Data center</source>
      <translation>数据中心</translation>
    </message>
  </context>
</TS>
