# Messages the bot cannot use, and buttons whose step is over.

input-unsupported = 抱歉，{ $kind }我处理不了。我能接收的是：文字、照片和文件（PDF、Word、Excel 等文档）。
input-what-next = 请使用下方按钮或命令，发送 /help 查看说明。
input-kind-voice = 语音消息
input-kind-video_note = 圆形视频消息
input-kind-video = 视频
input-kind-audio = 音频
input-kind-animation = 动图
input-kind-sticker = 表情贴纸
input-kind-venue = 地点
input-kind-location = 位置
input-kind-contact = 联系人名片
input-kind-poll = 投票
input-kind-dice = 骰子
input-kind-game = 游戏
input-kind-story = 动态

report-stale-button = 这个上报按钮已失效：那次上报已经结束。需要上报请发送 /report。
report-stale-step = 这个按钮属于上报的前一个步骤，请使用最新一条消息里的按钮。
