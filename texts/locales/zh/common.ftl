# Common words shared by every part of the bot.
lang-name = 简体中文
