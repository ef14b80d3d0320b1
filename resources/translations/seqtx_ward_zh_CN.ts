<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>WardCodes</name>
    <message>
        <source>Awaiting engraftment</source>
        <translation>等待植入</translation>
    </message>
    <message>
        <source>Neutrophils engrafted</source>
        <translation>中性粒细胞已植入</translation>
    </message>
    <message>
        <source>No engraftment by Day +28</source>
        <translation>+28天仍未植入</translation>
    </message>
    <message>
        <source>Primary graft failure (Day +42)</source>
        <translation>原发性植入失败（+42天）</translation>
    </message>
    <message>
        <source>Graft failure</source>
        <translation>植入失败</translation>
    </message>
    <message>
        <source>Secondary graft failure</source>
        <translation>继发性植入失败</translation>
    </message>
    <message>
        <source>Visit due (month {month})</source>
        <translation>随访到期（第{month}个月）</translation>
    </message>
    <message>
        <source>Visit window open (month {month})</source>
        <translation>随访窗口已开（第{month}个月）</translation>
    </message>
    <message>
        <source>Visit overdue (month {month})</source>
        <translation>随访逾期（第{month}个月）</translation>
    </message>
    <message>
        <source>Visit out of window (month {month})</source>
        <translation>随访超出窗口（第{month}个月）</translation>
    </message>
    <message>
        <source>Visit not yet due</source>
        <translation>随访未到期</translation>
    </message>
    <message>
        <source>Visit done</source>
        <translation>随访已完成</translation>
    </message>
    <message>
        <source>Visit missed</source>
        <translation>随访缺失</translation>
    </message>
    <message>
        <source>Drug level below target</source>
        <translation>血药浓度低于目标</translation>
    </message>
    <message>
        <source>Drug level above target</source>
        <translation>血药浓度高于目标</translation>
    </message>
    <message>
        <source>Drug level within target</source>
        <translation>血药浓度在目标范围内</translation>
    </message>
    <message>
        <source>Drug level due</source>
        <translation>需测血药浓度</translation>
    </message>
    <message>
        <source>Dose deviation</source>
        <translation>剂量偏差</translation>
    </message>
    <message>
        <source>Dose as calculated</source>
        <translation>剂量与计算值一致</translation>
    </message>
    <message>
        <source>Acute GVHD grade II</source>
        <translation>急性GVHD II度</translation>
    </message>
    <message>
        <source>Acute GVHD grade III</source>
        <translation>急性GVHD III度</translation>
    </message>
    <message>
        <source>Acute GVHD grade IV</source>
        <translation>急性GVHD IV度</translation>
    </message>
    <message>
        <source>Conditioning doses due</source>
        <translation>预处理给药待执行</translation>
    </message>
    <message>
        <source>Isolation checklist not done</source>
        <translation>隔离核查未完成</translation>
    </message>
    <message>
        <source>Blood count not entered</source>
        <translation>血常规未录入</translation>
    </message>
    <message>
        <source>Infection open</source>
        <translation>感染未结束</translation>
    </message>
    <message>
        <source>Open data queries</source>
        <translation>未关闭的数据质疑</translation>
    </message>
    <message>
        <source>eligibility result is not 'eligible'</source>
        <translation>入选评估结果不是“合格”</translation>
    </message>
    <message>
        <source>consent not signed</source>
        <translation>知情同意未签署</translation>
    </message>
    <message>
        <source>eligibility not signed by an investigator</source>
        <translation>入选评估未经研究者签名</translation>
    </message>
    <message>
        <source>eligibility result is not 'not eligible'</source>
        <translation>入选评估结果不是“不合格”</translation>
    </message>
    <message>
        <source>no cord blood unit selected</source>
        <translation>未选定脐血单位</translation>
    </message>
    <message>
        <source>no conditioning dose recorded</source>
        <translation>未记录预处理给药</translation>
    </message>
    <message>
        <source>infusion not recorded</source>
        <translation>未记录回输</translation>
    </message>
    <message>
        <source>bedside verification not done</source>
        <translation>床旁核对未完成</translation>
    </message>
    <message>
        <source>neutrophil engraftment not reached</source>
        <translation>中性粒细胞未植入</translation>
    </message>
    <message>
        <source>platelet engraftment not reached</source>
        <translation>血小板未植入</translation>
    </message>
    <message>
        <source>islet decision not recorded</source>
        <translation>未记录胰岛移植决定</translation>
    </message>
    <message>
        <source>islet decision is not 'eligible'</source>
        <translation>胰岛移植决定不是“合格”</translation>
    </message>
    <message>
        <source>islet decision not signed</source>
        <translation>胰岛移植决定未签名</translation>
    </message>
    <message>
        <source>islet infusion not recorded</source>
        <translation>未记录胰岛输注</translation>
    </message>
    <message>
        <source>treatment completion not signed</source>
        <translation>治疗完成未签名</translation>
    </message>
    <message>
        <source>follow-up visits still open</source>
        <translation>仍有未结束的随访</translation>
    </message>
    <message>
        <source>end of study not signed</source>
        <translation>研究结束未签名</translation>
    </message>
    <message>
        <source>withdrawal not recorded</source>
        <translation>未记录退出</translation>
    </message>
    <message>
        <source>death not recorded</source>
        <translation>未记录死亡</translation>
    </message>
    <message>
        <source>loss to follow-up not recorded</source>
        <translation>未记录失访</translation>
    </message>
    <message>
        <source>this move is not part of the treatment path</source>
        <translation>此转换不属于治疗流程</translation>
    </message>
    <message>
        <source>DMSO within limit</source>
        <translation>DMSO在限值内</translation>
    </message>
    <message>
        <source>DMSO over the limit</source>
        <translation>DMSO超过限值</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>可进行</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚不可</translation>
    </message>
    <message>
        <source>later</source>
        <translation>以后</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>ALERT</source>
        <translation>警报</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>FormWidget</name>
    <message>
        <source>Reason for change</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <source>This form was saved before. Why are you changing it?</source>
        <translation>此表单已保存过。为什么要修改？</translation>
    </message>
    <message>
        <source>Value outside the expected range</source>
        <translation>数值超出预期范围</translation>
    </message>
    <message>
        <source>refused: allowed range is %1 – %2</source>
        <translation>已拒绝：允许范围为 %1 – %2</translation>
    </message>
    <message>
        <source>outside the expected range %1 – %2</source>
        <translation>超出预期范围 %1 – %2</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>不是数字</translation>
    </message>
    <message>
        <source>not a whole number</source>
        <translation>不是整数</translation>
    </message>
    <message>
        <source>not a date (YYYY-MM-DD)</source>
        <translation>不是日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>not a date and time (YYYY-MM-DD HH:MM)</source>
        <translation>不是日期时间（YYYY-MM-DD HH:MM）</translation>
    </message>
    <message>
        <source>not a time (HH:MM)</source>
        <translation>不是时间（HH:MM）</translation>
    </message>
    <message>
        <source>not one of the choices</source>
        <translation>不在选项中</translation>
    </message>
    <message>
        <source>too long</source>
        <translation>过长</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save as complete</source>
        <translation>保存为已完成</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Mark source-data verified</source>
        <translation>标记为已源数据核查</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>This form has changes that are not saved. Discard them?</source>
        <translation>此表单有未保存的修改。是否放弃？</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <source>source data verified</source>
        <translation>已源数据核查</translation>
    </message>
    <message>
        <source>Not saved: a reason for the change is needed.</source>
        <translation>未保存：需要填写修改原因。</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Saved: %1 item(s) changed.</source>
        <translation>已保存：修改了 %1 项。</translation>
    </message>
    <message>
        <source>Not saved: values outside the expected range.</source>
        <translation>未保存：数值超出预期范围。</translation>
    </message>
    <message>
        <source>%1 is outside the expected range %2 – %3. Confirm with a comment:</source>
        <translation>%1 超出预期范围 %2 – %3。请填写确认说明：</translation>
    </message>
