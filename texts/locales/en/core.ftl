## Words used everywhere

category-market = Market & procurement
category-production = Production & operation
category-construction = Project construction
category-approval = Approval & permits
category-policy = Policy implementation
category-labour = Staffing & labour
category-financing = Financing
category-logistics = Customs & logistics
category-other = Other

state-registered = registered, waiting for the envoy
state-in_progress = in progress
state-resolved = resolved, waiting for the enterprise
state-closed = closed
state-withdrawn = withdrawn

tier-1 = tier 1 (envoy, 1 day)
tier-2 = tier 2 (work team, 3 days)
tier-3 = tier 3 (city, 7 days)
tier-none = not classified
envoy-unassigned = not yet taken
actor-system = system
role-staff = enterprise contact
role-envoy = envoy
role-lead = team lead
role-admin = city office

action-register = registered
action-accept = accepted and classified
action-note = progress
action-escalate = escalated
action-resolve = resolved
action-confirm = enterprise confirmed
action-reject = enterprise: not solved
action-rate = rated
action-add_info = information added
action-reassign = reassigned
action-withdraw = withdrawn
action-comment = comment

dur-days = { $days }d
dur-days-hours = { $days }d { $hours }h
dur-hours = { $hours }h
dur-hours-minutes = { $hours }h { $minutes }m
dur-minutes = { $minutes } min

deadline-was = Deadline: { $due }
deadline-left = Deadline: { $due } ({ $left } left)
deadline-overdue = Deadline: { $due } (<b>overdue by { $by }</b>)

## Problem cards, lists, timeline

list-line = { $colour } <b>№{ $number }</b> { $enterprise } · { $category } · { $state } · due { $due }
problem-card =
    { $colour } <b>Problem №{ $number }</b>
    Enterprise: { $enterprise }
    Category: { $category }
    State: { $state }
    Tier: { $tier }
    Envoy: { $envoy }
    Registered: { $registered }
    { $deadline }

    { $description }
problem-rating = Enterprise's rating: { $stars } { $comment }
event-moved = ({ $src } → { $dst })
event-line = <b>{ $at }</b> { $action } · { $actor } { $role } { $moved }
event-note = { "  " }“{ $note }”
event-files = { "  " }📎 { $count } attachment(s)
timeline-head = <b>Timeline</b> (page { $page }/{ $pages })
problem-usage = Usage: /problem NUMBER, for example /problem 2026-0042
my-head = <b>Your enterprise's problems</b> ({ $total } in all, page { $page }/{ $pages })
my-empty = Your enterprise has not reported any problem yet. Send /report to report one.
inbox-head = <b>Open problems</b> ({ $total }, most urgent first, page { $page }/{ $pages })
inbox-empty = Nothing open. 🎉
overdue-head = <b>Overdue problems</b> ({ $total }, page { $page }/{ $pages })
overdue-empty = Nothing is overdue.

## Buttons and the keyboard

btn-accept-tier = Accept · tier { $tier }
btn-note = 📝 Progress note
btn-escalate = ⬆️ Escalate
btn-resolve = ✅ Mark resolved
btn-confirm = 👍 Solved
btn-reject = 👎 Not solved
btn-info = ➕ Add information
btn-reassign = 🔁 Reassign
btn-withdraw = 🗑 Withdraw
btn-timeline = 🕘 Timeline
btn-refresh = 🔄 Refresh
btn-open = Open
btn-cancel = Cancel
btn-skip = Skip
btn-files-done = Done
btn-files-skip = No attachments
btn-submit = ✅ Submit
btn-edit-category = Edit category
btn-edit-description = Edit description
btn-edit-files = Redo attachments
kbd-report = 📝 Report a problem
kbd-my = 📋 My problems
kbd-inbox = 📥 Inbox
kbd-help = ❓ Help

## /report

report-choose-category = Choose the problem's category:
report-category-chosen = Category: { $category }
report-describe = Describe the problem (at least { $minimum } letters or digits; spaces, punctuation and emoji do not count). Send /cancel at any time to stop.
report-too-short = That is too short: { $length } letters or digits (spaces, punctuation and emoji do not count). Please write at least { $minimum } so the envoy understands the problem.
report-too-long = That is too long ({ $length } characters); the limit is { $maximum }. Please shorten it.
report-files = You may send photos or files (up to { $maximum }), then press “Done”; or press “No attachments”.
report-file-wrong-kind = Only photos, PDF, Word, Excel, text or zip files are accepted.
report-file-too-big = That file is too big (20 MB at most).
report-files-full = That makes { $maximum } attachments, the limit. Press “Done”.
report-file-added = Attachment { $count } received (up to { $maximum }). Send more or press “Done”.
report-summary =
    <b>Please check:</b>
    Category: { $category }
    Attachments: { $files }

    { $description }
