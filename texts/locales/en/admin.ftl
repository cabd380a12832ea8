## Admin: invites and roster import in the chat

err-admin-only = This command is for the city office only.
invite-usage =
    Usage: /invite KIND NAME
    KIND: enterprise, envoy, lead (NAME is the team), department, admin (no name)
    For example: /invite enterprise Acme Machinery
    /invite list: the unused codes, each with a revoke button
    /invite revoke CODE or NAME: revoke that code, or every unused code of that envoy, enterprise or department
invite-target-unknown = “{ $name }” was not found or already has an account. Check the name.
invite-made-staff = Invite for a contact of “{ $name }” (valid until { $expires }, single use):
    { $link }
invite-made-envoy = Invite for envoy { $name } ({ $team }) (valid until { $expires }, single use):
    { $link }
invite-made-lead = Invite for { $name }, lead of { $team } (valid until { $expires }, single use):
    { $link }
invite-made-admin = Invite for the city office (valid until { $expires }, single use):
    { $link }
invite-list-none = There are no unused invite codes.
invite-list-head = <b>Unused invite codes ({ $count })</b>
invite-list-line = <code>{ $code }</code> [{ $role }] { $who }, valid until { $expires }
invite-list-more = Revoke buttons are shown for the first { $count } codes only; for the others use /invite revoke CODE.
invite-revoke-button = Revoke: { $who } ({ $code }…)
invite-revoked-count = { $count } invite code(s) revoked; their links no longer work.
invite-revoked-alert = Revoked.
invite-revoke-gone = That code can no longer be revoked (already used, expired or revoked).
invite-revoke-unknown = Nothing to revoke for “{ $target }”: it is neither an unused code nor an envoy or enterprise with unused codes.
import-send-file = Send the roster file (.csv or .xlsx; columns enterprise, envoy, envoy_phone, team, lead), or a departments roster (columns department, contact, phone). Send /cancel to stop.
import-wrong-kind = Only .csv or .xlsx files are accepted.
import-too-big = That file is too big (5 MB at most).
import-unreadable = That file cannot be read; save it as .xlsx or UTF-8 .csv and try again.
import-failed = ❌ Import failed with { $count } error(s); <b>nothing was changed</b>:
import-more-errors = … and { $count } more error(s).
import-done = ✅ Imported { $rows } rows: { $created } created, { $updated } updated, { $unchanged } unchanged.
roster-err-no_rows = Row { $row }: a header but no data rows.
roster-err-missing_column = Row { $row }: the header has no “{ $field }” column.
roster-err-duplicate_column = Row { $row }: the “{ $field }” column appears twice.
roster-err-missing_value = Row { $row }: { $field } is missing.
roster-err-too_long = Row { $row }: { $field } is longer than 200 characters.
roster-err-control_char = Row { $row }: { $field } contains control characters (line breaks, tabs).
roster-err-envoy_two_teams = Row { $row }: envoy “{ $value }” is in team “{ $expected }” on row { $other }.
roster-err-enterprise_two_teams = Row { $row }: enterprise “{ $value }” is in team “{ $expected }” on row { $other }.
roster-err-team_two_leads = Row { $row }: team “{ $value }” has lead “{ $expected }” on row { $other }.
roster-err-envoy_two_phones = Row { $row }: envoy “{ $value }” has phone “{ $expected }” on row { $other }.
roster-field-enterprise = enterprise
roster-field-envoy = envoy
roster-field-envoy_phone = envoy_phone
roster-field-team = team
roster-field-lead = lead
