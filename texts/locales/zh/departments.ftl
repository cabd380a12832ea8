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