</context>
<context>
    <name>EngraftmentPage</name>
    <message>
        <source>Not saved: values outside the expected range.</source>
        <translation>未保存：数值超出预期范围。</translation>
    </message>
    <message>
        <source>Not saved:</source>
        <translation>未保存：</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>The blood count grid has changes that are not saved. Discard them?</source>
        <translation>血常规表格中有尚未保存的修改。要放弃这些修改吗？</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>within target</source>
        <translation>在目标范围内</translation>
    </message>
    <message>
        <source>ANC
10⁹/L</source>
        <translation>中性粒细胞
10⁹/L</translation>
    </message>
    <message>
        <source>Platelets
10⁹/L</source>
        <translation>血小板
10⁹/L</translation>
    </message>
    <message>
        <source>Hb
g/L</source>
        <translation>血红蛋白
g/L</translation>
    </message>
    <message>
        <source>WBC
10⁹/L</source>
        <translation>白细胞
10⁹/L</translation>
    </message>
    <message>
        <source>Lymph.
10⁹/L</source>
        <translation>淋巴细胞
10⁹/L</translation>
    </message>
    <message>
        <source>Transfused
PLT, RBC</source>
        <translation>输血
PLT, RBC</translation>
    </message>
    <message>
        <source>Save counts</source>
        <translation>保存血常规</translation>
    </message>
    <message>
        <source>Day +%1</source>
        <translation>+%1天</translation>
    </message>
    <message>
        <source>Engraftment</source>
        <translation>植入</translation>
    </message>
    <message>
        <source>Drug levels</source>
        <translation>血药浓度</translation>
    </message>
    <message>
        <source>Acute GVHD</source>
        <translation>急性GVHD</translation>
    </message>
    <message>
        <source>Infections</source>
        <translation>感染</translation>
    </message>
    <message>
        <source>Chimerism</source>
        <translation>嵌合体</translation>
    </message>
    <message>
        <source>below target</source>
        <translation>低于目标</translation>
    </message>
    <message>
        <source>above target</source>
        <translation>高于目标</translation>
    </message>
    <message>
        <source>Day 0 is not recorded yet: no counts to enter.</source>
        <translation>尚未记录第0天：无需录入血常规。</translation>
    </message>
    <message>
        <source>ANC (10⁹/L)</source>
        <translation>中性粒细胞 (10⁹/L)</translation>
    </message>
    <message>
        <source>Platelets (10⁹/L)</source>
        <translation>血小板 (10⁹/L)</translation>
    </message>
    <message>
        <source>Study day</source>
        <translation>研究日</translation>
    </message>
    <message>
        <source>Saved: %1 value(s).</source>
        <translation>已保存：%1 个数值。</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Level (ng/mL)</source>
        <translation>浓度 (ng/mL)</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Skin</source>
        <translation>皮肤</translation>
    </message>
    <message>
        <source>Liver</source>
        <translation>肝脏</translation>
    </message>
    <message>
        <source>Upper GI</source>
        <translation>上消化道</translation>
    </message>
    <message>
        <source>Lower GI</source>
        <translation>下消化道</translation>
    </message>
    <message>
        <source>Grade (computed)</source>
        <translation>分度（计算）</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>发病</translation>
    </message>
    <message>
        <source>Infection</source>
        <translation>感染</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未结束</translation>
    </message>
    <message>
        <source>Lineage</source>
        <translation>细胞系</translation>
    </message>
    <message>
        <source>Donor %</source>
        <translation>供者 %</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>%1 day(s) changed, not saved yet.</source>
        <translation>%1 天已修改，尚未保存。</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未结束</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Neutrophils Day +%1</source>
        <translation>中性粒细胞 +%1天</translation>
    </message>
    <message>
        <source>Platelets Day +%1</source>
        <translation>血小板 +%1天</translation>
    </message>
    <message>
        <source>Day +%1 · %2 · Neutrophil engraftment: %3 · Platelet engraftment: %4</source>
        <translation>+%1天 · %2 · 中性粒细胞植入：%3 · 血小板植入：%4</translation>
    </message>
