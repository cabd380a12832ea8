## Words used everywhere

category-market = 市场采购
category-production = 生产运行
category-construction = 项目建设
category-approval = 项目审批
category-policy = 政策落实
category-labour = 用人用工
category-financing = 融资
category-logistics = 通关物流
category-other = 其他

state-registered = 已挂号，待受理
state-in_progress = 办理中
state-resolved = 已办结，待企业确认
state-closed = 已销号
state-withdrawn = 已撤销

tier-1 = 一级（特派员，1天）
tier-2 = 二级（工作队，3天）
tier-3 = 三级（市级，7天）
tier-none = 未分级
envoy-unassigned = 待受理
actor-system = 系统
role-staff = 企业联系人
role-envoy = 特派员
role-lead = 队长
role-admin = 市级协调

action-register = 挂号
action-accept = 受理分级
action-note = 进展
action-escalate = 升级
action-resolve = 办结
action-confirm = 企业确认解决
action-reject = 企业反馈未解决
action-rate = 评价
action-add_info = 补充信息
action-reassign = 转派
action-withdraw = 撤销
action-comment = 评价留言

dur-days = { $days }天
dur-days-hours = { $days }天{ $hours }小时
dur-hours = { $hours }小时
dur-hours-minutes = { $hours }小时{ $minutes }分
dur-minutes = { $minutes }分钟

deadline-was = 时限：{ $due }
deadline-left = 时限：{ $due }（剩余 { $left }）
deadline-overdue = 时限：{ $due }（<b>已逾期 { $by }</b>）

## Problem cards, lists, timeline

list-line = { $colour } <b>№{ $number }</b> { $enterprise } · { $category } · { $state } · 时限 { $due }
problem-card =
    { $colour } <b>问题 №{ $number }</b>
    企业：{ $enterprise }
    类别：{ $category }
    状态：{ $state }
    级别：{ $tier }
    特派员：{ $envoy }
    挂号时间：{ $registered }
    { $deadline }

    { $description }
problem-rating = 企业评价：{ $stars } { $comment }
event-moved = （{ $src } → { $dst }）
event-line = <b>{ $at }</b> { $action } · { $actor } { $role } { $moved }
event-note = 　“{ $note }”
event-files = 　📎 附件 { $count } 个
timeline-head = <b>办理记录</b>（第 { $page }/{ $pages } 页）
problem-usage = 用法：/problem 编号，例如 /problem 2026-0042
my-head = <b>本企业的问题</b>（共 { $total } 个，第 { $page }/{ $pages } 页）
my-empty = 本企业还没有上报问题。发送 /report 上报。
inbox-head = <b>待办问题</b>（共 { $total } 个，按紧急程度排列，第 { $page }/{ $pages } 页）
inbox-empty = 没有待办问题。🎉
overdue-head = <b>逾期问题</b>（共 { $total } 个，第 { $page }/{ $pages } 页）
overdue-empty = 没有逾期问题。

## Buttons and the keyboard

btn-accept-tier = 受理·{ $tier }级
btn-note = 📝 添加进展
btn-escalate = ⬆️ 升级
btn-resolve = ✅ 标记办结
btn-confirm = 👍 已解决
btn-reject = 👎 未解决
btn-info = ➕ 补充信息
btn-reassign = 🔁 转派
btn-withdraw = 🗑 撤销
btn-timeline = 🕘 办理记录
btn-refresh = 🔄 刷新
btn-open = 查看详情
btn-cancel = 取消
btn-skip = 跳过
btn-files-done = 完成
btn-files-skip = 跳过附件
btn-submit = ✅ 提交
btn-edit-category = 修改类别
btn-edit-description = 修改描述
btn-edit-files = 重新上传附件
kbd-report = 📝 上报问题
kbd-my = 📋 我的问题
kbd-inbox = 📥 待办
kbd-help = ❓ 帮助

## /report

report-choose-category = 请选择问题类别：
report-category-chosen = 类别：{ $category }
report-describe = 请描述遇到的问题（至少 { $minimum } 个字，空格、标点和表情不计）。随时发送 /cancel 取消。
report-too-short = 描述太短：有效字数 { $length } 个（只计文字和数字，空格、标点和表情不计），请至少写 { $minimum } 个字，说清楚是什么问题。
report-too-long = 描述太长（{ $length } 个字），最多 { $maximum } 个字。请精简后再发。
report-files = 可以发送照片或文件（最多 { $maximum } 个），发完后点“完成”；没有附件点“跳过附件”。
report-file-wrong-kind = 只接受照片、PDF、Word、Excel、文本或压缩包文件。
report-file-too-big = 文件太大（最大 20 MB）。
report-files-full = 附件已达 { $maximum } 个，请点“完成”。
report-file-added = 已收到第 { $count } 个附件（最多 { $maximum } 个）。继续发送，或点“完成”。
report-summary =
    <b>请核对：</b>
    类别：{ $category }
    附件：{ $files } 个

    { $description }
