# Common words shared by every part of the bot.
lang-name = English