report-registered = ✅ Registered as <b>№{ $number }</b>. The envoy will take it within the deadline; you will be told of every step here.
report-cancelled = Cancelled; nothing was saved.
report-incomplete = The report was incomplete; please send /report again.
report-staff-only = Only enterprise contacts can report problems.
report-hint-finish-first = You are in the middle of a report: finish it or send /cancel first.
report-hint-category = Please choose a category with the buttons below, or send /cancel.
report-hint-description = Please describe the problem in text (at least { $minimum } letters or digits), or send /cancel.
report-hint-files = Only photos or files here. Press “Done” when finished, or send /cancel.
report-hint-confirm = Please press Submit, Edit or Cancel.
report-hint-command = You are in the middle of a report. Finish it, or send /cancel before using other commands.

## Actions on a problem

ask-note = Send the progress note for №{ $number }:
ask-escalate = Why does №{ $number } need escalating?
ask-resolve = Send the resolution note for №{ $number } (the enterprise confirms against it):
ask-reject = Why is №{ $number } not solved yet?
ask-info = Send the text, photo or file to add to №{ $number }:
ask-withdraw = Why is №{ $number } withdrawn (duplicate or invalid)?
ask-rating = Thank you for confirming! Please rate the handling with the stars below (1 to 5).
ask-comment = Any comment? Send it as text, or press “Skip”.
ask-reassign = Choose the new envoy for №{ $number }:
done-accept = №{ $number } accepted.
done-note = Progress on №{ $number } recorded; the enterprise has been told.
done-escalate = №{ $number } escalated.
done-resolve = №{ $number } marked resolved; waiting for the enterprise to confirm.
done-confirm = №{ $number } is closed.
done-reject = Told the envoy that №{ $number } is not solved; it goes on.
done-rate = Thank you for your rating!
done-add_info = Information added to №{ $number }; the envoy has been told.
done-reassign = №{ $number } reassigned.
done-withdraw = №{ $number } withdrawn.
done-comment = Comment saved, thank you!
comment-skipped = All right, thank you!
action-cancelled = Cancelled.
action-abandoned = The unfinished action was dropped.

## Notifications

notify-new-problem = 🆕 <b>New problem №{ $number }</b>: accept and classify it within the deadline.
notify-accepted = №{ $number } was accepted by envoy { $envoy } as { $tier }; deadline { $due }.
notify-progress = Progress on №{ $number }: { $note }
notify-escalated-reporter = №{ $number } was escalated to { $tier }; new deadline { $due }.
notify-escalated-up = ⬆️ <b>№{ $number } was escalated to your level</b>. Reason: { $reason }
notify-history = <b>Timeline</b>
    { $history }
notify-resolved = ✅ The envoy resolved №{ $number }: { $note }
    Is it solved? Only the enterprise's confirmation closes it.
notify-confirmed = 👍 The enterprise confirmed №{ $number } is solved; it is closed.
notify-rejected = 👎 The enterprise says №{ $number } is not solved: { $reason }
    The original deadline still applies ({ $left } left).
notify-rated = ⭐ №{ $number } rated by the enterprise: { $stars } { $comment }
notify-info-added = ➕ The enterprise added information to №{ $number }: { $note }
notify-reassigned-to-you = 🔁 <b>№{ $number } has been reassigned to you</b>
notify-reassigned-away = №{ $number } was reassigned to { $envoy }; you are no longer responsible.
notify-reassigned-reporter = №{ $number } is now handled by envoy { $envoy }.
notify-withdrawn = №{ $number } was withdrawn: { $reason }

## Start, help, language

start-guest = Hello! This is the enterprise-service problem desk. Bind your account first with the invite link you were given (ask your envoy or the city office). Send /help to learn more.
start-your-id = Your Telegram user id: <code>{ $id }</code>
start-welcome-back = Welcome back, { $name }!
help-guest =
    <b>Enterprise-service problem desk</b>
    Enterprises report problems; envoys answer within 1, 3 or 7 days; only the enterprise's confirmation closes a problem.
    Open the invite link you were given to start.
