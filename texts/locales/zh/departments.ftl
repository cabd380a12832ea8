## Departments (职能部门) and dispatch orders (派单)

role-department = 职能部门
help-department =
    <b>职能部门可以：</b>
    /inbox 派给本部门的问题（时限最近的在前）
    /problem 编号 查看详情，签收、添加进展、办结或退回
    /stats 本部门的统计 · /language 切换语言 · /cancel 取消
invite-ok-department = ✅ 绑定成功！{ $name }，您现在是{ $department }的联系人。派给本部门的问题会发到这里。
invite-made-department = 职能部门“{ $name }”联系人的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
roster-field-department = 部门
roster-field-contact = 联系人
roster-field-phone = 联系电话
roster-err-contact_two_phones = 第 { $row } 行：联系人“{ $value }”在第 { $other } 行的电话是“{ $expected }”。
cli-import-departments = 职能部门
cli-import-contacts = 联系人
cli-help-import-departments = 按职能部门名册导入（列：部门、联系人、联系电话）；与 --template 一起用时写空白的部门名册
cli-help-invite-department = 给这个职能部门的一位联系人（一个部门可以有多人）
cli-invite-no-department = 找不到名为“{ $name }”的职能部门

err-dispatch-state = 本部门的这张派单已不能这样操作（当前：{ $state }）。
err-dispatch-lead-tier = 队长只能派二级问题；三级问题由市级协调派单。
err-pick-department = 请至少选择一个职能部门。
err-already-dispatched = 所选部门中有部门正在办理这个问题。
err-due-past = 部门时限必须在现在之后。
stats-scope-department = 本部门
err-no-departments = 还没有可派的职能部门（或所有部门都已在办理）。请先导入职能部门名册。
err-bad-due = 没看懂这个时限。请点按钮，或发送日期和时间，例如 { $example } 18:00。
err-department-inbox = 职能部门请用 /inbox 查看派给本部门的问题。

## Dispatching (admins and leads)

btn-dispatch = 📤 派单
btn-dispatch-again = 📤 改派其他部门
btn-dispatch-next = 下一步（已选 { $count } 个）
btn-dispatch-due-problem = 同问题时限（{ $due }）
btn-dispatch-due-days = { $days } 天
ask-dispatch-departments = 请选择要派 №{ $number } 的职能部门（可多选，联动办理），选好后点“下一步”：
dispatch-picked = №{ $number } 派给：{ $departments }
ask-dispatch-note = 请写派单说明（请部门办什么、注意什么）：
ask-dispatch-due = 请选择部门办理时限，或发送日期和时间（例如 { $example } 18:00；只写日期为当天 18:00）：
done-dispatch = 📤 已把 №{ $number } 派给 { $departments }，部门时限 { $due }。

## The department's side

dispatch-state-sent = 待签收
dispatch-state-signed = 已签收，办理中
dispatch-state-done = 已办结
dispatch-state-returned = 已退回
dispatch-section = <b>派单</b>
dispatch-line = { $colour } { $department } · { $state } · 部门{ $deadline }
department-card =
    { $colour } <b>派单 №{ $number }</b> · { $department }
    企业：{ $enterprise }
    类别：{ $category }
    本部门：{ $dstate }
    部门{ $deadline }
    派单说明：{ $note }

    { $description }
department-card-problem = 问题状态：{ $colour } { $state } · 特派员：{ $envoy }
department-card-done = 本部门办结说明：{ $answer }
department-card-returned = 退回原因：{ $answer }
department-list-line = { $colour } <b>№{ $number }</b> { $enterprise } · { $category } · { $state } · 部门时限 { $due }
department-inbox-head = <b>派给本部门的问题</b>（共 { $total } 个，时限最近的在前，第 { $page }/{ $pages } 页）
department-inbox-empty = 本部门没有待办的派单。🎉
btn-dept-sign = ✍️ 签收
btn-dept-progress = 📝 添加进展
btn-dept-internal = 🔒 内部备注
btn-dept-done = ✅ 本部门办结
btn-dept-return = ↩️ 退回
ask-dept-progress = 请输入 №{ $number } 的办理进展（特派员和企业都能看到）：
ask-dept-internal = 请输入 №{ $number } 的内部备注（只有市级协调、特派员和本部门能看到）：
ask-dept-done = 请填写 №{ $number } 本部门的办结说明；可以附照片或文件（把说明写在附件的说明栏里，或先发附件再发说明）：
ask-dept-return = 请说明退回 №{ $number } 的原因（例如不属于本部门职责、需要哪个部门办理）：
dept-file-kept = 已收到第 { $count } 个附件。请再发送办结说明（文字）。
dept-files-full = 最多 { $maximum } 个附件。请发送办结说明（文字）。
done-dept-sign = ✍️ 已签收 №{ $number }，请在部门时限内办理。
done-dept-progress = 已记录 №{ $number } 的进展，特派员已收到通知。
done-dept-internal = 已记录 №{ $number } 的内部备注。
done-dept-done = ✅ 本部门对 №{ $number } 的办理已办结，特派员已收到通知。
done-dept-return = ↩️ 已退回 №{ $number }。此后的办理情况不再对本部门显示。

## What others are told

