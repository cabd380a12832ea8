# The operator command line (`envoybot import|invite|stats|export|backup|demo`): plain terminal text.
cli-failed = envoybot { $command }: { $reason }
cli-config-failed = envoybot: { $reason }
cli-no-database = envoybot: database { $path } does not exist (set ENVOYBOT_DB)

## envoybot import: file errors (row errors reuse roster-err-* from admin.ftl)
cli-roster-empty = the file is empty or its first row (the header) is blank
cli-roster-column-twice = the header has the column '{ $column }' twice
cli-roster-bad-encoding = the CSV is neither UTF-8 nor GB18030 text
cli-roster-bad-csv = the CSV is malformed: { $detail }
cli-roster-bad-xlsx = not a readable .xlsx workbook ({ $detail })
cli-roster-no-sheets = the workbook has no sheets
cli-roster-xls = { $name }: old .xls workbooks are not read; save as .xlsx
cli-roster-bad-type = { $name }: unsupported file type { $suffix }; use .csv or .xlsx
cli-roster-no-type = { $name }: unsupported file type (none); use .csv or .xlsx
cli-roster-no-file = { $path }: no such file
cli-roster-unreadable = { $path }: cannot read ({ $reason })
cli-import-problems = { $count } problem(s) found; nothing was imported
cli-import-done = imported { $rows } row(s) from { $path }: { $created } created, { $updated } updated, { $unchanged } unchanged
cli-import-counts = +{ $created } created  ~{ $updated } updated  ={ $unchanged } unchanged
cli-import-teams = teams
cli-import-envoys = envoys
cli-import-enterprises = enterprises
cli-import-assignments = assignments
cli-template-exists = { $path } already exists and is not overwritten; choose another name
cli-template-cannot-write = cannot write { $path }: { $reason }
cli-template-written = empty roster written to { $path }, columns: { $columns }

## envoybot invite
cli-invite-no-username = warning: ENVOYBOT_BOT_USERNAME is not set; links use the placeholder <bot>
cli-invite-no-enterprise = no enterprise named '{ $name }'
cli-invite-no-team = no team named '{ $name }'
cli-invite-no-lead = team '{ $team }' has no lead in the roster
cli-invite-no-envoy = no envoy named '{ $name }'
cli-invite-already-bound = envoy '{ $name }' already has a bound Telegram account
cli-invite-bad-kind = cannot invite a { $kind }
cli-invite-nobody = everyone already has a bound account; no invites created
cli-invite-code = code { $code }  expires { $expires } ({ $zone })
cli-invite-open-none = no unused invite codes
cli-invite-open-line = { $code }  { $who }  expires { $expires }
cli-invite-all-summary = { $new } new invite code(s), { $kept } unused one(s) handed out again
cli-invite-revoked = { $count } invite code(s) revoked
cli-invite-revoke-unknown = no code '{ $code }' to revoke (unknown, or already used, expired or revoked)
cli-invite-no-person = no envoy, enterprise or department named '{ $name }'
cli-invite-revoke-none = '{ $name }' has no unused invite codes

## envoybot backup
cli-backup-live = refusing to overwrite the live database { $path }
cli-backup-no-database = no database at { $path } (set ENVOYBOT_DB)
cli-backup-is-folder = { $path } is a directory; give a file name
cli-backup-no-folder = folder { $path } does not exist
cli-backup-cannot-write = cannot write { $path }: { $detail }
cli-backup-done = backup written to { $path } ({ $size } bytes)

## envoybot demo
cli-demo-cannot-listen = cannot listen on { $address }: { $detail }
cli-demo-running = envoybot demo is running ({ $seconds } s to start)
cli-demo-chat-page = chat page: { $url }
cli-demo-web-page = web platform: { $url }
cli-demo-database = database:  { $path }
cli-demo-database-temporary = database:  { $path } (deleted on exit)
cli-demo-how-to-stop = Press Ctrl-C to stop.
cli-demo-stopping = envoybot demo: stopping…
cli-demo-stopped = envoybot demo: stopped
cli-demo-port-in-use = port { $port } is already in use (perhaps by another demo or program); choose another with --port, e.g. envoybot demo --port { $other }

## Why a system call failed (errno), used inside the sentences above
cli-os-address-in-use = address already in use
cli-os-address-unavailable = this machine has no such address
cli-os-permission = permission denied
cli-os-not-found = no such file or folder
cli-os-not-folder = part of the path is not a folder
cli-os-is-folder = it is a folder
cli-os-no-space = no space left on the disk
cli-os-read-only = the file system is read-only
cli-os-other = system error { $code } ({ $detail })

## envoybot export
cli-export-not-xlsx = { $path }: the export file name must end in .xlsx
cli-export-no-folder = folder { $path } does not exist
cli-export-is-folder = { $path } is a folder; give a file name, e.g. { $path }/problems.xlsx
cli-export-cannot-write = cannot write { $path }: { $reason }

## envoybot backup (continued)
cli-backup-exists = { $path } already exists; add --force to overwrite it

