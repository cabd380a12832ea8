## Configuration errors (one line on the terminal)

config-token-missing = 未设置 TELEGRAM_BOT_TOKEN：请向 @BotFather 申请 token，写入环境变量或 .env 文件（没有 token 可先运行 `envoybot demo`）
config-token-malformed = TELEGRAM_BOT_TOKEN 格式不对：应为 @BotFather 给出的“数字:35 位字母”
config-invalid = 设置 { $name } 的值“{ $value }”无效：{ $reason }
config-reason-integer = 应为整数
config-reason-number = 应为数字
config-reason-yes-no = 应为 true 或 false
config-reason-choice = 应为以下之一：{ $choices }
config-reason-at-least = 应不小于 { $limit }
config-reason-more-than = 应大于 { $limit }
config-reason-at-most = 应不大于 { $limit }
config-reason-list = 应为逗号分隔的列表
config-reason-text = 应为文字
config-reason-other = 格式不对
config-reason-int-list = 应为逗号分隔的整数，例如 11,22
config-reason-tier-days = 需要三个正整数天数，例如 1,3,7
config-reason-time-zone = 未知的时区，例如 Asia/Shanghai
config-reason-hhmm = 应为 24 小时制的 时:分，例如 22:00
config-reason-webhook-secret = 只能包含字母 A-Z、a-z、数字、_ 和 -，最多 256 个
config-reason-web-url = 应为 http:// 或 https:// 开头的网址，例如 https://envoy.example.cn