notify-dispatched-department = 📥 <b>新派单 №{ $number }</b>：请签收并在部门时限内办理。
notify-dispatched-envoy = 📤 №{ $number } 已派给 { $departments }（部门时限 { $due }）：{ $note }
notify-dept-sign = ✍️ { $department } 已签收 №{ $number }（{ $who }）。
notify-dept-progress = 🏛 { $department } 对 №{ $number } 的进展：{ $note }
notify-dept-internal = 🔒 { $department } 对 №{ $number } 的内部备注：{ $note }
notify-dept-done = ✅ { $department } 已办结 №{ $number } 的部门办理：{ $note }
    问题仍由特派员标记办结、企业确认销号。
notify-dept-return = ↩️ { $department } 退回了 №{ $number }：{ $note }

event-department = { $action }（{ $department }）
event-department-internal = { $action }（{ $department }，内部）
action-dispatch = 派单
action-dispatch_sign = 部门签收
action-dispatch_progress = 部门进展
action-dispatch_internal = 部门内部备注
action-dispatch_done = 部门办结
action-dispatch_return = 部门退回

## The department clock

remind-dispatch-before = ⏰ { $colour } <b>派单 №{ $number }</b>（{ $enterprise }）离本部门时限还有 { $left }（{ $due }）。
remind-dispatch-overdue = 🔴 <b>派单 №{ $number }</b>（{ $enterprise }）已超过本部门时限 { $due }，请尽快办理。
remind-dispatch-overdue-admin = 🔴 <b>派单督办</b>：{ $department } 未在时限内办结 <b>№{ $number }</b>（{ $enterprise }，部门时限 { $due }）。
digest-dispatch-head = 🔴 <b>逾期派单</b>：{ $count } 个，逾期最久的在前
digest-dispatch-line = { $colour } №{ $number } { $enterprise } · { $department } · 逾期 { $by }

## Figures by department

stats-by-department = 按职能部门
stats-department-line = { $name }：派单 { $dispatched } · 签收 { $signed } · 办结 { $done }（按时 { $on_time }）· 逾期 { $overdue } · 退回 { $returned } · 按时率 { $rate } · 用时中位数 { $median } · 满意度 { $satisfaction }
stats-department-rule = 按时率 = 按时办结 ÷（办结 + 逾期未办）；退回的不计按时或逾期；满意度取本部门签收且未退回的问题的企业评价。
export-sheet-departments = 职能部门
export-col-department = 部门
export-col-dispatched = 派单
export-col-signed = 签收
export-col-done = 办结
export-col-on-time = 按时办结
export-col-dept-overdue = 逾期未办
export-col-returned = 退回
export-col-on-time-rate = 按时率
export-col-median-answer = 办结用时中位数（天）
export-col-dept-satisfaction = 满意度
export-col-ratings = 评价数

## The dispatch meeting's agenda (问题分办会议)

cmd-agenda = 分办会议议程（管理员）
agenda-head = 📋 <b>问题分办会议议程</b>：{ $count } 个问题（未办结的三级问题与超期的二级问题，登记最早的在前）。点下面的按钮即可派单。
agenda-line = { $index }. { $colour } <b>№{ $number }</b> { $enterprise } · { $category } · { $tier } · 已办 { $days } 天
agenda-line-departments = 　已派：{ $departments }
agenda-line-step = 　最近：
agenda-department = { $department }（{ $state }）
agenda-more = …… 另有 { $count } 个，见 Excel 议程。
agenda-empty = 没有需要上会的问题：三级问题都已办结，二级问题都未超期。
agenda-caption = 问题分办会议议程（{ $count } 个问题）
agenda-filename = 分办会议议程-{ $date }.xlsx
btn-agenda-dispatch = 📤 派单 №{ $number }
agenda-sheet = 分办会议议程
agenda-col-index = 序号
agenda-col-number = 编号
agenda-col-enterprise = 企业
agenda-col-category = 类别
agenda-col-tier = 层级
agenda-col-state = 状态
agenda-col-envoy = 特派员
agenda-col-registered = 登记时间
agenda-col-days-open = 已办天数
agenda-col-due = 办结期限
agenda-col-departments = 已派部门
agenda-col-last-steps = 最近办理记录
agenda-col-link = 链接
agenda-open = 在机器人中打开
cli-help-agenda = 把问题分办会议议程写入 .xlsx 文件
cli-help-agenda-details = 把未办结的三级问题和超期的二级问题（登记最早的在前，含企业、类别、已办天数、最近办理记录和已派部门）写入 Excel，供问题分办会议使用；每行有在机器人中打开该问题的链接。
cli-help-agenda-file = 要写入的 .xlsx 文件；文件夹须已存在
cli-agenda-written = 已把 { $count } 个议程问题写入 { $path }

## The bi-monthly evaluation (双月评议)

config-reason-months = 需要 0（不评议）或能整除 12 的月数，例如 2
evaluation-title = 职能部门双月评议（{ $start } 至 { $end }）
evaluation-head = 📋 <b>职能部门双月评议</b>（{ $start } 至 { $end }，派单 { $count } 个），按按时率和满意度排名：
evaluation-line = { $rank }. <b>{ $name }</b>：按时率 { $rate }（{ $on_time }/{ $due }）· 满意度 { $satisfaction } · 派单 { $dispatched } · 逾期 { $overdue } · 退回 { $returned } · 用时中位数 { $median }
evaluation-foot = 按时率 = 按时办结 ÷（办结 + 逾期未办）；完整表格见附件。
evaluation-empty = 本期没有派单。
evaluation-sheet = 双月评议
evaluation-filename = 双月评议-{ $end }.xlsx
export-col-rank = 名次
