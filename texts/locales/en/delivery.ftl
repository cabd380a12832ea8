# When something goes wrong on the bot's side
err-unexpected = ⚠️ Sorry, something went wrong while handling that. Nothing already saved was lost. Please try again in a moment, or send /cancel to start over.
