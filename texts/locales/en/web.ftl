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
