<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CordBloodPage</name>
    <message>
        <source>Reason for this choice (optional)</source>
        <translation>选择该单位的理由（可选）</translation>
    </message>
    <message>
        <source>%1 · match %2, %3 · TNC %4 ×10⁷/kg</source>
        <translation>%1 · 配型 %2，%3 · TNC %4 ×10⁷/kg</translation>
    </message>
    <message>
        <source>(needs more than %1 ×10⁷/kg)</source>
        <translation>（需大于 %1 ×10⁷/kg）</translation>
    </message>
    <message>
        <source>-150 °C or colder</source>
        <translation>≤ -150 °C</translation>
    </message>
    <message>
        <source>6-locus match below the acceptable score</source>
        <translation>6位点配型低于可接受水平</translation>
    </message>
    <message>
        <source>A single unit reaches the TNC dose: %1</source>
        <translation>单份脐血即可达到TNC剂量：%1</translation>
    </message>
    <message>
        <source>ABO</source>
        <translation>ABO血型</translation>
    </message>
    <message>
        <source>Bag and canister intact</source>
        <translation>冻存袋及外罐完好</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>脐血库</translation>
    </message>
    <message>
        <source>CD34+
×10⁵</source>
        <translation>CD34+
×10⁵</translation>
    </message>
    <message>
        <source>CD34+
×10⁵/kg</source>
        <translation>CD34+
×10⁵/kg</translation>
    </message>
    <message>
        <source>Candidate unit</source>
        <translation>候选脐血</translation>
    </message>
    <message>
        <source>Candidate unit %1</source>
        <translation>候选脐血 %1</translation>
    </message>
    <message>
        <source>Characters 6–7 of the DIN (the year) must be digits.</source>
        <translation>DIN第6–7位（年份）必须为数字。</translation>
    </message>
    <message>
        <source>Characters 8–13 of the DIN (the sequence) must be digits.</source>
        <translation>DIN第8–13位（序列号）必须为数字。</translation>
    </message>
    <message>
        <source>Computed for this unit</source>
        <translation>该脐血的计算结果</translation>
    </message>
    <message>
        <source>Cord blood unit</source>
        <translation>脐带血</translation>
    </message>
    <message>
        <source>DIN</source>
        <translation>DIN</translation>
    </message>
    <message>
        <source>DIN as scanned or typed</source>
        <translation>DIN（扫描或输入）</translation>
    </message>
    <message>
        <source>Date and time received</source>
        <translation>接收日期时间</translation>
    </message>
    <message>
        <source>Dose not computed (TNC or weight missing)</source>
        <translation>未能计算剂量（缺少TNC或体重）</translation>
    </message>
    <message>
        <source>Double unit</source>
        <translation>双份脐血</translation>
    </message>
    <message>
        <source>Dry shipper temperature on arrival (°C)</source>
        <translation>到达时液氮干式运输罐温度（°C）</translation>
    </message>
    <message>
        <source>Edit selected candidate</source>
        <translation>编辑所选候选脐血</translation>
    </message>
    <message>
        <source>Enter your password to sign the selection.</source>
        <translation>请输入您的密码以签署选择。</translation>
    </message>
    <message>
        <source>HLA typing missing or too low resolution</source>
        <translation>HLA分型缺失或分辨率不足</translation>
    </message>
    <message>
        <source>HLA-C mismatch</source>
        <translation>HLA-C错配</translation>
    </message>
    <message>
        <source>Label and documents match the selected unit</source>
        <translation>标签及文件与选定脐血一致</translation>
    </message>
    <message>
        <source>Match
/6</source>
        <translation>配型
/6</translation>
    </message>
    <message>
        <source>Match
/8</source>
        <translation>配型