## Command-line help (envoybot --help)
cli-help-envoybot = envoybot: the Telegram bot of an enterprise-service programme (the "137" deadlines) and its operator commands. Settings come from the environment or a .env file (see .env.example).
cli-help-verbose = debug logging
cli-help-command = the command to run; envoybot COMMAND --help shows its options
cli-help-commands = commands
cli-help-run = run the bot (needs TELEGRAM_BOT_TOKEN)
cli-help-import = import a roster from .csv or .xlsx
cli-help-import-details = Import a roster from .csv or .xlsx. Importing the same file twice changes nothing; with any bad row nothing is imported and the bad rows are listed by number.
cli-help-invite-details = Make invite codes and Telegram links (single use, 14 days by default), or list and revoke the unused ones.
cli-help-export-details = Write the colour-coded problem list, the summary and the figures per team and envoy to an Excel file.
cli-help-demo-details = The whole product on this machine without a token: a stand-in for Telegram, demo data, the real bot and a chat page in the browser.
cli-help-import-columns =
    Columns (headers in Chinese or English, in any order):
      企业名称 / enterprise     required
      特派员 / envoy            required, an envoy who serves the enterprise
      联系电话 / envoy_phone    optional, the envoy's phone
      工作队 / team             required, the work team of the enterprise and envoy
      队长 / lead               optional, the name of the team's lead
    Each row is one enterprise–envoy assignment: an enterprise with two envoys has two rows.
    Samples: examples/roster.csv and examples/roster.xlsx in the repository;
    an empty template: envoybot import --template roster.xlsx
    A departments roster has the columns 部门 / department (required), 联系人 / contact and
    联系电话 / phone (optional), one row per person; it is told by its columns, or by
    --departments (empty template: envoybot import --template departments.xlsx --departments).
cli-help-import-file = the roster file to import (.csv or .xlsx)
cli-help-import-template = import nothing; write an empty roster with just the header row here (.csv or .xlsx by its suffix)
cli-help-invite = make, list or revoke invite codes and links
cli-help-invite-enterprise = for a contact of this enterprise (a new code every time)
cli-help-invite-envoy = for this envoy
cli-help-invite-lead = for the lead of this team
cli-help-invite-admin = for a city coordinator (admin)
cli-help-invite-all = for every envoy, enterprise and department without a bound account; an unused code valid for at least a day more is handed out again, so running it twice makes no new codes
cli-help-invite-list = list the codes that are unused, unexpired and not revoked (for whom, kind, expiry)
cli-help-invite-revoke = revoke this code
cli-help-invite-revoke-person = revoke every unused code of this envoy, enterprise or department
cli-help-json = machine-readable JSON output
cli-help-stats = print the programme's figures
cli-help-period = the period: week, month or all (default)
cli-help-export = write the problem list and figures to .xlsx
cli-help-export-file = the .xlsx file to write; its folder must exist
cli-help-backup = online backup of the database (safe while the bot runs)
cli-help-backup-file = the file to write the backup to
cli-help-backup-force = overwrite an existing backup file
cli-help-demo = the whole product on this machine, no token needed
cli-help-web = run only the web platform (the problem list and figures in a browser), not the bot
cli-help-web-details = Run only the web platform: the problem list, problem pages, figures and the Excel export in a browser (read-only), on the bot's database. Sign-in links come from the bot's /web command. The port is --port, else ENVOYBOT_WEB_PORT, else 8090.
cli-help-web-port = port of the web platform (default: ENVOYBOT_WEB_PORT, otherwise 8090)
cli-help-web-host = address to listen on (default: ENVOYBOT_WEB_HOST, otherwise 127.0.0.1)
cli-help-demo-port = port of the chat page (default 8080)
cli-help-demo-db = keep the demo database in this file (default: a temporary file deleted on exit)
cli-help-demo-lang = language of the demo: zh or en (default: ENVOYBOT_LANG, otherwise zh)
cli-metavar-file = FILE
cli-metavar-xlsx = FILE.xlsx
cli-metavar-name = NAME
cli-metavar-team = TEAM
cli-metavar-code = CODE
cli-bad-port = a port is a whole number from 0 to 65535 (0: any free port), not '{ $value }'
cli-import-file-or-template = give the file to import, or --template FILE for an empty template (one of the two)

## argparse's own messages
cli-argparse-usage = usage:
cli-argparse-positionals = positional arguments
cli-argparse-options = options
cli-argparse-help = show this help message and exit
cli-argparse-error = %(prog)s: error: %(message)s
cli-argparse-argument = argument %(argument_name)s: %(message)s
cli-argparse-unrecognized = unrecognized arguments: %s
cli-argparse-not-allowed-with = not allowed with argument %s
cli-argparse-required = the following arguments are required: %s
cli-argparse-one-required = one of the arguments %s is required
cli-argparse-expected-one = expected one argument
cli-argparse-expected-at-most-one = expected at most one argument
cli-argparse-expected-at-least-one = expected at least one argument
cli-argparse-expected-n = expected %s argument(s)
cli-argparse-ambiguous = ambiguous option: %(option)s could match %(matches)s
cli-argparse-invalid-value = invalid value: %(value)r
cli-argparse-invalid-choice = invalid choice: %(value)r (choose from %(choices)s)
cli-argparse-ignored-value = ignored explicit argument %r

## Progress (a bar on a terminal; a few plain lines when output is redirected)
cli-progress-read = reading { $name }
cli-progress-apply = writing to the database
cli-progress-export = writing { $name }
cli-progress-unit = rows
cli-progress-line = { $label }: { $done }/{ $total }

## envoybot web
cli-web-running = web platform running at { $url } (Ctrl-C stops it)
cli-web-no-files = TELEGRAM_BOT_TOKEN is not set: attachments cannot be fetched from Telegram; pages show their names only.
cli-web-stopped = web platform stopped
cli-web-cannot-listen = the web platform cannot listen on { $address }: { $detail }