report-registered = ✅ 已挂号，问题编号 <b>№{ $number }</b>。特派员将在时限内受理，办理进展会在这里通知您。
report-cancelled = 已取消，没有保存任何内容。
report-incomplete = 上报内容不完整，请重新发送 /report。
report-staff-only = 只有企业联系人可以上报问题。
report-hint-finish-first = 您正在上报问题：请先完成或发送 /cancel 取消。
report-hint-category = 请点击下面的按钮选择类别，或发送 /cancel 取消。
report-hint-description = 请用文字描述问题（至少 { $minimum } 个字，空格、标点和表情不计），或发送 /cancel 取消。
report-hint-files = 这里只接受照片或文件。发完请点“完成”，或发送 /cancel 取消。
report-hint-confirm = 请点击“提交”“修改”或“取消”。
report-hint-command = 您正在上报问题。请先完成，或发送 /cancel 取消后再使用其他命令。

## Actions on a problem

ask-note = 请输入 №{ $number } 的进展说明：
ask-escalate = 请说明 №{ $number } 升级的原因：
ask-resolve = 请填写 №{ $number } 的办结说明（企业将据此确认）：
ask-reject = 请说明 №{ $number } 为什么还没有解决：
ask-info = 请发送要补充给 №{ $number } 的文字、照片或文件：
ask-withdraw = 请说明撤销 №{ $number } 的原因（重复或无效）：
ask-rating = 感谢确认！请点下面的星级为这次办理打分（1 到 5 星）。
ask-comment = 还有什么意见吗？直接发送文字，或点“跳过”。
ask-reassign = 请选择 №{ $number } 的新特派员：
done-accept = 已受理 №{ $number }。
done-note = 已记录 №{ $number } 的进展，企业已收到通知。
done-escalate = №{ $number } 已升级。
done-resolve = №{ $number } 已标记办结，等待企业确认。
done-confirm = №{ $number } 已销号。
done-reject = 已反馈 №{ $number } 未解决，特派员会继续办理。
done-rate = 谢谢您的评价！
done-add_info = 已补充 №{ $number } 的信息，特派员已收到通知。
done-reassign = №{ $number } 已转派。
done-withdraw = №{ $number } 已撤销。
done-comment = 留言已保存，谢谢！
comment-skipped = 好的，谢谢！
action-cancelled = 已取消。
action-abandoned = 已放弃刚才未完成的操作。

## Notifications

notify-new-problem = 🆕 <b>新问题 №{ $number }</b>，请在时限内受理并分级。
notify-accepted = №{ $number } 已由特派员 { $envoy } 受理，级别：{ $tier }，时限 { $due }。
notify-progress = №{ $number } 有新进展：{ $note }
notify-escalated-reporter = №{ $number } 已升级为 { $tier }，新时限 { $due }。
notify-escalated-up = ⬆️ <b>№{ $number } 升级到你这一级</b>，原因：{ $reason }
notify-history = <b>办理记录</b>
    { $history }
notify-resolved = ✅ №{ $number } 特派员已办结：{ $note }
    问题解决了吗？只有企业确认后才会销号。
notify-confirmed = 👍 企业已确认 №{ $number } 解决，已销号。
notify-rejected = 👎 企业反馈 №{ $number } 未解决：{ $reason }
    仍按原时限办理（剩余 { $left }）。
notify-rated = ⭐ №{ $number } 企业评价：{ $stars } { $comment }
notify-info-added = ➕ 企业为 №{ $number } 补充了信息：{ $note }
notify-reassigned-to-you = 🔁 <b>№{ $number } 已转派给你</b>
notify-reassigned-away = №{ $number } 已转派给 { $envoy }，你不再负责。
notify-reassigned-reporter = №{ $number } 已改由特派员 { $envoy } 负责。
notify-withdrawn = №{ $number } 已被撤销：{ $reason }

## Start, help, language

start-guest = 您好！这是企业服务问题直通车。需要先用邀请链接绑定身份（请向特派员或市级协调办索取）。发送 /help 查看说明。
start-your-id = 您的 Telegram 用户 ID：<code>{ $id }</code>
start-welcome-back = 欢迎回来，{ $name }！
help-guest =
    <b>企业服务问题直通车</b>
    企业上报问题，特派员按“137”时限（1/3/7天）办理，企业确认后销号。
    请用收到的邀请链接绑定身份后使用。
