<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FollowUpPage</name>
    <message>
        <source>%1 of %2 visits done, %3 missed.</source>
        <translation>%2 次访视中已完成 %1 次，错过 %3 次。</translation>
    </message>
    <message>
        <source>0 of 8: stimulated C-peptide below the minimum</source>
        <translation>0/8：刺激后C肽低于最低值</translation>
    </message>
    <message>
        <source>BETA-2</source>
        <translation>BETA-2</translation>
    </message>
    <message>
        <source>BMI</source>
        <translation>BMI</translation>
    </message>
    <message>
        <source>BMI (percentile)</source>
        <translation>BMI（百分位）</translation>
    </message>
    <message>
        <source>BMI z</source>
        <translation>BMI Z值</translation>
    </message>
    <message>
        <source>BMI z-score</source>
        <translation>BMI Z评分</translation>
    </message>
    <message>
        <source>C-peptide</source>
        <translation>C肽</translation>
    </message>
    <message>
        <source>Choose a visit and one of its forms.</source>
        <translation>请选择一次访视及其中的一张表单。</translation>
    </message>
    <message>
        <source>Computed from the saved values. —: not enough data yet.</source>
        <translation>由已保存的数值计算。—：数据尚不足。</translation>
    </message>
    <message>
        <source>Computed from the values being entered: not saved yet. —: not enough data.</source>
        <translation>由正在录入的数值计算：尚未保存。—：数据不足。</translation>
    </message>
    <message>
        <source>Dashed line: HbA1c %1% (Igls good control)</source>
        <translation>虚线：HbA1c %1%（Igls 良好控制）</translation>
    </message>
    <message>
        <source>Dashed line: fasting C-peptide %1 nmol/L (Igls)</source>
        <translation>虚线：空腹C肽 %1 nmol/L（Igls）</translation>
    </message>
    <message>
        <source>Derived values</source>
        <translation>计算值</translation>
    </message>
    <message>
        <source>Done / target</source>
        <translation>完成 / 目标</translation>
    </message>
    <message>
        <source>Fasting (nmol/L)</source>
        <translation>空腹（nmol/L）</translation>
    </message>
    <message>
        <source>Fasting C-peptide (nmol/L)</source>
        <translation>空腹C肽（nmol/L）</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Follow-up visits</source>
        <translation>随访访视</translation>
    </message>
    <message>
        <source>Forms of the visit</source>
        <translation>本次访视的表单</translation>
    </message>
    <message>
        <source>Growth: height and BMI</source>
        <translation>生长：身高和BMI</translation>
    </message>
    <message>
        <source>HbA1c (%)</source>
        <translation>HbA1c（%）</translation>
    </message>
    <message>
        <source>HbA1c (IFCC)</source>
        <translation>HbA1c（IFCC）</translation>
    </message>
    <message>
        <source>HbA1c (NGSP)</source>
        <translation>HbA1c（NGSP）</translation>
    </message>
    <message>
        <source>Height (percentile)</source>
        <translation>身高（百分位）</translation>
    </message>
    <message>
        <source>Height z</source>
        <translation>身高Z值</translation>
    </message>
    <message>
        <source>Height z-score</source>
        <translation>身高Z评分</translation>
    </message>
    <message>
        <source>Igls class</source>
        <translation>Igls 分级</translation>
    </message>
    <message>
        <source>Insulin (IU/kg/day)</source>
        <translation>胰岛素（IU/kg/天）</translation>
    </message>
    <message>
        <source>Insulin dose and HbA1c</source>
        <translation>胰岛素用量和HbA1c</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Month %1</source>
        <translation>第 %1 个月</translation>
    </message>
    <message>
        <source>Month of follow-up</source>
        <translation>随访月份</translation>
    </message>
    <message>
        <source>Next: %1, target %2, %3.</source>
        <translation>下一次：%1，目标日期 %2，%3。</translation>
    </message>
    <message>
        <source>No values yet: %1</source>
        <translation>尚无数值：%1</translation>
    </message>
    <message>
        <source>Percentiles of the z-scores (the z-scores are in the table); dashed line: median</source>
        <translation>由Z评分换算的百分位（Z评分见下表）；虚线：中位数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Stimulated (pmol/L)</source>
        <translation>刺激后（pmol/L）</translation>
    </message>
    <message>
        <source>Stimulated C-peptide (nmol/L)</source>
        <translation>刺激后C肽（nmol/L）</translation>
    </message>
    <message>
        <source>Target date</source>
        <translation>目标日期</translation>
    </message>
    <message>
        <source>The end of treatment is not recorded yet, so there is no visit plan.</source>
        <translation>尚未记录治疗结束，因此还没有访视计划。</translation>
    </message>
    <message>
        <source>Trends across visits</source>
        <translation>各次访视的趋势</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>访视</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>访视</translation>
    </message>
    <message>
        <source>Weight z</source>
        <translation>体重Z值</translation>
    </message>
    <message>
        <source>Weight z-score</source>
        <translation>体重Z评分</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>good graft function</source>
        <translation>移植物功能良好</translation>
    </message>
    <message>
        <source>graft failure</source>
        <translation>移植物失功</translation>
    </message>
    <message>
        <source>in window</source>
        <translation>在时间窗内</translation>
    </message>
    <message>
        <source>insulin independence likely</source>
        <translation>可能脱离胰岛素</translation>
    </message>
    <message>
        <source>insulin still needed</source>
        <translation>仍需胰岛素</translation>
    </message>
    <message>
        <source>marginal graft function</source>
        <translation>移植物功能边缘</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>已错过</translation>
    </message>
    <message>
        <source>normal glucose tolerance likely</source>
        <translation>可能糖耐量正常</translation>
    </message>
    <message>
        <source>not yet due</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>optimal graft function</source>
        <translation>移植物功能最佳</translation>
    </message>
    <message>
        <source>out of window</source>
        <translation>超出时间窗</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>points of 8</source>
        <translation>（满分 8 分）</translation>
    </message>
    <message>
        <source>target %1 day(s) ago</source>
        <translation>目标日期已过 %1 天</translation>
    </message>
    <message>
        <source>target in %1 day(s)</source>
        <translation>距目标日期 %1 天</translation>
    </message>
    <message>
        <source>target today</source>
        <translation>目标日期为今天</translation>
    </message>
    <message>
        <source>window open</source>
        <translation>时间窗已开放</translation>
    </message>
    <message>
        <source>β-score</source>
        <translation>β评分</translation>
    </message>
</context>
</TS>
