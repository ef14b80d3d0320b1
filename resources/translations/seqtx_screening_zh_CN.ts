<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ScreeningPage</name>
    <message>
        <source>%1 answers missing</source>
        <translation>缺少%1项回答</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>缺少：%1</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1岁</translation>
    </message>
    <message>
        <source>Age at assessment: %1</source>
        <translation>评估时年龄：%1</translation>
    </message>
    <message>
        <source>Assessed on %1</source>
        <translation>评估日期：%1</translation>
    </message>
    <message>
        <source>Answers not saved yet: the results are those of the saved answers. Save to update.</source>
        <translation>回答尚未保存：以下结果依据已保存的回答。保存后更新。</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>知情同意</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>判定依据</translation>
    </message>
    <message>
        <source>Eligibility: %1</source>
        <translation>入组资格：%1</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>入组</translation>
    </message>
    <message>
        <source>Enrolled. Subject ID: %1</source>
        <translation>已入组。受试者编号：%1</translation>
    </message>
    <message>
        <source>From the answers:</source>
        <translation>依据以下回答：</translation>
    </message>
    <message>
        <source>Not signed by an investigator yet</source>
        <translation>研究者尚未签署</translation>
    </message>
    <message>
        <source>Record screen failure…</source>
        <translation>记录筛选失败…</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Screen failure reason: %1</source>
        <translation>筛选失败原因：%1</translation>
    </message>
    <message>
        <source>Screen failure.</source>
        <translation>筛选失败。</translation>
    </message>
    <message>
        <source>Screening and eligibility</source>
        <translation>筛选与入组资格</translation>
    </message>
    <message>
        <source>Sign eligibility</source>
        <translation>签署入组资格</translation>
    </message>
    <message>
        <source>Sign eligibility…</source>
        <translation>签署入组资格…</translation>
    </message>
    <message>
        <source>Signed by %1 on %2</source>
        <translation>由%1于%2签署</translation>
    </message>
</context>
<context>
    <name>ScreeningTexts</name>
    <message>
        <source>%1 years (limit %2)</source>
        <translation>%1岁（上限%2岁）</translation>
    </message>
    <message>
        <source>Age 18 years or under</source>
        <translation>年龄不超过18岁</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>回答：%1</translation>
    </message>
    <message>
        <source>Condition present: %1</source>
        <translation>存在该情况：%1</translation>
    </message>
    <message>
        <source>Date of birth is after the assessment date</source>
        <translation>出生日期晚于评估日期</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>符合入组条件</translation>
    </message>
    <message>
        <source>Enter a reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>Exclusion 1: effective treatment available</source>
        <translation>排除标准1：已有有效治疗方法</translation>
    </message>
    <message>
        <source>Exclusion 2: HIV, HBV or HCV positive</source>
        <translation>排除标准2：HIV、HBV或HCV阳性</translation>
    </message>
    <message>
        <source>Exclusion 3: active infection</source>
        <translation>排除标准3：感染活动期</translation>
    </message>
    <message>
        <source>Exclusion 4: active malignant tumour</source>
        <translation>排除标准4：恶性肿瘤活动期</translation>
    </message>
    <message>
        <source>Exclusion 5: another fatal disease</source>
        <translation>排除标准5：合并其他致死性疾病</translation>
    </message>
    <message>
        <source>Exclusion 6: mental or psychological disease</source>
        <translation>排除标准6：精神或心理疾病</translation>
    </message>
    <message>
        <source>Inclusion 1: type 1 diabetes with genetic immunodeficiency</source>
        <translation>入选标准1：伴遗传性免疫缺陷的1型糖尿病</translation>
    </message>
    <message>
        <source>Inclusion 2: extrapancreatic organ damage, recurring</source>
        <translation>入选标准2：胰腺外器官损害且反复发作</translation>
    </message>
    <message>
        <source>Inclusion 3: disease-causing variant confirmed</source>
        <translation>入选标准3：致病突变已证实</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>资料不全</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>Missing: %1</source>
        <translation>缺少：%1</translation>
    </message>
    <message>
        <source>Missing: %1 answers</source>
        <translation>缺少%1项回答</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>No organ damage recorded</source>
        <translation>未记录器官损害</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>未回答</translation>
    </message>
    <message>
        <source>Not eligible</source>
        <translation>不符合入组条件</translation>
    </message>
    <message>
        <source>Not met</source>
        <translation>不符合</translation>
    </message>
    <message>
        <source>Not possible yet: %1</source>
        <translation>暂不能进行：%1</translation>
    </message>
    <message>
        <source>Not possible yet: the checklist is incomplete.</source>
        <translation>暂不能进行：评估表尚未填写完整。</translation>
    </message>
    <message>
        <source>Present: %1</source>
        <translation>存在：%1</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>date of birth (subject registration)</source>
        <translation>出生日期（受试者登记）</translation>
    </message>
    <message>
        <source>recurs: %1</source>
        <translation>反复发作：%1</translation>
    </message>
