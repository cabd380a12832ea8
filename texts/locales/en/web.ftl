## /web in the chat

web-link =
    🔐 <b>Sign-in link for the web platform</b>
    <a href="{ $url }">{ $url }</a>
    Valid for { $minutes } minutes, once, and only for your own account. Do not forward it.
web-link-too-many = Too many sign-in links asked for; please send /web again after { $at }.
web-off = The web platform is not set up here. Ask the city office if you need it.
cmd-web = Sign in to the web platform

## The web platform's pages

web-brand = Enterprise service desk · web platform
web-nav-problems = Problems
web-nav-figures = Figures
web-nav-export = Export Excel
web-sign-out = Sign out
web-login-title = Sign in to the web platform
web-login-how = There are no passwords: the bot sends your own sign-in link in Telegram.
web-login-step-1 = Open your chat with the bot in Telegram and send /web.
web-login-step-2 = Open the link the bot sends (valid for 10 minutes, once).
web-login-step-3 = Confirm, and the problems and figures you may see open.
web-login-widget = Or sign in with your Telegram account:
web-confirm-title = Confirm sign-in
web-confirm-who = You are signing in to the web platform as { $name }.
web-confirm-button = Sign in
web-confirm-hint = Did you not ask for this link? Do not sign in; just close this page.
web-link-unknown = This sign-in link is not valid
web-link-used = This sign-in link has already been used
web-link-expired = This sign-in link has expired
web-link-ask-again = Send /web to the bot in Telegram again for a new link.
web-signed-in = Signed in
web-continue = Open the problem list
web-refused-title = Not done
web-refused-form = This request was not accepted; go back to the page and try again.
web-refused-incomplete = The Telegram sign-in data is incomplete; please sign in again.
web-refused-bad_hash = The Telegram sign-in data did not check out; please sign in again.
web-refused-too_old = The Telegram sign-in data is more than a day old; please sign in again.
web-refused-from_future = The Telegram sign-in data is dated in the future; check the computer's clock and sign in again.
web-refused-not_bound = This Telegram account is not bound to anyone yet; redeem your invite in the bot first.
web-not-found-title = Page not found
web-not-found = There is no such page, or it is outside what you may see.
web-back-to-list = Back to the problem list

## The problem list

web-any = Any
web-search = Search
web-search-hint = number, enterprise or envoy
web-filter-period = Period
web-filter-state = State
web-filter-tier = Tier
web-filter-team = Team
web-filter-envoy = Envoy
web-filter-category = Category
web-filter-enterprise = Enterprise
web-filter-department = Department
web-dispatches = Dispatch orders (joint handling)
web-dispatch-due = Department deadline
web-dispatch-answer = Answer or reason for return
web-choose-team-first = Many envoys: choose a team first
web-search-instead = Many enterprises: choose a team first, or search by name
web-more-filters = Filters
web-apply = Filter
web-clear = Clear
web-session-ended = Your session has ended; the list no longer updates itself.
web-head-collected = Collected
web-head-closed = Closed
web-head-in-hand = In hand (incl. { $waiting } awaiting confirmation)
web-head-overdue = Overdue
web-head-rate = Resolution rate
web-colours = Filter by colour
web-all-colours = All
web-colour-red = Overdue
web-colour-yellow = Due soon
web-colour-white = On time
web-colour-blue = Awaiting confirmation
web-colour-green = Closed
web-colour-grey = Withdrawn
web-list-meta = { $total } problems · page { $page } of { $pages } · as of { $now }
web-col-colour = Colour
web-col-summary = Description
web-list-empty = No problem matches.
web-pages = Pages
web-prev = ← Previous
web-next = Next →
web-page-of = Page { $page } of { $pages }
web-overdue-by = overdue by { $by }
web-time-left = { $left } left
web-moved = { $src } → { $dst }

## A problem

web-description = Description
web-attachments = Attachments
web-photo = photo
web-file = file
web-timeline = Timeline
web-read-only = The web platform is read-only: accept, resolve and confirm in Telegram.
web-file-unavailable-title = The file cannot be fetched right now
web-file-unavailable = Files are kept by Telegram and cannot be reached at the moment; please try again later.

## Figures

web-figures-title = Figures · { $scope }
web-median-answer = Median time to answer
web-more-rows = { $count } more rows are not listed; the Excel export has them all.
