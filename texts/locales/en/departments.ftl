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
