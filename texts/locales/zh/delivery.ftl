# When something goes wrong on the bot's side
err-unexpected = ⚠️ 抱歉，处理刚才的操作时出了点问题。已经保存的内容都没有丢失。请稍后再试一次；如需从头开始，请发送 /cancel。
