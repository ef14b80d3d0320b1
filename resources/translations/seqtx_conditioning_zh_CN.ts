<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConditioningPage</name>
    <message>
        <source>%1 · weight %2 kg · height %3 cm · BSA %4 m² · Day %5 to Day -1</source>
        <translation>%1 · 体重 %2 kg · 身高 %3 cm · 体表面积 %4 m² · 第%5天至第-1天</translation>
    </message>
    <message>
        <source>%1: %2 mg on Day %3, start %4</source>
        <translation>%1：第%3天 %2 mg，开始 %4</translation>
    </message>
    <message>
        <source>AUC (mg·h/L)</source>
        <translation>AUC（mg·h/L）</translation>
    </message>
    <message>
        <source>AUC (µM·min)</source>
        <translation>AUC（µM·min）</translation>
    </message>
    <message>
        <source>AUC of dose %1 entered on Day %2.</source>
        <translation>第%1剂的AUC已录入（第%2天）。</translation>
    </message>
    <message>
        <source>AUC of this dose (µM·min)</source>
        <translation>本剂AUC（µM·min）</translation>
    </message>
    <message>
        <source>Add drug</source>
        <translation>添加药物</translation>
    </message>
    <message>
        <source>Apply template</source>
        <translation>套用模板</translation>
    </message>
    <message>
        <source>Body surface area</source>
        <translation>体表面积</translation>
    </message>
    <message>
        <source>Busulfan exposure</source>
        <translation>白消安暴露量</translation>
    </message>
    <message>
        <source>Busulfan target cumulative AUC (mg·h/L)</source>
        <translation>白消安目标累积AUC（mg·h/L）</translation>
    </message>
    <message>
        <source>Calculated (mg)</source>
        <translation>计算剂量（mg）</translation>
    </message>
    <message>
        <source>Calculated from the dosing weight and height (BSA by Mosteller)</source>
        <translation>按给药体重和身高计算（体表面积用Mosteller公式）</translation>
    </message>
    <message>
        <source>Checked by</source>
        <translation>核对人</translation>
    </message>
    <message>
        <source>Conditioning</source>
        <translation>预处理</translation>
    </message>
    <message>
        <source>Conditioning under protective isolation</source>
        <translation>保护性隔离下的预处理</translation>
    </message>
    <message>
        <source>Correct dose…</source>
        <translation>更正剂量…</translation>
    </message>
    <message>
        <source>Cumulative (mg·h/L)</source>
        <translation>累积（mg·h/L）</translation>
    </message>
    <message>
        <source>Cumulative busulfan exposure: %1 mg·h/L after %2 dose(s)</source>
        <translation>白消安累积暴露量：%2剂后 %1 mg·h/L</translation>
    </message>
    <message>
        <source>Cumulative busulfan exposure: no AUC entered yet</source>
        <translation>白消安累积暴露量：尚未录入AUC</translation>
    </message>
    <message>
        <source>Daily dose (mg)</source>
        <translation>每日剂量（mg）</translation>
    </message>
    <message>
        <source>Day %1</source>
        <translation>第%1天</translation>
    </message>
    <message>
        <source>Day 0 is not known yet: choose the study day.</source>
        <translation>尚不确定第0天：请选择研究日。</translation>
    </message>
    <message>
        <source>Deviation</source>
        <translation>偏差</translation>
    </message>
    <message>
        <source>Dose basis</source>
        <translation>剂量计算依据</translation>
    </message>
    <message>
        <source>Dose given (mg)</source>
        <translation>实际给药剂量（mg）</translation>
    </message>
    <message>
        <source>Dose number</source>
        <translation>剂次</translation>
    </message>
    <message>
        <source>Dose per m² or kg</source>
        <translation>每平方米或每千克剂量</translation>
    </message>
    <message>
        <source>Doses of the day</source>
        <translation>当日给药</translation>
    </message>
    <message>
        <source>Dosing height (cm)</source>
        <translation>给药身高（cm）</translation>
    </message>
    <message>
        <source>Dosing weight (kg)</source>
        <translation>给药体重（kg）</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Enter AUC</source>
        <translation>录入AUC</translation>
    </message>
    <message>
        <source>Enter the AUC of this dose in µM·min.</source>
        <translation>请以µM·min为单位录入本剂AUC。</translation>
    </message>
    <message>
        <source>Enter the dose given in mg.</source>
        <translation>请录入实际给药剂量（mg）。</translation>
    </message>
    <message>
        <source>Enter the dosing weight and height.</source>
        <translation>请录入给药体重和身高。</translation>
    </message>
    <message>
        <source>Enter the regimen name.</source>
        <translation>请录入预处理方案名称。</translation>
    </message>
    <message>
        <source>Enter the times as YYYY-MM-DD HH:MM.</source>
        <translation>时间格式为 YYYY-MM-DD HH:MM。</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>开始日</translation>
    </message>
    <message>
        <source>Given (mg)</source>
        <translation>已给（mg）</translation>
    </message>
    <message>
        <source>Given by</source>
        <translation>给药人</translation>
    </message>
    <message>
        <source>Intensity</source>
        <translation>预处理强度</translation>
    </message>
    <message>
        <source>Isolation checklist</source>
        <translation>隔离核查表</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>结束日</translation>
    </message>
    <message>
        <source>Mosteller</source>
        <translation>Mosteller公式</translation>
    </message>
    <message>
        <source>No conditioning plan yet: a physician enters it under Regimen plan.</source>
        <translation>尚无预处理方案：请医生在“预处理方案”中录入。</translation>
    </message>
    <message>
        <source>Not saved yet: %1. Discard?</source>
        <translation>尚未保存：%1。是否放弃？</translation>
    </message>
    <message>
        <source>Not saved:</source>
        <translation>未保存：</translation>
    </message>
    <message>
        <source>Not saved: a reason for the change is needed.</source>
        <translation>未保存：修改需要填写原因。</translation>
    </message>
    <message>
        <source>Plan saved: Day %1 to Day -1.</source>
        <translation>方案已保存：第%1天至第-1天。</translation>
    </message>
    <message>
        <source>Prescribed</source>
        <translation>医嘱剂量</translation>
    </message>
    <message>
        <source>Record dose…</source>
        <translation>记录给药…</translation>
    </message>
    <message>
        <source>Recorded: %1 %2 mg, checked by %3.</source>
        <translation>已记录：%1 %2 mg，核对人 %3。</translation>
    </message>
    <message>
        <source>Regimen</source>
        <translation>方案名称</translation>
    </message>
    <message>
        <source>Regimen plan</source>
        <translation>预处理方案</translation>
    </message>
    <message>
        <source>Remove drug</source>
        <translation>删除药物</translation>
    </message>
    <message>
        <source>Row %1 (%2): %3</source>
        <translation>第%1行（%2）：%3</translation>
    </message>
    <message>
        <source>Save plan</source>
        <translation>保存方案</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Study day</source>
        <translation>研究日</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Template applied: enter each dose, check the days, then save.</source>
        <translation>已套用模板：请录入每种药物的剂量，核对给药日，然后保存。</translation>
    </message>
    <message>
        <source>The busulfan target is not a number.</source>
        <translation>白消安目标值不是数字。</translation>
    </message>
    <message>
        <source>The end is before the start.</source>
        <translation>结束时间早于开始时间。</translation>
    </message>
    <message>
        <source>The plan has no drugs.</source>
        <translation>方案中没有药物。</translation>
    </message>
    <message>
        <source>The plan is prescribed by a physician; you can read it here.</source>
        <translation>方案由医生开具；您可以在此查看。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>above the target range</source>
        <translation>高于目标范围</translation>
    </message>
    <message>
        <source>below the target range</source>
        <translation>低于目标范围</translation>
    </message>
    <message>
        <source>calculated %1 mg</source>
        <translation>计算剂量 %1 mg</translation>
    </message>
    <message>
        <source>days run from the first to the last day, both before Day 0</source>
        <translation>给药日应从开始日到结束日，且均在第0天之前</translation>
    </message>
    <message>
        <source>enter the dose per m² or per kg</source>
        <translation>请录入每平方米或每千克剂量</translation>
    </message>
    <message>
        <source>enter the first and last day as whole numbers</source>
        <translation>开始日和结束日须为整数</translation>
    </message>
    <message>
        <source>not given yet</source>
        <translation>尚未给药</translation>
    </message>
    <message>
        <source>target %1 – %2 mg·h/L</source>
        <translation>目标 %1 – %2 mg·h/L</translation>
    </message>
    <message>
        <source>the busulfan AUC typed but not entered</source>
        <translation>已输入但未录入的白消安AUC</translation>
    </message>
    <message>
        <source>the dose typed but not recorded</source>
        <translation>已输入但未记录的给药剂量</translation>
    </message>
    <message>
        <source>the isolation checklist</source>
        <translation>隔离核查表</translation>
    </message>
    <message>
        <source>the regimen plan</source>
        <translation>预处理方案</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>within the target range</source>
        <translation>在目标范围内</translation>
    </message>
