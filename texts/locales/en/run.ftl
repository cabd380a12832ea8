# envoybot run: talking to Telegram at start-up
run-connected = envoybot: connected to Telegram; @{ $username } is at work.
run-token-rejected = envoybot: Telegram rejected this token (TELEGRAM_BOT_TOKEN). Check it with @BotFather and try again.
run-unreachable = envoybot: cannot reach Telegram right now ({ $reason }); trying again in { $seconds } s… Ctrl-C stops.
