# envoybot run: talking to Telegram at start-up
run-connected = envoybot：已连上 Telegram，机器人 @{ $username } 开始工作。
run-token-rejected = envoybot：Telegram 拒绝了这个令牌（TELEGRAM_BOT_TOKEN）。请在 @BotFather 处核对令牌后重试。
run-unreachable = envoybot：暂时连不上 Telegram（{ $reason }），{ $seconds } 秒后重试……按 Ctrl-C 停止。