</context>
<context>
    <name>StageSignatureDialog</name>
    <message>
        <source>Your password (signs the eligibility result again, with the reason)</source>
        <translation>您的密码（连同理由重新签署入选评估结果）</translation>
    </message>
    <message>
        <source>The reason changes the signed eligibility form: an investigator records the screen failure and signs again with their password.</source>
        <translation>该理由会修改已签署的入选评估表：须由研究者记录筛选失败并用其密码重新签署。</translation>
    </message>
    <message>
        <source>%1 will not be enrolled. Why? The reason is kept in the eligibility form.</source>
        <translation>%1将不入组。原因是什么？原因将保存在入组资格评估表中。</translation>
    </message>
    <message>
        <source>Enter the reason for the screen failure.</source>
        <translation>请填写筛选失败的原因。</translation>
    </message>
    <message>
        <source>Enter your password to sign.</source>
        <translation>请输入您的密码以签署。</translation>
    </message>
    <message>
        <source>I approve, as investigator, this end-of-study record as complete and correct.</source>
        <translation>本人作为研究者，确认此研究结束记录完整、准确。</translation>
    </message>
    <message>
        <source>I confirm, as investigator, that this subject's eligibility was assessed against every criterion and that the result shown is correct.</source>
        <translation>本人作为研究者，确认已按每一项标准评估该受试者的入组资格，且所示结果正确。</translation>
    </message>
    <message>
        <source>Reason for screen failure</source>
        <translation>筛选失败原因</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Record screen failure</source>
        <translation>记录筛选失败</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签署</translation>
    </message>
    <message>
        <source>Signing as %1 (%2)</source>
        <translation>签署人：%1（%2）</translation>
    </message>
    <message>
        <source>The reason is saved. Once an investigator has signed the result, record the screen failure again.</source>
        <translation>原因已保存。请在研究者签署评估结果后，再次记录筛选失败。</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
</context>
<context>
    <name>EndOfStudyPage</name>
    <message>
        <source>An investigator records and signs the end of study.</source>
        <translation>研究结束由研究者记录并签署。</translation>
    </message>
    <message>
        <source>Cause of death</source>
        <translation>死亡原因</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Date of last contact</source>
        <translation>最后联系日期</translation>
    </message>
    <message>
        <source>End of study</source>
        <translation>研究结束</translation>
    </message>
    <message>
        <source>End of study (recorded and signed)</source>
        <translation>研究结束（已记录并签署）</translation>
    </message>
    <message>
        <source>Enter the reason before signing.</source>
        <translation>签署前请填写原因。</translation>
    </message>
    <message>
        <source>No end of study recorded. Current stage: %1</source>
        <translation>尚未记录研究结束。当前阶段：%1</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结局</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Record end of study…</source>
        <translation>记录研究结束…</translation>
    </message>
    <message>
        <source>Record the end of study</source>
        <translation>记录研究结束</translation>
    </message>
    <message>
        <source>Sign the end of study</source>
        <translation>签署研究结束</translation>
    </message>
    <message>
        <source>Signed by %1 on %2</source>
        <translation>由%1于%2签署</translation>
    </message>
    <message>
        <source>The signature is no longer valid: the record was changed after signing.</source>
        <translation>签名已失效：签署后记录被修改。</translation>
    </message>
    <message>
        <source>Why the subject's participation ends</source>
        <translation>受试者结束参与研究的原因</translation>
    </message>
    <message>
        <source>Withdrawal decided by</source>
        <translation>退出决定方</translation>
    </message>
</context>
</TS>
