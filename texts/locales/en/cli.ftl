# The operator command line (`envoybot import|invite|stats|export|backup|demo`): plain terminal text.
cli-failed = envoybot { $command }: { $reason }
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
cli-roster-unreadable = { $path }: cannot read ({ $detail })
cli-import-problems = { $count } problem(s) found; nothing was imported
cli-import-done = imported { $rows } row(s) from { $path }: { $created } created, { $updated } updated, { $unchanged } unchanged
cli-import-counts = +{ $created } created  ~{ $updated } updated  ={ $unchanged } unchanged
cli-import-teams = teams
cli-import-envoys = envoys
cli-import-enterprises = enterprises
cli-import-assignments = assignments

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
cli-demo-database = database:  { $path }
cli-demo-database-temporary = database:  { $path } (deleted on exit)
cli-demo-how-to-stop = Press Ctrl-C to stop.
cli-demo-stopping = envoybot demo: stopping…
cli-demo-stopped = envoybot demo: stopped