</context>
<context>
    <name>WorklistPage</name>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Today on the ward</source>
        <translation>今日病房</translation>
    </message>
    <message>
        <source>Enter or double-click opens the task. ‼ alert, ⚠ warning, • to do. F5 refreshes.</source>
        <translation>按回车或双击打开任务。‼ 警报，⚠ 警告，• 待办。F5 刷新。</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>天</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Doses given/due</source>
        <translation>已给/应给剂量</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>Blood count</source>
        <translation>血常规</translation>
    </message>
    <message>
        <source>Drug level</source>
        <translation>血药浓度</translation>
    </message>
    <message>
        <source>Engraftment</source>
        <translation>植入</translation>
    </message>
    <message>
        <source>aGVHD grade</source>
        <translation>aGVHD分度</translation>
    </message>
    <message>
        <source>Infections open</source>
        <translation>未结束感染</translation>
    </message>
    <message>
        <source>Dose deviations</source>
        <translation>剂量偏差</translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Queries</source>
        <translation>质疑</translation>
    </message>
    <message>
        <source>Month %1: %2 (target %3)</source>
        <translation>第%1个月：%2（目标 %3）</translation>
    </message>
</context>
<context>
    <name>BedsideVerificationDialog</name>
    <message>
        <source>This is not a valid DIN. Scan the bag label again.</source>
        <translation>这不是有效的DIN。请重新扫描血袋标签。</translation>
    </message>
    <message>
        <source>The check character does not match the DIN: the number was mistyped or misread.</source>
        <translation>校验字符与DIN不符：编号输错或识读错误。</translation>
    </message>
    <message>
        <source>STOP: this bag is not the unit selected for this patient.</source>
        <translation>停止：此血袋不是为该患者选定的单位。</translation>
    </message>
    <message>
        <source>Confirm the patient's identity first.</source>
        <translation>请先确认患者身份。</translation>
    </message>
    <message>
        <source>The second person must be a different user.</source>
        <translation>第二核对人必须是另一位用户。</translation>
    </message>
    <message>
        <source>The second person's user name is not known.</source>
        <translation>第二核对人的用户名不存在。</translation>
    </message>
    <message>
        <source>The second person may not verify infusions.</source>
        <translation>第二核对人无权核对回输。</translation>
    </message>
    <message>
        <source>The second person's password is wrong.</source>
        <translation>第二核对人的密码错误。</translation>
    </message>
    <message>
        <source>Scan or type the DIN on the bag.</source>
        <translation>扫描或输入血袋上的DIN。</translation>
    </message>
    <message>
        <source>Not a valid DIN yet</source>
        <translation>尚不是有效的DIN</translation>
    </message>
    <message>
        <source>Bedside verification</source>
        <translation>床旁核对</translation>
    </message>
    <message>
        <source>DIN on the bag</source>
        <translation>血袋上的DIN</translation>
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
        <source>Verify</source>
        <translation>核对</translation>
    </message>
    <message>
        <source>Check character does not match</source>
        <translation>校验字符不符</translation>
    </message>
    <message>
        <source>Patient identity confirmed (name, hospital number, wristband) for %1</source>
        <translation>已确认 %1 的患者身份（姓名、住院号、腕带）</translation>
    </message>
    <message>
        <source>Valid DIN %1</source>
        <translation>有效DIN %1</translation>
    </message>
    <message>
        <source>First person: %1</source>
        <translation>第一核对人：%1</translation>
    </message>
