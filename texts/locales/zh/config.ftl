## Configuration errors (one line on the terminal)

config-token-missing = 未设置 TELEGRAM_BOT_TOKEN：请向 @BotFather 申请 token，写入环境变量或 .env 文件（没有 token 可先运行 `envoybot demo`）
config-token-malformed = TELEGRAM_BOT_TOKEN 格式不对：应为 @BotFather 给出的“数字:35 位字母”
config-invalid = 设置 { $name } 无效：{ $reason }