help-staff =
    <b>As an enterprise contact you can:</b>
    /report report a problem
    /my your enterprise's problems
    /problem NUMBER details, add information, confirm whether it is solved
    /language change language · /cancel stop what you are doing
    /web your enterprise's problems in a browser (web platform)
help-envoy =
    <b>As an envoy you can:</b>
    /inbox open problems, most urgent first
    /problem NUMBER details; accept, add progress, escalate, resolve
    /stats figures · /language change language · /cancel
    /web the problem list and figures in a browser (web platform)
help-lead =
    <b>As a team lead you can:</b>
    /inbox your team's open problems · /overdue overdue ones
    /problem NUMBER accept, reassign, escalate, resolve; dispatch tier-2 problems to departments
    /stats figures · /export Excel · /chart weekly trend
    /web the problem list and figures in a browser (web platform)
help-admin =
    <b>As the city office you can:</b>
    /inbox everything open · /overdue overdue problems
    /problem NUMBER work, reassign, withdraw
    /stats figures · /export Excel · /chart weekly trend
    /web the problem list and figures in a browser (web platform)
    /agenda the dispatch meeting's agenda; “📤 Dispatch” on a problem sends it to departments
invite-unknown = That invite code is not valid. Check the link or ask for a new one.
invite-used = That invite has already been used. Each invite works once; please ask for a new one.
invite-expired = That invite has expired; please ask for a new one.
invite-revoked = That invite has been revoked and no longer works. Ask the envoy or the city office who sent it for a new one.
invite-already_bound = Your account already has a role; no invite needed. Send /help to see what you can do.
invite-taken = This envoy is already bound to another account. Ask the city office if it must change.
invite-ok-staff = ✅ Done, { $name }: you are now an enterprise contact.
invite-ok-envoy = ✅ Done, { $name }: you are now an envoy.
invite-ok-lead = ✅ Done, { $name }: you are now a team lead.
invite-ok-admin = ✅ Done, { $name }: you are now with the city office.
language-choose = 请选择语言 / Choose a language:
language-set = Language set to English.
language-guest = Noted. Your language is remembered once your account is bound.
cancel-nothing = There is nothing to cancel.

## Errors (plain text: also shown as button alerts)

err-not-registered = Your account is not bound yet. Open the invite link you were given, or send /help.
err-not-registered-short = Bind your account with an invite link first.
err-not-allowed = You are not allowed to do that.
err-stale-button = This button is no longer valid; please open the problem again.
err-no-such-problem = No such problem, or you may not see it.
err-no-such-number = There is no problem №{ $number } that you may see.
err-my-staff-only = /my is for enterprise contacts; your open problems are in /inbox.
err-inbox-envoy-only = /inbox is for envoys; enterprise contacts use /my.
err-overdue-lead-only = /overdue is for team leads and the city office; use /inbox.
err-unknown-command = There is no such command. Send /help for the list.
err-unknown-input = Sorry, I did not understand. Use the buttons or commands; /help explains them.
err-nothing-pending = Nothing is waiting for your input right now.
err-text-expected = Please send text.
err-note-too-long = That is too long ({ $length } characters); the limit is { $maximum }.
err-note-required = This step needs a note; please send it as text.
err-changed-meanwhile = Someone else has just acted on this problem; it is now: { $state }.
err-wrong-state = The problem is “{ $state }”; that action is not possible now.
err-bad-tier = The tier must be 1, 2 or 3.
err-max-tier = It is already at the top tier (city); it cannot go higher.
err-already-rated = Already rated, thank you!
err-other-team = You can only reassign to an envoy of your own team.
err-bad-rating = The rating must be 1 to 5.
err-pick-envoy = Please pick an envoy.
err-no-other-envoy = There is no other envoy in this team to reassign to.
err-export-lead-only = /export is for team leads and the city office.
chart-caption = 📈 Weekly trend: collected, closed and overdue
err-same-envoy = That envoy is already responsible.

## Bot command menu

cmd-report = Report a problem
cmd-my = Your enterprise's problems
cmd-inbox = Open problems
cmd-problem = Show a problem (number)
cmd-overdue = Overdue problems
cmd-stats = Figures
cmd-export = Excel export
cmd-chart = Weekly trend chart
cmd-invite = Make an invite link (admin)
cmd-import = Import a roster (admin)
cmd-language = Change language
cmd-help = Help
cmd-cancel = Cancel what you are doing
