<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>InfusionPage</name>
    <message>
        <source>%1: missing or not readable.</source>
        <translation>%1：未填写或无法识别。</translation>
    </message>
    <message>
        <source>(check the value; the record cannot confirm it with a comment)</source>
        <translation>（请核对数值；回输记录暂不能以备注确认超出预期范围的数值）</translation>
    </message>
    <message>
        <source>(limit %1 g/kg)</source>
        <translation>（上限 %1 g/kg）</translation>
    </message>
    <message>
        <source>+%1 min</source>
        <translation>+%1 分钟</translation>
    </message>
    <message>
        <source>10% for an unwashed unit; lower after dilution or washing.</source>
        <translation>未洗涤脐血为10%，稀释或洗涤后更低。</translation>
    </message>
    <message>
        <source>After, +%1 min</source>
        <translation>输注后，+%1 分钟</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>Bedside verification: not done yet.</source>
        <translation>床旁核对：尚未完成。</translation>
    </message>
    <message>
        <source>Bedside verification…</source>
        <translation>床旁核对…</translation>
    </message>
    <message>
        <source>Changes not saved yet (Ctrl+S saves).</source>
        <translation>有尚未保存的更改（Ctrl+S 保存）。</translation>
    </message>
    <message>
        <source>DMSO concentration (v/v)</source>
        <translation>二甲基亚砜浓度（v/v）</translation>
    </message>
    <message>
        <source>DMSO dose</source>
        <translation>二甲基亚砜剂量</translation>
    </message>
    <message>
        <source>Day 0 infusion</source>
        <translation>第0天回输</translation>
    </message>
    <message>
        <source>Day 0: cord blood infusion</source>
        <translation>第0天：脐带血回输</translation>
    </message>
    <message>
        <source>Diastolic BP
mmHg</source>
        <translation>舒张压
mmHg</translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation>时:分</translation>
    </message>
    <message>
        <source>Heart rate
/min</source>
        <translation>心率
次/分</translation>
    </message>
    <message>
        <source>Infusion date (Day 0)</source>
        <translation>回输日期（第0天）</translation>
    </message>
    <message>
        <source>Infusion end</source>
        <translation>回输结束时间</translation>
    </message>
    <message>
        <source>Infusion rate</source>
        <translation>输注速度</translation>
    </message>
    <message>
        <source>Infusion record</source>
        <translation>回输记录</translation>
    </message>
    <message>
        <source>Infusion start</source>
        <translation>回输开始时间</translation>
    </message>
    <message>
        <source>Infusion start / end</source>
        <translation>回输开始 / 结束</translation>
    </message>
    <message>
        <source>Not saved: a reason for the change is needed.</source>
        <translation>未保存：修改需要填写原因。</translation>
    </message>
    <message>
        <source>Not saved: values outside the expected range.</source>
        <translation>未保存：数值超出预期范围。</translation>
    </message>
    <message>
        <source>Recipient weight on Day 0</source>
        <translation>第0天受者体重</translation>
    </message>
    <message>
        <source>Refused: the infusion cannot be recorded before the bedside verification.</source>
        <translation>已拒绝：完成床旁核对之前不能记录回输。</translation>
    </message>
    <message>
        <source>Resp. rate
/min</source>
        <translation>呼吸频率
次/分</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>SpO₂
%</source>
        <translation>血氧饱和度
%</translation>
    </message>
    <message>
        <source>Systolic BP
mmHg</source>
        <translation>收缩压
mmHg</translation>
    </message>
    <message>
        <source>Temp.
°C</source>
        <translation>体温
°C</translation>
    </message>
    <message>
        <source>Thaw of unit %1</source>
        <translation>脐血 %1 的复苏</translation>
    </message>
    <message>
        <source>The infusion record has changes that are not saved. Discard them?</source>
        <translation>回输记录有尚未保存的更改。是否放弃？</translation>
    </message>
    <message>
        <source>The infusion record is locked until two people have verified the bag at the bedside: the DIN and its check character must match the selected unit, the patient's identity is confirmed and the second person enters their password. Use “Bedside verification…”.</source>
        <translation>在两人完成床旁核对之前，回输记录处于锁定状态：血袋的DIN及其校验字符须与选定的脐血一致，须确认患者身份，并由第二核对人输入其密码。请使用“床旁核对…”。</translation>
    </message>
    <message>
        <source>The rows appear once the infusion start time is typed.</source>
        <translation>填写回输开始时间后即显示各时间点。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Total volume infused</source>
        <translation>回输总体积</translation>
    </message>
    <message>
        <source>Two-person bedside verification</source>
        <translation>床旁双人核对</translation>
    </message>
    <message>
        <source>Type in a cell; Enter moves to the next one. Rows follow the start and end times.</source>
        <translation>在单元格中输入，按回车键移至下一格。时间点根据开始和结束时间生成。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Verified at the bedside by %1 and %2 (%3).</source>
        <translation>已由 %1 和 %2 完成床旁核对（%3）。</translation>
    </message>
    <message>
        <source>Vital signs: baseline, every 15 minutes, after the infusion</source>
        <translation>生命体征：基线、输注中每15分钟、输注后</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>体积</translation>
    </message>
    <message>
        <source>as typed, not saved yet</source>
        <translation>按当前输入计算，尚未保存</translation>
    </message>
    <message>
        <source>computed from volume, DMSO concentration and weight</source>
        <translation>由体积、二甲基亚砜浓度和体重计算</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>不是数字</translation>
    </message>
    <message>
        <source>not a time (HH:MM)</source>
        <translation>不是时间（时:分）</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
</context>
</TS>