help-staff =
    <b>企业联系人可以：</b>
    /report 上报问题
    /my 查看本企业的问题
    /problem 编号 查看详情、补充信息、确认是否解决
    /language 切换语言 · /cancel 取消当前操作
    /web 在浏览器中查看本企业的问题（云平台）
help-envoy =
    <b>特派员可以：</b>
    /inbox 待办问题（最紧急的在前）
    /problem 编号 查看详情并受理、添加进展、升级、办结
    /stats 统计 · /language 切换语言 · /cancel 取消
    /web 在浏览器中查看问题清单和统计（云平台）
help-lead =
    <b>队长可以：</b>
    /inbox 本队待办问题 · /overdue 逾期问题
    /problem 编号 受理、转派、升级、办结；二级问题可派单给职能部门
    /stats 统计 · /export 导出 Excel · /chart 趋势图
    /web 在浏览器中查看问题清单和统计（云平台）
help-admin =
    <b>市级协调可以：</b>
    /inbox 全部待办 · /overdue 逾期问题
    /problem 编号 办理、转派、撤销
    /stats 统计 · /export 导出 Excel · /chart 趋势图
    /web 在浏览器中查看问题清单和统计（云平台）
    /agenda 问题分办会议议程；问题详情中可“📤 派单”给职能部门
invite-unknown = 邀请码无效。请检查链接，或向发邀请的人重新索取。
invite-used = 这个邀请码已经被使用过了。每个邀请只能用一次，请重新索取。
invite-expired = 这个邀请码已过期，请重新索取。
invite-revoked = 这个邀请码已被撤销，不能再使用。请向发邀请的特派员或市级协调办重新索取。
invite-already_bound = 您的账号已经绑定了身份，不需要再次邀请。发送 /help 查看可用功能。
invite-taken = 这位特派员已经绑定了另一个账号。如需更换，请联系市级协调办。
invite-ok-staff = ✅ 绑定成功！{ $name }，您现在是企业联系人。
invite-ok-envoy = ✅ 绑定成功！{ $name }，您现在是特派员。
invite-ok-lead = ✅ 绑定成功！{ $name }，您现在是队长。
invite-ok-admin = ✅ 绑定成功！{ $name }，您现在是市级协调。
language-choose = 请选择语言 / Choose a language:
language-set = 已切换为简体中文。
language-guest = 已收到。绑定身份后会记住您的语言。
cancel-nothing = 当前没有进行中的操作。

## Errors (plain text: also shown as button alerts)

err-not-registered = 您还没有绑定身份。请使用收到的邀请链接，或发送 /help。
err-not-registered-short = 请先用邀请链接绑定身份。
err-not-allowed = 您没有权限执行这个操作。
err-stale-button = 这个按钮已失效，请重新打开问题。
err-no-such-problem = 找不到这个问题，或您无权查看。
err-no-such-number = 找不到问题 №{ $number }，或您无权查看。
err-my-staff-only = /my 供企业联系人使用；您的待办问题请用 /inbox 查看。
err-inbox-envoy-only = /inbox 供特派员使用；企业联系人请用 /my。
err-overdue-lead-only = /overdue 供队长和市级协调使用；请用 /inbox。
err-unknown-command = 没有这个命令。发送 /help 查看可用命令。
err-unknown-input = 没看懂。请使用下方按钮或命令，发送 /help 查看说明。
err-nothing-pending = 当前没有等待输入的操作。
err-text-expected = 请发送文字。
err-note-too-long = 太长了（{ $length } 个字），最多 { $maximum } 个字。
err-note-required = 这一步需要填写说明，请发送文字。
err-changed-meanwhile = 问题刚刚已被他人处理，现在的状态是：{ $state }。
err-wrong-state = 问题当前状态为“{ $state }”，不能执行这个操作。
err-bad-tier = 级别只能是 1、2 或 3。
err-max-tier = 已经是最高级别（市级），不能再升级。
err-already-rated = 已经评价过了，谢谢！
err-other-team = 只能转派给本工作队的特派员。
err-bad-rating = 评分只能是 1 到 5。
err-pick-envoy = 请选择一位特派员。
err-no-other-envoy = 本队没有其他可转派的特派员。
err-export-lead-only = /export 供队长和市级协调使用。
chart-caption = 📈 每周趋势：收集、销号与超期
err-same-envoy = 已经由这位特派员负责。

## Bot command menu

cmd-report = 上报问题
cmd-my = 本企业的问题
cmd-inbox = 待办问题
cmd-problem = 查看问题（编号）
cmd-overdue = 逾期问题
cmd-stats = 统计
cmd-export = 导出 Excel
cmd-chart = 趋势图
cmd-invite = 生成邀请链接（管理员）
cmd-import = 导入花名册（管理员）
cmd-language = 切换语言
cmd-help = 帮助
cmd-cancel = 取消当前操作
