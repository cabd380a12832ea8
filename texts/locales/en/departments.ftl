## Departments and dispatch orders

role-department = department
help-department =
    <b>As a department you can:</b>
    /inbox the problems sent to your department (nearest deadline first)
    /problem NUMBER details; sign for it, add progress, mark your part done or return it
    /stats your department's figures · /language · /cancel
invite-ok-department = ✅ Done, { $name }: you now speak for { $department }. Problems sent to your department arrive here.
invite-made-department = Invite for a contact of the department “{ $name }” (valid until { $expires }, single use):
    { $link }
roster-field-department = department
roster-field-contact = contact
roster-field-phone = phone
roster-err-contact_two_phones = Row { $row }: contact “{ $value }” has phone “{ $expected }” on row { $other }.
cli-import-departments = departments
cli-import-contacts = contacts
cli-help-import-departments = import a departments roster (columns department, contact, phone); with --template, write an empty departments roster
cli-help-invite-department = for a contact of this department (a department may have several)
cli-invite-no-department = no department named '{ $name }'

err-dispatch-state = Your department's dispatch cannot take this step now (it is: { $state }).
err-dispatch-lead-tier = Team leads dispatch tier-2 problems only; the city office dispatches tier 3.
err-pick-department = Pick at least one department.
err-already-dispatched = One of these departments is already working on this problem.
err-due-past = The department's deadline must be in the future.
stats-scope-department = our department
err-no-departments = There is no department to send it to (or every department is already on it). Import the departments roster first.
err-bad-due = That deadline did not parse. Press a button, or send a date and time such as { $example } 18:00.
err-department-inbox = Departments: use /inbox for the problems sent to you.

## Dispatching (admins and leads)

btn-dispatch = 📤 Dispatch
btn-dispatch-again = 📤 Send to another department
btn-dispatch-next = Next ({ $count } chosen)
btn-dispatch-due-problem = The problem's deadline ({ $due })
btn-dispatch-due-days = { $days } days
ask-dispatch-departments = Which departments should work on №{ $number }? Pick one or more (joint handling), then press Next:
dispatch-picked = №{ $number } goes to: { $departments }
ask-dispatch-note = Write the dispatch note (what the departments are asked to do):
ask-dispatch-due = Pick the departments' deadline, or send a date and time (e.g. { $example } 18:00; a date alone means 18:00 that day):
done-dispatch = 📤 №{ $number } sent to { $departments }, department deadline { $due }.

## The department's side

dispatch-state-sent = waiting to be signed for
dispatch-state-signed = signed for, in progress
dispatch-state-done = done
dispatch-state-returned = returned
dispatch-section = <b>Dispatched to</b>
dispatch-line = { $colour } { $department } · { $state } · department { $deadline }
department-card =
    { $colour } <b>Dispatch №{ $number }</b> · { $department }
    Enterprise: { $enterprise }
    Category: { $category }
    Your department: { $dstate }
    Department { $deadline }
    Dispatch note: { $note }

    { $description }
