## /web in the chat

web-link =
    🔐 <b>云平台登录链接</b>
    <a href="{ $url }">{ $url }</a>
    { $minutes } 分钟内有效，只能使用一次，只能登录您本人的账号。请勿转发给他人。
web-link-too-many = 登录链接申请太频繁了，请在 { $at } 之后再发送 /web。
web-off = 本系统还没有开通云平台（网页版）。如需开通，请联系市级协调办。
cmd-web = 登录云平台（网页）

## The web platform's pages

web-brand = 企业服务问题直通车 · 云平台
web-nav-problems = 问题清单
web-nav-figures = 统计图表
web-nav-export = 导出 Excel
web-sign-out = 退出登录
web-login-title = 登录云平台
web-login-how = 云平台不用密码：登录链接由机器人在 Telegram 里发给您本人。
web-login-step-1 = 在 Telegram 中打开与机器人的对话，发送 /web。
web-login-step-2 = 点开机器人发来的链接（10 分钟内有效，只能用一次）。
web-login-step-3 = 确认后即可查看您权限范围内的问题清单和统计。
web-login-widget = 也可以直接用 Telegram 账号登录：
web-confirm-title = 确认登录
web-confirm-who = 将以 { $name } 的身份登录云平台。
web-confirm-button = 登录
web-confirm-hint = 不是您本人申请的链接？请不要登录，直接关闭本页。
web-link-unknown = 登录链接无效
web-link-used = 这个登录链接已经用过了
web-link-expired = 这个登录链接已过期
web-link-ask-again = 请在 Telegram 中向机器人重新发送 /web，获取新的登录链接。
web-signed-in = 已登录
web-continue = 进入问题清单
web-refused-title = 无法完成
web-refused-form = 这个请求没有被接受，请回到页面重新操作。
web-refused-incomplete = Telegram 登录信息不完整，请重新登录。
web-refused-bad_hash = Telegram 登录信息校验失败，请重新登录。
web-refused-too_old = Telegram 登录信息已超过一天，请重新登录。
web-refused-from_future = Telegram 登录信息的时间不对，请检查电脑时间后重新登录。
web-refused-not_bound = 这个 Telegram 账号还没有绑定身份，请先用邀请链接在机器人中绑定。
web-not-found-title = 找不到页面
web-not-found = 没有这个页面，或者它不在您的查看范围内。
web-back-to-list = 返回问题清单

## The problem list

web-any = 全部
web-search = 搜索
web-search-hint = 编号、企业或特派员
web-filter-period = 时间
web-filter-state = 状态
web-filter-tier = 级别
web-filter-team = 工作队
web-filter-envoy = 特派员
web-filter-category = 类别
web-filter-enterprise = 企业
web-filter-department = 职能部门
web-dispatches = 派单（联动办理）
web-dispatch-due = 部门时限
web-dispatch-answer = 办结说明或退回原因
web-choose-team-first = 人数较多：请先选工作队
web-search-instead = 企业较多：请先选工作队，或按名称搜索
web-more-filters = 筛选条件
web-apply = 筛选
web-clear = 清除条件
web-session-ended = 登录已过期，列表不再自动更新。
web-head-collected = 收集问题
web-head-closed = 已销号
web-head-in-hand = 在办（含待确认 { $waiting }）
web-head-overdue = 超期
web-head-rate = 解决率
web-colours = 按颜色筛选
web-all-colours = 全部
web-colour-red = 超期
web-colour-yellow = 临期
web-colour-white = 正常办理
web-colour-blue = 待企业确认
web-colour-green = 已销号
web-colour-grey = 已撤销
web-list-meta = 共 { $total } 个问题 · 第 { $page }/{ $pages } 页 · 更新于 { $now }
web-col-colour = 颜色
web-col-summary = 问题描述
web-list-empty = 没有符合条件的问题。
web-pages = 翻页
web-prev = ← 上一页
web-next = 下一页 →
web-page-of = 第 { $page } / { $pages } 页
web-overdue-by = 已逾期 { $by }
web-time-left = 剩余 { $left }
web-moved = { $src } → { $dst }

## A problem

web-description = 问题描述
web-attachments = 附件
web-photo = 照片
web-file = 文件
web-timeline = 办理记录
web-read-only = 云平台只能查看；受理、办结、确认等操作请在 Telegram 中进行。
web-file-unavailable-title = 暂时取不到这个文件
web-file-unavailable = 文件保存在 Telegram，现在无法取回，请稍后再试。

## Figures

web-figures-title = 统计图表 · { $scope }
web-median-answer = 用时中位数
web-more-rows = 另有 { $count } 项未列出，完整数据见“导出 Excel”。
