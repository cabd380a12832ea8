## Admin: invites and roster import in the chat

err-admin-only = 这个命令只供市级协调使用。
invite-usage =
    用法：/invite 类型 名称
    类型：enterprise（企业）、envoy（特派员）、lead（队长，名称写工作队）、admin（管理员，不需名称）
    例如：/invite enterprise 华光机械
invite-target-unknown = 找不到“{ $name }”，或其已绑定账号。请检查名称。
invite-made-staff = 企业“{ $name }”联系人的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
invite-made-envoy = 特派员 { $name }（{ $team }）的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
invite-made-lead = { $team } 队长 { $name } 的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
invite-made-admin = 市级协调的邀请（{ $expires } 前有效，只能用一次）：
    { $link }
import-send-file = 请发送花名册文件（.csv 或 .xlsx，列：企业名称、特派员、联系电话、工作队、队长）。发送 /cancel 取消。
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
