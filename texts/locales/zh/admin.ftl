## Admin: invites and roster import in the chat

err-admin-only = 这个命令只供市级协调使用。
invite-usage =
    用法：/invite 类型 名称
    类型：enterprise（企业）、envoy（特派员）、lead（队长，名称写工作队）、department（职能部门）、admin（管理员，不需名称）
    例如：/invite enterprise 华光机械
    /invite list：列出尚未使用的邀请码，可逐个撤销
    /invite revoke 邀请码或名称：撤销这个邀请码，或这位特派员、这家企业、这个部门的全部未使用邀请码
invite-target-unknown = 找不到“{ $name }”，或其已绑定账号。请检查名称。
invite-made-staff = 企业“{ $name }”联系人的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
invite-made-envoy = 特派员 { $name }（{ $team }）的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
invite-made-lead = { $team } 队长 { $name } 的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
invite-made-admin = 市级协调的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
invite-list-none = 没有尚未使用的邀请码。
invite-list-head = <b>尚未使用的邀请码（{ $count } 个）</b>
invite-list-line = <code>{ $code }</code> [{ $role }] { $who }，{ $expires } 前有效
invite-list-more = 只为前 { $count } 个邀请码显示了撤销按钮；其余的请用 /invite revoke 邀请码。
invite-revoke-button = 撤销：{ $who }（{ $code }…）
invite-revoked-count = 已撤销 { $count } 个邀请码，对应的链接不能再使用。
invite-revoked-alert = 已撤销。
invite-revoke-gone = 这个邀请码已经不能撤销（已被使用、已过期或已撤销）。
invite-revoke-unknown = 没有可撤销的邀请码“{ $target }”：既不是未使用的邀请码，也不是有未使用邀请码的特派员或企业。
import-send-file = 请发送花名册文件（.csv 或 .xlsx，列：企业名称、特派员、联系电话、工作队、队长），或职能部门名册（列：部门、联系人、联系电话）。发送 /cancel 取消。
import-wrong-kind = 只接受 .csv 或 .xlsx 文件。
import-too-big = 文件太大（最大 5 MB）。
import-unreadable = 无法读取这个文件，请另存为 .xlsx 或 UTF-8 的 .csv 后重试。
import-failed = ❌ 导入失败，有 { $count } 处错误，<b>没有做任何修改</b>：
import-more-errors = …… 另有 { $count } 处错误。
import-done = ✅ 已导入 { $rows } 行：新增 { $created }，更新 { $updated }，未变 { $unchanged }。
roster-err-no_rows = 第 { $row } 行：只有表头，没有数据。
roster-err-missing_column = 第 { $row } 行：表头缺少“{ $field }”列。
roster-err-duplicate_column = 第 { $row } 行：“{ $field }”列重复。
roster-err-missing_value = 第 { $row } 行：缺少{ $field }。
roster-err-too_long = 第 { $row } 行：{ $field }超过 200 个字。
roster-err-control_char = 第 { $row } 行：{ $field }含有换行或制表符等控制字符。
roster-err-envoy_two_teams = 第 { $row } 行：特派员“{ $value }”在第 { $other } 行属于“{ $expected }”。
roster-err-enterprise_two_teams = 第 { $row } 行：企业“{ $value }”在第 { $other } 行属于“{ $expected }”。
roster-err-team_two_leads = 第 { $row } 行：工作队“{ $value }”在第 { $other } 行的队长是“{ $expected }”。
roster-err-envoy_two_phones = 第 { $row } 行：特派员“{ $value }”在第 { $other } 行的电话是“{ $expected }”。
roster-field-enterprise = 企业名称
roster-field-envoy = 特派员
roster-field-envoy_phone = 联系电话
roster-field-team = 工作队
roster-field-lead = 队长
