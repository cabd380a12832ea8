## The 137 clock: reminders, overdue notices, digests

remind-before = ⏰ { $colour } <b>№{ $number }</b> ({ $enterprise }) is due in { $left } ({ $due }).
remind-before-lead = ⏰ { $colour } <b>№{ $number }</b> ({ $enterprise }, envoy { $envoy }) is due in { $left } ({ $due }).
remind-overdue = 🔴 <b>№{ $number }</b> ({ $enterprise }) reached its deadline { $due } and is overdue. Please act now.
remind-overdue-lead = 🔴 <b>Supervision</b>: <b>№{ $number }</b> ({ $enterprise }) of { $envoy } is overdue (deadline { $due }).
remind-overdue-admin = 🔴 <b>City supervision</b>: tier-3 problem <b>№{ $number }</b> ({ $enterprise }, { $envoy }) is overdue (deadline { $due }).
remind-fallback = ⚠️ Envoy { $envoy } cannot be reached right now; these reminders come to you instead:
remind-combined = ⏰ <b>You have { $count } reminders</b>
digest-head = 🔴 <b>Daily overdue digest</b>: { $count } problem(s), most overdue first
digest-line = { $colour } №{ $number } { $enterprise } · overdue by { $by } · { $envoy }
unreachable-lead = ⚠️ Envoy { $envoy } has blocked the bot and gets no reminders; their reminders now come to you.
unreachable-lead-deactivated = ⚠️ Envoy { $envoy }'s Telegram account has been deleted, so they get no reminders. Their reminders now come to you; consider reassigning their problems.
remind-confirm = 🔵 <b>№{ $number }</b> ({ $enterprise }) was marked resolved { $days } day(s) ago and is waiting for you: is it solved?
weekly-head = 📅 <b>Weekly figures</b>
