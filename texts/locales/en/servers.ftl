# Beyond one machine: envoybot db copy, PostgreSQL, webhook mode (plain terminal text).

## envoybot db copy
cli-help-db = database chores: copy a city's data between SQLite and PostgreSQL
cli-help-db-details = Database chores. envoybot db copy SRC DST copies every table from one database to another (an SQLite file or a postgresql:// URL, either way round) and checks the row counts of every table.
cli-help-db-action = what to do
cli-help-db-copy = copy every table from SRC into the empty DST and compare the counts
cli-help-db-copy-source = the database to read: an SQLite file or a postgresql://… URL
cli-help-db-copy-target = the empty database to write: an SQLite file or a postgresql://… URL
db-copy-done = copied { $rows } rows in { $tables } tables from { $source } to { $target }; every table's count matches
db-copy-table = { $table }: { $rows }
db-copy-no-source = no database at { $path }
db-copy-same = source and target are the same database
db-copy-not-empty = the target already holds data (table { $table }); copy into an empty database
db-copy-versions = the two databases are at different schema versions
db-copy-schemas = the two databases have different tables ({ $tables })
db-copy-cycle = the tables { $tables } refer to each other and cannot be ordered
db-copy-mismatch = table { $table }: { $source } rows read, { $target } written; nothing was kept
db-copy-cannot-open = cannot open { $path }: { $detail }

## envoybot run --webhook
cli-help-run-details = Run the bot. By default it fetches updates by long polling; with --webhook (or ENVOYBOT_WEBHOOK_URL) Telegram sends each update to that address, which a reverse proxy passes to this process, and each is answered only once handled. Several instances on one PostgreSQL database may serve the same address.
cli-help-run-webhook = take updates as a webhook at this public https:// address (default: ENVOYBOT_WEBHOOK_URL; unset: long polling)
cli-help-run-listen = address the webhook listens on (default: ENVOYBOT_WEBHOOK_LISTEN, otherwise 127.0.0.1)
cli-help-run-port = port the webhook listens on (default: ENVOYBOT_WEBHOOK_PORT, otherwise 8443)
cli-metavar-address = ADDRESS