</context>
<context>
    <name>SecondPersonDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Checked by a second person</source>
        <translation>第二人核对</translation>
    </message>
    <message>
        <source>Confirm and record</source>
        <translation>确认并记录</translation>
    </message>
    <message>
        <source>Enter the second person's user name and password.</source>
        <translation>请输入第二核对人的用户名和密码。</translation>
    </message>
    <message>
        <source>Given by: %1</source>
        <translation>给药人：%1</translation>
    </message>
    <message>
        <source>Not saved: a reason for the change is needed.</source>
        <translation>未保存：修改需要填写原因。</translation>
    </message>
    <message>
        <source>Second person (user name)</source>
        <translation>第二核对人（用户名）</translation>
    </message>
    <message>
        <source>Second person's password</source>
        <translation>第二核对人密码</translation>
    </message>
    <message>
        <source>The second person must be someone else: you cannot check your own dose.</source>
        <translation>第二核对人必须是另一个人：不能核对自己给的药。</translation>
    </message>
    <message>
        <source>The second person's password is not correct.</source>
        <translation>第二核对人的密码不正确。</translation>
    </message>
    <message>
        <source>The second person's role may not check conditioning doses.</source>
        <translation>第二核对人的角色无权核对预处理给药。</translation>
    </message>
    <message>
        <source>The second person's user name is not known or the account is off.</source>
        <translation>第二核对人的用户名不存在或账户已停用。</translation>
    </message>
</context>
</TS>
