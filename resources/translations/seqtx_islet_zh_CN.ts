<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>IsletPage</name>
    <message>
        <source>After a signed decision of no islet transplantation: the date signed here is the completion of treatment, and follow-up months count from it.</source>
        <translation>在已签署“不行胰岛移植”的决定后：此处签署的日期即为治疗完成日期，随访月份自该日起算。</translation>
    </message>
    <message>
        <source>Approved as investigator: the treatment phase is complete without islet transplantation; follow-up months count from this date.</source>
        <translation>研究者批准：治疗阶段已完成，未行胰岛移植；随访月份自该日期起算。</translation>
    </message>
    <message>
        <source>CD4+ T cells at least %1/µL</source>
        <translation>CD4+ T细胞不低于%1/µL</translation>
    </message>
    <message>
        <source>Choose the investigator decision first.</source>
        <translation>请先选择研究者决定。</translation>
    </message>
    <message>
        <source>Chronic GVHD at most: %1</source>
        <translation>慢性GVHD最多为：%1</translation>
    </message>
    <message>
        <source>Completion of treatment (follow-up anchor): %1 (%2).</source>
        <translation>治疗完成日期（随访起算日）：%1（%2）。</translation>
    </message>
    <message>
        <source>Completion of treatment (follow-up anchor): %1 (%2). Month-3 visit target: %3.</source>
        <translation>治疗完成日期（随访起算日）：%1（%2）。第3个月随访目标日期：%3。</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Date of completion</source>
        <translation>完成日期</translation>
    </message>
    <message>
        <source>Day +%1</source>
        <translation>移植后第%1天</translation>
    </message>
    <message>
        <source>Deciding value</source>
        <translation>判定依据值</translation>
    </message>
    <message>
        <source>Decision: %1 — %2</source>
        <translation>决定：%1 —— %2</translation>
    </message>
    <message>
        <source>Eligibility confirmed: as the investigator I confirm this islet transplantation decision and the assessment above.</source>
        <translation>确认资格：本人作为研究者确认上述评估及本项胰岛移植决定。</translation>
    </message>
    <message>
        <source>Eligible for islet transplantation</source>
        <translation>符合胰岛移植条件</translation>
    </message>
    <message>
        <source>Endotoxin (EU/kg)</source>
        <translation>内毒素（EU/kg）</translation>
    </message>
    <message>
        <source>Enter the infusion start (YYYY-MM-DD HH:MM) first.</source>
        <translation>请先填写输注开始时间（YYYY-MM-DD HH:MM）。</translation>
    </message>
    <message>
        <source>Give the reason no islets are given.</source>
        <translation>请填写未行胰岛移植的原因。</translation>
    </message>
    <message>
        <source>IEQ per kg: %1 IEQ/kg</source>
        <translation>每千克胰岛当量：%1 IEQ/kg</translation>
    </message>
    <message>
        <source>IEQ per kg: —</source>
        <translation>每千克胰岛当量：—</translation>
    </message>
    <message>
        <source>Incomplete: data missing</source>
        <translation>不完整：缺少数据</translation>
    </message>
    <message>
        <source>Investigator decision signed</source>
        <translation>研究者决定已签署</translation>
    </message>
    <message>
        <source>Investigator's decision</source>
        <translation>研究者决定</translation>
    </message>
    <message>
        <source>Islet decision for %1: %2</source>
        <translation>%1的胰岛移植决定：%2</translation>
    </message>
    <message>
        <source>Islet dose (IEQ/kg)</source>
        <translation>胰岛剂量（IEQ/kg）</translation>
    </message>
    <message>
        <source>Islet eligibility checklist (from the recorded data)</source>
        <translation>胰岛移植资格核查（依据已录入数据）</translation>
    </message>
    <message>
        <source>Islet infusion number</source>
        <translation>胰岛输注次序</translation>
    </message>
    <message>
        <source>Islet product and infusion</source>
        <translation>胰岛产品及输注</translation>
    </message>
    <message>
        <source>Islet transplantation</source>
        <translation>胰岛移植</translation>
    </message>
    <message>
        <source>Latest donor chimerism above %1%</source>
        <translation>最近一次供者嵌合率高于%1%</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>标准限值</translation>
    </message>
    <message>
        <source>Missing: %1</source>
        <translation>缺少：%1</translation>
    </message>
    <message>
        <source>Neutrophil engraftment reached</source>
        <translation>已达中性粒细胞植入</translation>
    </message>
    <message>
        <source>No active acute GVHD of grade %1 or higher</source>
        <translation>无活动性%1度及以上急性GVHD</translation>
    </message>
    <message>
        <source>No active infection</source>
        <translation>无活动性感染</translation>
    </message>
    <message>
        <source>No decision recorded yet.</source>
        <translation>尚未记录决定。</translation>
    </message>
    <message>
        <source>Not eligible at present</source>
        <translation>目前不符合条件</translation>
    </message>
    <message>
        <source>Not possible yet: %1</source>
        <translation>暂不能进行：%1</translation>
    </message>
    <message>
        <source>Not saved: the infusion of a product not released was cancelled.</source>
        <translation>未保存：已取消输注未放行的产品。</translation>
    </message>
    <message>
        <source>Not signed: a reason for the change is needed.</source>
        <translation>未签署：修改已保存数据需要填写原因。</translation>
    </message>
    <message>
        <source>Only an investigator records and signs the islet decision.</source>
        <translation>仅研究者可记录并签署胰岛移植决定。</translation>
    </message>
    <message>
        <source>Platelet engraftment reached</source>
        <translation>已达血小板植入</translation>
    </message>
    <message>
        <source>Product not released</source>
        <translation>产品未放行</translation>
    </message>
    <message>
        <source>Purity (%)</source>
        <translation>纯度（%）</translation>
    </message>
    <message>
        <source>Reason no islets are given</source>
        <translation>未行胰岛移植的原因</translation>
    </message>
    <message>
        <source>Record and sign the decision…</source>
        <translation>记录并签署决定…</translation>
    </message>
    <message>
        <source>Release check</source>
        <translation>放行核查项</translation>
    </message>
    <message>
        <source>Release checks appear when the product values are saved.</source>
        <translation>保存产品数据后显示放行核查结果。</translation>
    </message>
    <message>
        <source>Release criteria NOT met</source>
        <translation>不符合放行标准</translation>
    </message>
    <message>
        <source>Release criteria met</source>
        <translation>符合放行标准</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Save infusion record</source>
        <translation>保存输注记录</translation>
    </message>
    <message>
        <source>Save product</source>
        <translation>保存产品</translation>
    </message>
    <message>
        <source>Settled tissue volume (mL)</source>
        <translation>沉积组织体积（mL）</translation>
    </message>
    <message>
        <source>Sign: treatment phase complete without islets…</source>
        <translation>签署：治疗阶段完成（未行胰岛移植）…</translation>
    </message>
    <message>
        <source>Systemic steroids stopped</source>
        <translation>已停用全身糖皮质激素</translation>
    </message>
    <message>
        <source>The decision is recorded and signed.</source>
        <translation>决定已记录并签署。</translation>
    </message>
    <message>
        <source>The islet infusion is saved. Stage: %1.</source>
        <translation>胰岛输注已保存。阶段：%1。</translation>
    </message>
    <message>
        <source>The islet product and infusion are recorded after the investigator's signed decision to proceed to islet transplantation.</source>
        <translation>研究者签署“进行胰岛移植”的决定后，方可记录胰岛产品及输注。</translation>
    </message>
    <message>
        <source>The islet product is saved.</source>
        <translation>胰岛产品已保存。</translation>
    </message>
    <message>
        <source>The islet product of this infusion does not meet the release criteria or is not recorded. Record the infusion anyway (a protocol deviation)?</source>
        <translation>本次输注的胰岛产品不符合放行标准或尚未录入。仍要记录输注吗（属方案偏离）？</translation>
    </message>
    <message>
        <source>The islet screen has changes that are not saved or signed. Discard them?</source>
        <translation>胰岛移植页面有尚未保存或签署的修改。是否放弃？</translation>
    </message>
    <message>
        <source>Treatment phase complete without islets</source>
        <translation>治疗阶段完成（未行胰岛移植）</translation>
    </message>
    <message>
        <source>Treatment phase complete without islets for %1 on %2</source>
        <translation>%1于%2完成治疗阶段（未行胰岛移植）</translation>
    </message>
    <message>
        <source>Treatment phase complete without islets. Stage: %1.</source>
        <translation>治疗阶段已完成（未行胰岛移植）。阶段：%1。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Viability (%)</source>
        <translation>活率（%）</translation>
    </message>
    <message>
        <source>Where it came from</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <source>active infection</source>
        <translation>有活动性感染</translation>
    </message>
    <message>
        <source>grade %1</source>
        <translation>%1度</translation>
    </message>
    <message>
        <source>islet infusion</source>
        <translation>胰岛输注</translation>
    </message>
    <message>
        <source>met</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>轻度</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>中度</translation>
    </message>
    <message>
        <source>needs the investigator's signed decision</source>
        <translation>需研究者签署决定</translation>
    </message>
    <message>
        <source>no active infection</source>
        <translation>无活动性感染</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>none active</source>
        <translation>无活动性病变</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>不符合</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>未达到</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未录入</translation>
    </message>
    <message>
        <source>not recorded: enter it in %1</source>
        <translation>未录入：请在“%1”中录入</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>未签署</translation>
    </message>
    <message>
        <source>not signed (or changed since it was signed)</source>
        <translation>未签署（或签署后已被修改）</translation>
    </message>
    <message>
        <source>not stopped</source>
        <translation>未停用</translation>
    </message>
    <message>
        <source>reached</source>
        <translation>已达到</translation>
    </message>
    <message>
        <source>reached on Day +%1</source>
        <translation>于移植后第%1天达到</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>重度</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签署</translation>
    </message>
    <message>
        <source>signed by the investigator</source>
        <translation>研究者已签署</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>treatment complete without islets</source>
        <translation>治疗完成，未行胰岛移植</translation>
    </message>
</context>
<context>
    <name>IsletSignDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Electronic signature</source>
        <translation>电子签名</translation>
    </message>
    <message>
        <source>Enter your password to sign.</source>
        <translation>请输入您的密码以签署。</translation>
    </message>
    <message>
        <source>Meaning of the signature</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签署</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签署人</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
</context>
</TS>
