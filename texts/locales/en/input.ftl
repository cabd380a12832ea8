# Messages the bot cannot use, and buttons whose step is over.

input-unsupported = Sorry, I cannot use { $kind }. I accept text, photos and documents (PDF, Word, Excel and other files).
input-what-next = Use the buttons below or a command; /help explains them.
input-kind-voice = voice messages
input-kind-video_note = round video messages
input-kind-video = videos
input-kind-audio = audio files
input-kind-animation = GIFs
input-kind-sticker = stickers
input-kind-venue = venues
input-kind-location = locations
input-kind-contact = contacts
input-kind-poll = polls
input-kind-dice = dice
input-kind-game = games
input-kind-story = stories

report-stale-button = This report button is no longer valid: that report has ended. Send /report to start a new one.
report-stale-step = That button belongs to an earlier step of your report; please use the buttons of the latest message.
