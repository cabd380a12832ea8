## Configuration errors (one line on the terminal)

config-token-missing = TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in the environment or in .env (try `envoybot demo` to run without one)
config-token-malformed = TELEGRAM_BOT_TOKEN looks malformed: expected '<digits>:<35 letters>' as given by @BotFather
config-invalid = Invalid setting { $name } = '{ $value }': { $reason }
config-reason-integer = expected a whole number
config-reason-number = expected a number
config-reason-yes-no = expected true or false
config-reason-choice = expected one of { $choices }
config-reason-at-least = expected at least { $limit }
config-reason-more-than = expected more than { $limit }
config-reason-at-most = expected at most { $limit }
config-reason-list = expected a comma-separated list
config-reason-text = expected text
config-reason-other = not a usable value
config-reason-int-list = expected comma-separated whole numbers, e.g. 11,22
config-reason-tier-days = expected three positive day counts, e.g. 1,3,7
config-reason-time-zone = unknown time zone; e.g. Asia/Shanghai
config-reason-hhmm = expected 24-hour HH:MM, e.g. 22:00
config-reason-webhook-secret = only letters A-Z and a-z, digits, _ and -, at most 256
config-reason-web-url = expected an address starting with http:// or https://, e.g. https://envoy.example.org
