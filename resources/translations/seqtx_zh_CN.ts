<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../ui/about_dialog.py" line="55" />
        <source>About SeqTx</source>
        <translation>关于 SeqTx</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="59" />
        <source>Ward application of trial NCT03835312: sequential umbilical cord blood and islet transplantation, Children's Hospital of Fudan University.</source>
        <translation>临床试验 NCT03835312 病房应用：序贯脐带血干细胞与胰岛移植，复旦大学附属儿科医院。</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="65" />
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="65" />
        <source>Site</source>
        <translation>中心</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="65" />
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="65" />
        <source>SQLCipher</source>
        <translation>SQLCipher</translation>
    </message>
</context>
<context>
    <name>AdministratorPage</name>
    <message>
        <location filename="../../ui/setup_wizard.py" line="118" />
        <source>First administrator</source>
        <translation>首位管理员</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="121" />
        <source>The administrator manages the staff accounts of this site. Choose a long passphrase that you do not use anywhere else.</source>
        <translation>管理员负责管理本中心的工作人员账户。请选择一个较长的、未在其他地方使用过的密码短语。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="125" />
        <source>Full &amp;name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="126" />
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="108" />
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="109" />
        <source>&amp;Record path starts with</source>
        <translation>记录路径开头(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="110" />
        <source>for example FD-001/SE.COND</source>
        <translation>例如 FD-001/SE.COND</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="111" />
        <source>&amp;Filter</source>
        <translation>筛选(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="112" />
        <source>&amp;Verify chain</source>
        <translation>校验哈希链(&amp;V)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/audit_page.py" line="139" />
        <source>Showing the newest %n records. Filter by record path to see older ones.</source>
        <translation><numerusform>显示最新的 %n 条记录。按记录路径筛选可查看更早的记录。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/audit_page.py" line="145" />
        <source>%n audit record(s)</source>
        <translation><numerusform>%n 条稽查记录</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="156" />
        <source>Checking the hash chain…</source>
        <translation>正在校验哈希链…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/audit_page.py" line="170" />
        <source>The audit trail is intact: %n record(s) checked.</source>
        <translation><numerusform>稽查轨迹完整：已校验 %n 条记录。</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="177" />
        <source>The audit trail is broken at record %1. Report this to the data center.</source>
        <translation>稽查轨迹在第 %1 条记录处断裂。请报告数据中心。</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="49" />
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="57" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="58" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="59" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="60" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="61" />
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="62" />
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit_page.py" line="63" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>CreateUserDialog</name>
    <message>
        <location filename="../../ui/pages/user_dialogs.py" line="68" />
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <location filename="../../ui/pages/user_dialogs.py" line="69" />
        <source>Full &amp;name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/user_dialogs.py" line="70" />
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/user_dialogs.py" line="71" />
        <source>&amp;Role</source>
        <translation>角色(&amp;R)</translation>
    </message>
</context>
<context>
    <name>CreatingPage</name>
    <message>
        <location filename="../../ui/setup_wizard.py" line="151" />
        <source>Creating the database</source>
        <translation>正在创建数据库</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="153" />
        <source>Creating the encrypted database. Please wait…</source>
        <translation>正在创建加密数据库，请稍候…</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="163" />
        <source>The database has been created.</source>
        <translation>数据库已创建。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="170" />
        <source>Go back to correct the entries and try again.</source>
        <translation>请返回修改输入后重试。</translation>
    </message>
</context>
<context>
    <name>FormItemsModel</name>
    <message>
        <location filename="../../ui/pages/generic_form_page.py" line="24" />
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../ui/pages/generic_form_page.py" line="25" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../ui/pages/generic_form_page.py" line="26" />
        <source>Unit</source>
        <translation>单位</translation>
    </message>
</context>
<context>
    <name>GenericFormPage</name>
    <message>
        <location filename="../../ui/pages/generic_form_page.py" line="105" />
        <source>The entry screen of this form comes in a later version; saved values are shown.</source>
        <translation>此表单的录入界面将在后续版本提供；此处显示已保存的数值。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../ui/labels.py" line="10" />
        <source>Screening</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="11" />
        <source>Screen failure</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="12" />
        <source>Enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="13" />
        <source>Cord blood unit selected</source>
        <translation>已选定脐带血单位</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="14" />
        <source>Conditioning</source>
        <translation>预处理</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="15" />
        <source>Infused (Day 0)</source>
        <translation>已回输（第 0 天）</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="16" />
        <source>Engraftment</source>
        <translation>植入</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="17" />
        <source>Islet eligibility</source>
        <translation>胰岛移植资格评估</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="18" />
        <source>Islet transplanted</source>
        <translation>已行胰岛移植</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="19" />
        <source>Treatment complete</source>
        <translation>治疗完成</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="20" />
        <source>Follow-up</source>
        <translation>随访</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="21" />
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="22" />
        <source>Withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="23" />
        <source>Died</source>
        <translation>死亡</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="24" />
        <source>Lost to follow-up</source>
        <translation>失访</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="35" />
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="36" />
        <source>Investigator</source>
        <translation>研究者</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37" />
        <source>Physician</source>
        <translation>医师</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="38" />
        <source>Nurse</source>
        <translation>护士</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="39" />
        <source>Data manager</source>
        <translation>数据管理员</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="40" />
        <source>Monitor</source>
        <translation>监查员</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="47" />
        <source>Entered</source>
        <translation>录入</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="48" />
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="49" />
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="50" />
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="51" />
        <source>Failed login</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="52" />
        <source>Logged out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="53" />
        <source>Password re-entered</source>
        <translation>重新输入密码</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="54" />
        <source>Account locked</source>
        <translation>账户已锁定</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="55" />
        <source>Account unlocked</source>
        <translation>账户已解锁</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="56" />
        <source>User created</source>
        <translation>创建用户</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="57" />
        <source>User reactivated</source>
        <translation>重新启用用户</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="58" />
        <source>User deactivated</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="59" />
        <source>Role changed</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="60" />
        <source>Password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="61" />
        <source>Site set up</source>
        <translation>设置中心</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="62" />
        <source>Subject registered</source>
        <translation>登记受试者</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="63" />
        <source>Identity changed</source>
        <translation>身份信息更改</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="64" />
        <location filename="../../ui/labels.py" line="81" />
        <source>Signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="65" />
        <source>Signature invalidated</source>
        <translation>签名失效</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="66" />
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="67" />
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="68" />
        <source>Setting changed</source>
        <translation>设置已更改</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="69" />
        <location filename="../../ui/labels.py" line="70" />
        <source>Clock warning</source>
        <translation>时钟警告</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="71" />
        <source>Clock warning shown</source>
        <translation>已显示时钟警告</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="78" />
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="79" />
        <source>Incomplete</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="80" />
        <source>Complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="82" />
        <source>Source-data verified</source>
        <translation>已源数据核查</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="89" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="91" />
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>LockWidget</name>
    <message>
        <location filename="../../ui/lock_widget.py" line="66" />
        <source>SeqTx is locked</source>
        <translation>SeqTx 已锁定</translation>
    </message>
    <message>
        <location filename="../../ui/lock_widget.py" line="68" />
        <source>Locked for %1 (%2). Enter your password to continue.</source>
        <translation>已为 %1（%2）锁定。请输入密码以继续。</translation>
    </message>
    <message>
        <location filename="../../ui/lock_widget.py" line="72" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/lock_widget.py" line="73" />
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/lock_widget.py" line="74" />
        <source>Log in as &amp;another user</source>
        <translation>以其他用户登录(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/lock_widget.py" line="90" />
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="95" />
        <source>SeqTx: log in</source>
        <translation>SeqTx：登录</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="96" />
        <source>Log in to SeqTx</source>
        <translation>登录 SeqTx</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="99" />
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="100" />
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="101" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="102" />
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="130" />
        <source>Enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="133" />
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Today on the ward</source>
        <translation>今日病房</translation>
    </message>
    <message>
        <source>Data queries</source>
        <translation>数据质疑</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="158" />
        <source>SeqTx · NCT03835312</source>
        <translation>SeqTx · NCT03835312</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="160" />
        <source>Logged in as %1 (%2)</source>
        <translation>当前用户：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="165" />
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="166" />
        <source>Subject</source>
        <translation>受试者详情</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="167" />
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="168" />
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="169" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="173" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="174" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="175" />
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="176" />
        <source>Log &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="177" />
        <source>&amp;Quit</source>
        <translation>退出程序(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="178" />
        <source>&amp;About SeqTx</source>
        <translation>关于 SeqTx(&amp;A)</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Not possible yet: information this step needs is still missing.</source>
        <translation>暂不可行：此步骤所需的信息尚不完整。</translation>
    </message>
    <message>
        <source>Bedside verification refused. Nothing was recorded as infused.</source>
        <translation>床旁核对未通过。未记录任何回输。</translation>
    </message>
    <message>
        <source>This query no longer exists. Refresh the list.</source>
        <translation>该质疑已不存在，请刷新列表。</translation>
    </message>
    <message>
        <source>This query has already moved on (answered or closed). Refresh the list.</source>
        <translation>该质疑状态已变更（已回复或已关闭），请刷新列表。</translation>
    </message>
    <message>
        <source>Only the person who raised the query, or a data manager, can close it.</source>
        <translation>只有提出质疑的人或数据管理员可以关闭该质疑。</translation>
    </message>
    <message>
        <source>This database was written by a newer version of SeqTx. Install that version to open it.</source>
        <translation>此数据库由较新版本的 SeqTx 写入，请安装该版本后再打开。</translation>
    </message>
    <message>
        <source>The key file beside the database (seqtx.key) is missing. Restore it from the backup.</source>
        <translation>数据库旁的密钥文件（seqtx.key）缺失，请从备份中恢复。</translation>
    </message>
    <message>
        <source>Not possible yet: %1</source>
        <translation>暂不可行：%1</translation>
    </message>
    <message>
        <source>This changes a signed form: the signer must sign it again with their password.</source>
        <translation>此操作会修改已签署的表单：签署人须用其密码重新签署。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18" />
        <source>The username or password is not correct. Please try again.</source>
        <translation>用户名或密码不正确，请重试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="21" />
        <source>This account is locked after too many failed attempts. Ask an administrator to unlock it.</source>
        <translation>由于多次登录失败，此账户已被锁定。请联系管理员解锁。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="26" />
        <source>This account has been deactivated. Ask an administrator if you still need access.</source>
        <translation>此账户已停用。如仍需访问，请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="30" />
        <source>The password is not correct.</source>
        <translation>密码不正确。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="33" />
        <source>The recovery code does not open this database. Check each group and try again.</source>
        <translation>此恢复码无法打开该数据库。请逐组核对后重试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="37" />
        <source>This workstation's keyring holds no key for this database.</source>
        <translation>本工作站的密钥环中没有此数据库的密钥。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="40" />
        <source>No secure keyring is available on this workstation. Use the recovery code, or run SeqTx in a desktop session that has a keyring.</source>
        <translation>本工作站没有可用的安全密钥环。请使用恢复码，或在具有密钥环的桌面会话中运行 SeqTx。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="45" />
        <source>The database file is damaged. Do not continue; restore the latest backup.</source>
        <translation>数据库文件已损坏。请勿继续使用，请恢复最近的备份。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="48" />
        <source>A database already exists at this location.</source>
        <translation>此位置已存在数据库。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="51" />
        <source>The password must have at least {min_length} characters.</source>
        <translation>密码至少需要 {min_length} 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="54" />
        <source>The password may have at most {max_length} characters.</source>
        <translation>密码最多 {max_length} 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="57" />
        <source>This password is on a list of common passwords. Choose another.</source>
        <translation>此密码属于常用密码，请另选一个。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="60" />
        <source>The password must not contain the username.</source>
        <translation>密码不得包含用户名。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="63" />
        <source>This username is already in use.</source>
        <translation>此用户名已被使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="66" />
        <source>A username uses letters, digits, dots, hyphens or underscores (2 to 64).</source>
        <translation>用户名由字母、数字、点、连字符或下划线组成（2 至 64 个字符）。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="69" />
        <source>Your session has ended. Please log in again.</source>
        <translation>您的会话已结束，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="72" />
        <source>There is no database at this location.</source>
        <translation>此位置没有数据库。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="75" />
        <source>The value entered for {field} is not acceptable.</source>
        <translation>{field} 的输入值无效。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="78" />
        <source>This subject was not found.</source>
        <translation>未找到该受试者。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="79" />
        <source>The study definition is not loaded.</source>
        <translation>研究定义尚未加载。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="82" />
        <source>This form is not part of the study definition.</source>
        <translation>此表单不属于研究定义。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="85" />
        <source>The form has {count} problem(s); nothing was saved.</source>
        <translation>表单有 {count} 处问题，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="88" />
        <source>The form has no saved data to sign.</source>
        <translation>此表单没有可签名的已保存数据。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="91" />
        <source>The action failed.</source>
        <translation>操作失败。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="92" />
        <source>This user no longer exists.</source>
        <translation>此用户已不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="93" />
        <source>The last active administrator cannot be removed or demoted.</source>
        <translation>不能停用或降级最后一位在用的管理员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="96" />
        <source>Your role does not allow this action.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="99" />
        <source>A site code uses 2 to 8 capital letters or digits.</source>
        <translation>中心代码由 2 至 8 个大写字母或数字组成。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="102" />
        <source>Enter the name of the site.</source>
        <translation>请输入中心名称。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="103" />
        <source>A reason for the change is required.</source>
        <translation>修改数据需要填写原因。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="106" />
        <source>This workstation's clock is earlier than the last recorded action ({last}). Please have the clock corrected; this has been recorded.</source>
        <translation>本工作站的时钟早于最近一次记录的操作时间（{last}）。请校正时钟；此情况已被记录。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="118" />
        <source>The action failed (code: {code}).</source>
        <translation>操作失败（代码：{code}）。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="144" />
        <source>An unexpected error occurred ({kind}). The action was not completed.</source>
        <translation>发生意外错误（{kind}），操作未完成。</translation>
    </message>
</context>
<context>
    <name>NewPasswordDialog</name>
    <message>
        <location filename="../../ui/pages/user_dialogs.py" line="126" />
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../../ui/pages/user_dialogs.py" line="128" />
        <source>New password for %1. Give it to the user in person.</source>
        <translation>为 %1 设置新密码。请当面交给该用户。</translation>
    </message>
</context>
<context>
    <name>PasswordPairWidget</name>
    <message>
        <location filename="../../ui/password_widget.py" line="84" />
        <source>New &amp;password</source>
        <translation>新密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/password_widget.py" line="85" />
        <source>&amp;Confirm password</source>
        <translation>确认密码(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/password_widget.py" line="110" />
        <source>The two passwords are not the same yet.</source>
        <translation>两次输入的密码尚不一致。</translation>
    </message>
    <message>
        <location filename="../../ui/password_widget.py" line="114" />
        <source>Use a long passphrase, for example four unrelated words.</source>
        <translation>请使用较长的密码短语，例如四个互不相关的词。</translation>
    </message>
    <message>
        <location filename="../../ui/password_widget.py" line="121" />
        <source>This password can be used.</source>
        <translation>此密码可以使用。</translation>
    </message>
</context>
<context>
    <name>RecoveryCodePage</name>
    <message>
        <location filename="../../ui/setup_wizard.py" line="206" />
        <source>Recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="209" />
        <source>No secure keyring is available on this workstation, so the key was not stored here. SeqTx will ask for this recovery code each time it starts.</source>
        <translation>本工作站没有可用的安全密钥环，因此密钥未保存在此。SeqTx 每次启动时都会要求输入此恢复码。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="215" />
        <source>Write this recovery code on paper now and keep the paper in a safe place (for example the ward's locked cabinet). It is shown only this once. Without it, the data cannot be opened on another workstation or after a keyring is lost.</source>
        <translation>请立即将此恢复码抄写在纸上，并将纸条存放在安全的地方（例如病房上锁的柜子）。恢复码仅显示这一次。没有它，在其他工作站上或密钥环丢失后将无法打开数据。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="221" />
        <source>To confirm you wrote it down, type the &amp;last group of the code:</source>
        <translation>为确认您已抄写，请输入恢复码的最后一组(&amp;L)：</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="71" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="72" />
        <source>This workstation</source>
        <translation>本工作站</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="73" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="74" />
        <source>Site (applies to every workstation)</source>
        <translation>中心（适用于所有工作站）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="75" />
        <source>Lock the screen after &amp;idle minutes</source>
        <translation>空闲多少分钟后锁定屏幕(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="76" />
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="77" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings_page.py" line="117" />
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../ui/setup_wizard.py" line="265" />
        <source>SeqTx: set up this site</source>
        <translation>SeqTx：设置本中心</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Damaged database</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>No backup of this database was found. Do not use this workstation for trial data; call the trial's data manager.</source>
        <translation>未找到此数据库的备份。请勿在此工作站录入试验数据，请联系试验数据管理员。</translation>
    </message>
    <message>
        <source>Restore the latest backup, made {made}? The damaged file is kept aside, not deleted. Anything entered after that backup must be entered again.</source>
        <translation>是否恢复最近的备份（{made} 生成）？损坏的文件将另行保存，不会删除。该备份之后录入的内容需要重新录入。</translation>
    </message>
    <message>
        <location filename="../../ui/application.py" line="85" />
        <location filename="../../ui/application.py" line="146" />
        <source>SeqTx</source>
        <translation>SeqTx</translation>
    </message>
</context>
<context>
    <name>SitePage</name>
    <message>
        <location filename="../../ui/setup_wizard.py" line="78" />
        <source>Site</source>
        <translation>中心</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="80" />
        <source>This workstation will keep the trial data of one site in an encrypted file.</source>
        <translation>本工作站将把一个中心的试验数据保存在一个加密文件中。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="82" />
        <source>Site &amp;code</source>
        <translation>中心代码(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="83" />
        <source>Site &amp;name</source>
        <translation>中心名称(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="84" />
        <source>for example FD</source>
        <translation>例如 FD</translation>
    </message>
</context>
<context>
    <name>SubjectListModel</name>
    <message>
        <location filename="../../ui/pages/subject_list_page.py" line="26" />
        <source>Subject ID</source>
        <translation>受试者编号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_list_page.py" line="27" />
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_list_page.py" line="30" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
</context>
<context>
    <name>SubjectListPage</name>
    <message>
        <location filename="../../ui/pages/subject_list_page.py" line="81" />
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_list_page.py" line="82" />
        <source>&amp;Search subject ID</source>
        <translation>搜索受试者编号(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_list_page.py" line="83" />
        <source>for example FD-001</source>
        <translation>例如 FD-001</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/subject_list_page.py" line="88" />
        <source>%n subject(s)</source>
        <translation><numerusform>%n 名受试者</numerusform></translation>
    </message>
</context>
<context>
    <name>SubjectPage</name>
    <message>
        <source>○ not started · ◐ incomplete · ✓ complete · ✍ signed · ⚠ signature invalid</source>
        <translation>○ 未开始 · ◐ 未完成 · ✓ 已完成 · ✍ 已签名 · ⚠ 签名失效</translation>
    </message>
    <message>
        <source>Treatment stages: %1</source>
        <translation>治疗阶段：%1</translation>
    </message>
    <message>
        <source>The stepper and the screens of the current stage</source>
        <translation>阶段进度条及当前阶段的页面</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="29" />
        <source>signature invalidated</source>
        <translation>签名已失效</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="31" />
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="33" />
        <source>SDV</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="69" />
        <source>Subject</source>
        <translation>受试者详情</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="70" />
        <source>Open a subject from the subject list.</source>
        <translation>请从受试者列表中打开一位受试者。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="72" />
        <source>Subject %1</source>
        <translation>受试者 %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="75" />
        <source>Stage: %1</source>
        <translation>阶段：%1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="77" />
        <source>Event / form</source>
        <translation>访视 / 表单</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="77" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/pages/subject_page.py" line="146" />
        <source>Choose a form on the left (Enter or double-click) to open it.</source>
        <translation>请在左侧选择一个表单（按回车或双击）打开。</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="79" />
        <source>SeqTx: open with recovery code</source>
        <translation>SeqTx：使用恢复码打开</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="80" />
        <source>Open the database with its recovery code</source>
        <translation>使用恢复码打开数据库</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="83" />
        <source>This workstation's keyring has no key for the database below (for example after a restore, on a new workstation or under another account). Enter the recovery code that was written on paper when the site was set up.</source>
        <translation>本工作站的密钥环中没有下列数据库的密钥（例如恢复备份后、在新工作站上或使用其他账户时）。请输入设置中心时抄写在纸上的恢复码。</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="88" />
        <source>&amp;Recovery code</source>
        <translation>恢复码(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="89" />
        <source>&amp;Remember the key in this workstation's keyring</source>
        <translation>在本工作站的密钥环中记住密钥(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="90" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="100" />
        <source>Enter the recovery code.</source>
        <translation>请输入恢复码。</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="104" />
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="127" />
        <source>Key not remembered</source>
        <translation>未记住密钥</translation>
    </message>
    <message>
        <location filename="../../ui/unlock_dialog.py" line="130" />
        <source>The database is open. SeqTx will ask for the recovery code next time.</source>
        <translation>数据库已打开。下次启动时 SeqTx 仍会要求输入恢复码。</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../ui/pages/users_page.py" line="96" />
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="97" />
        <source>&amp;New user…</source>
        <translation>新建用户(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="98" />
        <source>&amp;Deactivate</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="99" />
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="100" />
        <source>Set r&amp;ole…</source>
        <translation>设置角色(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="101" />
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="165" />
        <source>User %1 was created.</source>
        <translation>已创建用户 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="173" />
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="174" />
        <source>Deactivate %1? They will no longer be able to log in.</source>
        <translation>确定停用 %1 吗？停用后该用户将无法登录。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="187" />
        <source>User %1 was deactivated.</source>
        <translation>已停用用户 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="204" />
        <source>The password of %1 was reset.</source>
        <translation>已重置 %1 的密码。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="214" />
        <source>Set role</source>
        <translation>设置角色</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="215" />
        <source>Role of %1:</source>
        <translation>%1 的角色：</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="233" />
        <source>%1 is now %2.</source>
        <translation>%1 现在的角色是%2。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="247" />
        <source>User %1 was unlocked.</source>
        <translation>已解锁用户 %1。</translation>
    </message>
</context>
<context>
    <name>UsersTableModel</name>
    <message>
        <location filename="../../ui/pages/users_page.py" line="37" />
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="38" />
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="39" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="40" />
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="41" />
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../ui/pages/users_page.py" line="42" />
        <source>Failed logins</source>
        <translation>登录失败次数</translation>
    </message>
</context>
</TS>