department-card-problem = Problem: { $colour } { $state } · envoy: { $envoy }
department-card-done = Your department's answer: { $answer }
department-card-returned = Returned because: { $answer }
department-list-line = { $colour } <b>№{ $number }</b> { $enterprise } · { $category } · { $state } · department deadline { $due }
department-inbox-head = <b>Sent to your department</b> ({ $total }, nearest deadline first, page { $page }/{ $pages })
department-inbox-empty = Nothing waiting for your department. 🎉
btn-dept-sign = ✍️ Sign for it
btn-dept-progress = 📝 Add progress
btn-dept-internal = 🔒 Internal note
btn-dept-done = ✅ Our part is done
btn-dept-return = ↩️ Return it
ask-dept-progress = Progress on №{ $number } (the envoy and the enterprise will see it):
ask-dept-internal = Internal note on №{ $number } (only the city office, the envoys and your department see it):
ask-dept-done = What did your department do on №{ $number }? You may add photos or files (the note as their caption, or the files first and the note after):
ask-dept-return = Why are you returning №{ $number } (not your department's remit, which department should take it)?
dept-file-kept = File { $count } received. Now send the note (text).
dept-files-full = At most { $maximum } files. Please send the note (text).
done-dept-sign = ✍️ Signed for №{ $number }. Please answer by the department deadline.
done-dept-progress = Progress on №{ $number } recorded; the envoy was told.
done-dept-internal = Internal note on №{ $number } recorded.
done-dept-done = ✅ Your department's part of №{ $number } is done; the envoy was told.
done-dept-return = ↩️ №{ $number } returned. Its later steps are no longer shown to your department.

## What others are told

notify-dispatched-department = 📥 <b>New dispatch №{ $number }</b>: please sign for it and answer by the department deadline.
notify-dispatched-envoy = 📤 №{ $number } was sent to { $departments } (department deadline { $due }): { $note }
notify-dept-sign = ✍️ { $department } signed for №{ $number } ({ $who }).
notify-dept-progress = 🏛 { $department } on №{ $number }: { $note }
notify-dept-internal = 🔒 { $department }'s internal note on №{ $number }: { $note }
notify-dept-done = ✅ { $department } finished its part of №{ $number }: { $note }
    The envoy still marks the problem resolved and the enterprise confirms it.
notify-dept-return = ↩️ { $department } returned №{ $number }: { $note }

event-department = { $action } ({ $department })
event-department-internal = { $action } ({ $department }, internal)
action-dispatch = Dispatched
action-dispatch_sign = Department signed for it
action-dispatch_progress = Department progress
action-dispatch_internal = Department internal note
action-dispatch_done = Department done
action-dispatch_return = Department returned it

## The department clock

remind-dispatch-before = ⏰ { $colour } <b>Dispatch №{ $number }</b> ({ $enterprise }): { $left } left until your department's deadline ({ $due }).
remind-dispatch-overdue = 🔴 <b>Dispatch №{ $number }</b> ({ $enterprise }) is past your department's deadline { $due }; please answer it now.
remind-dispatch-overdue-admin = 🔴 <b>Dispatch overdue</b>: { $department } has not answered <b>№{ $number }</b> ({ $enterprise }, department deadline { $due }).
digest-dispatch-head = 🔴 <b>Overdue dispatches</b>: { $count }, the longest overdue first
digest-dispatch-line = { $colour } №{ $number } { $enterprise } · { $department } · { $by } overdue

## Figures by department

stats-by-department = By department
stats-department-line = { $name }: dispatched { $dispatched } · signed { $signed } · done { $done } ({ $on_time } on time) · overdue { $overdue } · returned { $returned } · on time { $rate } · median { $median } · satisfaction { $satisfaction }
stats-department-rule = on-time rate = done on time ÷ (done + overdue); returned dispatches count as neither; satisfaction is the enterprises' rating of the problems the department signed for and did not return.
export-sheet-departments = Departments
export-col-department = department
export-col-dispatched = dispatched
export-col-signed = signed for
export-col-done = done
export-col-on-time = done on time
export-col-dept-overdue = overdue
export-col-returned = returned
export-col-on-time-rate = on-time rate
export-col-median-answer = median time to answer (days)
export-col-dept-satisfaction = satisfaction
export-col-ratings = ratings

## The dispatch meeting's agenda

cmd-agenda = dispatch meeting agenda (admins)
agenda-head = 📋 <b>Dispatch meeting agenda</b>: { $count } problem(s) (open tier 3 and overdue tier 2, oldest first). Press a button below to dispatch one.
agenda-line = { $index }. { $colour } <b>№{ $number }</b> { $enterprise } · { $category } · { $tier } · open { $days } days
agenda-line-departments = 　Sent to: { $departments }
agenda-line-step = 　Last:
agenda-department = { $department } ({ $state })
agenda-more = …and { $count } more in the Excel agenda.
agenda-empty = Nothing for the meeting: every tier-3 problem is answered and no tier-2 problem is overdue.
agenda-caption = Dispatch meeting agenda ({ $count } problems)
agenda-filename = dispatch-meeting-{ $date }.xlsx
btn-agenda-dispatch = 📤 Dispatch №{ $number }
agenda-sheet = Agenda
agenda-col-index = #
agenda-col-number = number
agenda-col-enterprise = enterprise
agenda-col-category = category
agenda-col-tier = tier
agenda-col-state = state
agenda-col-envoy = envoy
agenda-col-registered = registered
agenda-col-days-open = days open
agenda-col-due = deadline
agenda-col-departments = departments involved
agenda-col-last-steps = last steps
agenda-col-link = link
agenda-open = open in the bot
cli-help-agenda = write the dispatch meeting's agenda to an .xlsx file
cli-help-agenda-details = Write the open tier-3 and the overdue tier-2 problems (oldest first, with enterprise, category, days open, the last steps and the departments involved) to an Excel file for the dispatch meeting; each row links to the problem in the bot.
cli-help-agenda-file = the .xlsx file to write; the folder must exist
cli-agenda-written = { $count } agenda problem(s) written to { $path }

## The bi-monthly evaluation

config-reason-months = expected 0 (no evaluation) or a number of months that divides 12, e.g. 2
evaluation-title = Departments' evaluation ({ $start } to { $end })
evaluation-head = 📋 <b>Departments' evaluation</b> ({ $start } to { $end }, { $count } dispatches), ranked by on-time rate and satisfaction:
evaluation-line = { $rank }. <b>{ $name }</b>: on time { $rate } ({ $on_time }/{ $due }) · satisfaction { $satisfaction } · dispatched { $dispatched } · overdue { $overdue } · returned { $returned } · median { $median }
evaluation-foot = On-time rate = done on time ÷ (done + overdue); the full table is attached.
evaluation-empty = No dispatches in this period.
evaluation-sheet = Evaluation
evaluation-filename = evaluation-{ $end }.xlsx
export-col-rank = rank
