## Configuration errors (one line on the terminal)

config-token-missing = TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in the environment or in .env (try `envoybot demo` to run without one)
config-token-malformed = TELEGRAM_BOT_TOKEN looks malformed: expected '<digits>:<35 letters>' as given by @BotFather
config-invalid = Invalid setting { $name }: { $reason }