</context>
<context>
    <name>StagePage</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Engraftment and post-transplant care</source>
        <translation>植入与移植后护理</translation>
    </message>
    <message>
        <source>Bedside verification…</source>
        <translation>床旁核对…</translation>
    </message>
    <message>
        <source>Day %1</source>
        <translation>第%1天</translation>
    </message>
</context>
<context>
    <name>QueriesPage</name>
    <message>
        <source>open</source>
        <translation>未结束</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Raise query</source>
        <translation>提出质疑</translation>
    </message>
    <message>
        <source>Query on this item:</source>
        <translation>对此项目的质疑：</translation>
    </message>
    <message>
        <source>Data queries</source>
        <translation>数据质疑</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>回复…</translation>
    </message>
    <message>
        <source>Close query</source>
        <translation>关闭质疑</translation>
    </message>
    <message>
        <source>Answer query</source>
        <translation>回复质疑</translation>
    </message>
    <message>
        <source>Raise query…</source>
        <translation>提出质疑…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <source>Visit · form · item</source>
        <translation>访视 · 表单 · 项目</translation>
    </message>
    <message>
        <source>Day %1</source>
        <translation>第%1天</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>质疑</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>data center</source>
        <translation>数据中心</translation>
    </message>
</context>
<context>
    <name>PasswordSignDialog</name>
    <message>
        <source>Enter your password to sign.</source>
        <translation>请输入您的密码以签署。</translation>
    </message>
</context>
</TS>