/8</translation>
    </message>
    <message>
        <source>Match %1 · %2 · TNC %3 ×10⁷/kg · CD34+ %4 ×10⁵/kg</source>
        <translation>配型 %1 · %2 · TNC %3 ×10⁷/kg · CD34+ %4 ×10⁵/kg</translation>
    </message>
    <message>
        <source>More HLA mismatches than allowed</source>
        <translation>HLA错配数超过允许值</translation>
    </message>
    <message>
        <source>New candidate unit</source>
        <translation>新的候选脐血</translation>
    </message>
    <message>
        <source>New unit</source>
        <translation>新增脐血</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>No DIN entered</source>
        <translation>未输入DIN</translation>
    </message>
    <message>
        <source>No candidate unit entered yet.</source>
        <translation>尚未录入候选脐血。</translation>
    </message>
    <message>
        <source>No candidate unit reaches the TNC dose yet</source>
        <translation>尚无候选脐血达到TNC剂量</translation>
    </message>
    <message>
        <source>No single unit reaches the TNC dose: consider a double unit (%1)</source>
        <translation>无单份脐血达到TNC剂量：考虑双份脐血（%1）</translation>
    </message>
    <message>
        <source>No weight recorded: the dose per kg cannot be computed</source>
        <translation>未记录体重：无法计算每公斤剂量</translation>
    </message>
    <message>
        <source>Not a complete DIN yet: %1 of 13 characters.</source>
        <translation>DIN尚不完整：已输入13位中的%1位。</translation>
    </message>
    <message>
        <source>Not received yet</source>
        <translation>尚未接收</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Not saved: a reason for the change is needed.</source>
        <translation>未保存：需要填写修改原因。</translation>
    </message>
    <message>
        <source>Not saved: values outside the expected range.</source>
        <translation>未保存：数值超出预期范围。</translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation>没有需要保存的内容。</translation>
    </message>
    <message>
        <source>Only a physician selects the cord blood unit.</source>
        <translation>只有医生可以选择脐带血。</translation>
    </message>
    <message>
        <source>Post-thaw CD34+ viability too low</source>
        <translation>复苏后CD34+细胞活率过低</translation>
    </message>
    <message>
        <source>Product code</source>
        <translation>产品编码</translation>
    </message>
    <message>
        <source>Receipt of %1 recorded.</source>
        <translation>已记录 %1 的接收。</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>接收人</translation>
    </message>
    <message>
        <source>Received: %1</source>
        <translation>已接收：%1</translation>
    </message>
    <message>
        <source>Recipient HLA</source>
        <translation>受者HLA</translation>
    </message>
    <message>
        <source>Recipient HLA saved; matches recomputed.</source>
        <translation>受者HLA已保存；配型已重新计算。</translation>
    </message>
    <message>
        <source>Record receipt</source>
        <translation>记录接收</translation>
    </message>
    <message>
        <source>Record receipt of the unit</source>
        <translation>记录脐血接收</translation>
    </message>
    <message>
        <source>Record receipt…</source>
        <translation>记录接收…</translation>
    </message>
    <message>
        <source>Save recipient HLA</source>
        <translation>保存受者HLA</translation>
    </message>
    <message>
        <source>Save unit</source>
        <translation>保存脐血</translation>
    </message>
    <message>
        <source>Scan the DIN barcode, or type the DIN followed by its boxed check character.</source>
        <translation>请扫描DIN条码，或输入DIN及其方框内的校验字符。</translation>
    </message>
    <message>
        <source>Select and sign</source>
        <translation>选择并签名</translation>
    </message>
    <message>
        <source>Select cord blood unit(s)</source>
        <translation>选择脐带血</translation>
    </message>
    <message>
        <source>Select unit(s)…</source>
        <translation>选择脐血…</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>已选定</translation>
    </message>
    <message>
        <source>Selected, received</source>
        <translation>已选定，已接收</translation>
    </message>
    <message>
        <source>Selected: %1 (%2)</source>
        <translation>已选定：%1（%2）</translation>
    </message>
    <message>
        <source>Selection signed.</source>
        <translation>选择已签名。</translation>
    </message>
    <message>
        <source>Single unit</source>
        <translation>单份脐血</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Storage location (tank and position)</source>
        <translation>存放位置（液氮罐及位置）</translation>
    </message>
    <message>
        <source>TNC
×10⁷</source>
        <translation>TNC
×10⁷</translation>
    </message>
    <message>
        <source>TNC
×10⁷/kg</source>
        <translation>TNC
×10⁷/kg</translation>
    </message>
    <message>
        <source>TNC dose too low</source>
        <translation>TNC剂量过低</translation>
    </message>
    <message>
        <source>The DIN must start with the 5-character facility code.</source>
        <translation>DIN须以5位机构码开头。</translation>
    </message>
    <message>
        <source>The candidate unit has changes that are not saved. Discard them?</source>
        <translation>候选脐血有未保存的更改。是否放弃？</translation>
    </message>
    <message>
        <source>The check character must be a letter, a digit or *.</source>
        <translation>校验字符必须是字母、数字或*。</translation>
    </message>
    <message>
        <source>The flag characters after the DIN must be digits.</source>
        <translation>DIN之后的标志字符必须为数字。</translation>
    </message>
    <message>
        <source>The flag digits do not match the DIN's check character.</source>
        <translation>标志数字与DIN的校验字符不符。</translation>
    </message>
    <message>
        <source>The recipient HLA typing has changes that are not saved. Discard them?</source>
        <translation>受者HLA分型有未保存的更改。是否放弃？</translation>
    </message>
    <message>
        <source>Tick one or two units.</source>
        <translation>请勾选一份或两份脐血。</translation>
    </message>
    <message>
        <source>Tick one unit (single) or two units (double unit):</source>
        <translation>勾选一份（单份）或两份（双份）脐血：</translation>
    </message>
    <message>
        <source>Too many characters: a DIN has 13, then its check character.</source>
        <translation>字符过多：DIN为13位，其后为校验字符。</translation>
    </message>
    <message>
        <source>Type the boxed check character after the 13 characters of the DIN.</source>
        <translation>请在13位DIN之后输入方框内的校验字符。</translation>
    </message>
    <message>
        <source>Type the unit's HLA typing and cell counts.</source>
        <translation>请输入该脐血的HLA分型及细胞数。</translation>
    </message>
    <message>
        <source>Unit (DIN)</source>
        <translation>脐血（DIN）</translation>
    </message>
    <message>
        <source>Unit saved.</source>
        <translation>脐血已保存。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Valid DIN %1, check character %2</source>
        <translation>DIN %1 有效，校验字符 %2</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Weight %1 kg</source>
        <translation>体重 %1 kg</translation>
    </message>
    <message>
        <source>Wrong check character: the DIN was mistyped or misread. Check the label.</source>
        <translation>校验字符错误：DIN输入或读取有误，请核对标签。</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Your password (signs the selection as %1)</source>
        <translation>您的密码（以 %1 身份签署选择）</translation>
    </message>
    <message>
        <source>double unit</source>
        <translation>双份</translation>
    </message>
    <message>
        <source>single unit</source>
        <translation>单份</translation>
    </message>
</context>
</TS>
