# 运维命令行（`envoybot import|invite|stats|export|backup|demo`）：终端纯文本。
cli-failed = envoybot { $command }：{ $reason }
cli-no-database = envoybot：数据库 { $path } 不存在（请设置 ENVOYBOT_DB）

## envoybot import：文件错误（行错误沿用 admin.ftl 的 roster-err-*）
cli-roster-empty = 文件为空，或第一行（表头）是空的
cli-roster-column-twice = 表头中“{ $column }”列出现了两次
cli-roster-bad-encoding = CSV 既不是 UTF-8 也不是 GB18030 编码的文本
cli-roster-bad-csv = CSV 格式有误：{ $detail }
cli-roster-bad-xlsx = 不是可读取的 .xlsx 工作簿（{ $detail }）
cli-roster-no-sheets = 工作簿里没有工作表
cli-roster-xls = { $name }：不读取旧版 .xls 工作簿，请另存为 .xlsx
cli-roster-bad-type = { $name }：不支持的文件类型 { $suffix }，请使用 .csv 或 .xlsx
cli-roster-no-type = { $name }：文件没有扩展名，请使用 .csv 或 .xlsx
cli-roster-no-file = { $path }：文件不存在
cli-roster-unreadable = { $path }：无法读取（{ $detail }）
cli-import-problems = 发现 { $count } 处问题，没有导入任何内容
cli-import-done = 已从 { $path } 导入 { $rows } 行：新增 { $created }，更新 { $updated }，未变 { $unchanged }
cli-import-counts = 新增 +{ $created }  更新 ~{ $updated }  未变 ={ $unchanged }
cli-import-teams = 工作队
cli-import-envoys = 特派员
cli-import-enterprises = 企业
cli-import-assignments = 服务关系

## envoybot invite
cli-invite-no-username = 注意：未设置 ENVOYBOT_BOT_USERNAME，链接中用占位符 <bot> 代替机器人用户名
cli-invite-no-enterprise = 找不到名为“{ $name }”的企业
cli-invite-no-team = 找不到名为“{ $name }”的工作队
cli-invite-no-lead = 花名册中工作队“{ $team }”没有队长
cli-invite-no-envoy = 找不到名为“{ $name }”的特派员
cli-invite-already-bound = 特派员“{ $name }”已绑定 Telegram 账号
cli-invite-bad-kind = 不能为“{ $kind }”生成邀请
cli-invite-nobody = 所有人都已绑定账号，没有生成邀请
cli-invite-code = 邀请码 { $code }  有效期至 { $expires }（{ $zone }）

## envoybot backup
cli-backup-live = 拒绝覆盖正在使用的数据库 { $path }
cli-backup-no-database = { $path } 处没有数据库（请设置 ENVOYBOT_DB）
cli-backup-is-folder = { $path } 是文件夹，请给出文件名
cli-backup-no-folder = 文件夹 { $path } 不存在
cli-backup-cannot-write = 无法写入 { $path }：{ $detail }
cli-backup-done = 备份已写入 { $path }（{ $size } 字节）

## envoybot demo
cli-demo-cannot-listen = 无法监听 { $address }：{ $detail }
cli-demo-running = envoybot 演示已启动（用时 { $seconds } 秒）
cli-demo-chat-page = 聊天页面: { $url }
cli-demo-database = 数据库: { $path }
cli-demo-database-temporary = 数据库: { $path }（退出时删除）
cli-demo-how-to-stop = 按 Ctrl-C 停止。
cli-demo-stopping = envoybot 演示：正在停止……
cli-demo-stopped = envoybot 演示：已停止
