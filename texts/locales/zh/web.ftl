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
