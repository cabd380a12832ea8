# 运维命令行（`envoybot import|invite|stats|export|backup|demo`）：终端纯文本。
cli-failed = envoybot { $command }：{ $reason }
cli-config-failed = envoybot：{ $reason }
cli-no-database = envoybot：数据库 { $path } 不存在（请设置 ENVOYBOT_DB）

## envoybot import：文件错误（行错误沿用 admin.ftl 的 roster-err-*）
cli-roster-empty = 文件为空，或第一行（表头）是空的
cli-roster-column-twice = 表头中“{ $column }”列出现了两次
cli-roster-bad-encoding = CSV 既不是 UTF-8 也不是 GB18030 编码的文本
cli-roster-bad-csv = CSV 格式有误，无法按行读取（请用 Excel 另存为 CSV UTF-8 或 .xlsx）
cli-roster-bad-xlsx = 不是可读取的 .xlsx 工作簿（文件已损坏，或并非 Excel 文件）
cli-roster-no-sheets = 工作簿里没有工作表
cli-roster-xls = { $name }：不读取旧版 .xls 工作簿，请另存为 .xlsx
cli-roster-bad-type = { $name }：不支持的文件类型 { $suffix }，请使用 .csv 或 .xlsx
cli-roster-no-type = { $name }：文件没有扩展名，请使用 .csv 或 .xlsx
cli-roster-no-file = { $path }：文件不存在
cli-roster-unreadable = { $path }：无法读取（{ $reason }）
cli-import-problems = 发现 { $count } 处问题，没有导入任何内容
cli-import-done = 已从 { $path } 导入 { $rows } 行：新增 { $created }，更新 { $updated }，未变 { $unchanged }
cli-import-counts = 新增 +{ $created }  更新 ~{ $updated }  未变 ={ $unchanged }
cli-import-teams = 工作队
cli-import-envoys = 特派员
cli-import-enterprises = 企业
cli-import-assignments = 服务关系
cli-template-exists = { $path } 已存在，不会覆盖；请换一个文件名
cli-template-cannot-write = 无法写入 { $path }：{ $reason }
cli-template-written = 已写入空白花名册 { $path }，列：{ $columns }

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
cli-invite-open-none = 没有未使用的邀请码
cli-invite-open-line = { $code }  { $who }  有效期至 { $expires }
cli-invite-all-summary = 新生成 { $new } 个邀请码，沿用 { $kept } 个尚未使用的
cli-invite-revoked = 已撤销 { $count } 个邀请码
cli-invite-revoke-unknown = 没有可撤销的邀请码“{ $code }”（不存在，或已使用、已过期、已撤销）
cli-invite-no-person = 找不到名为“{ $name }”的特派员、企业或部门
cli-invite-revoke-none = “{ $name }”没有未使用的邀请码

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
cli-demo-web-page = 云平台: { $url }
cli-demo-database = 数据库: { $path }
cli-demo-database-temporary = 数据库: { $path }（退出时删除）
cli-demo-how-to-stop = 按 Ctrl-C 停止。
cli-demo-stopping = envoybot 演示：正在停止……
cli-demo-stopped = envoybot 演示：已停止
cli-demo-port-in-use = 端口 { $port } 已被占用（也许另一个演示或程序正在使用）；请用 --port 换一个端口，例如 envoybot demo --port { $other }

## 系统错误的原因（errno），用在上面的句子里
cli-os-address-in-use = 地址已被占用
cli-os-address-unavailable = 本机没有这个地址
cli-os-permission = 没有权限
cli-os-not-found = 文件或文件夹不存在
cli-os-not-folder = 路径中有一段不是文件夹
cli-os-is-folder = 这是一个文件夹
cli-os-no-space = 磁盘空间不足
cli-os-read-only = 文件系统是只读的
cli-os-other = 系统错误 { $code }（{ $detail }）

## envoybot export
cli-export-not-xlsx = { $path }：导出文件名须以 .xlsx 结尾
cli-export-no-folder = 文件夹 { $path } 不存在
cli-export-is-folder = { $path } 是文件夹，请给出文件名，例如 { $path }/问题清单.xlsx
cli-export-cannot-write = 无法写入 { $path }：{ $reason }

## envoybot backup（续）
cli-backup-exists = { $path } 已存在；如要覆盖请加 --force

## 命令行帮助（envoybot --help）
cli-help-envoybot = envoybot：企业服务问题直通车（“137”办理时限）的 Telegram 机器人及其运维命令。设置来自环境变量或 .env 文件（见 .env.example）。
cli-help-verbose = 输出调试日志
cli-help-command = 要运行的命令；envoybot 命令 --help 显示该命令的选项
cli-help-commands = 命令
cli-help-run = 运行机器人（需要 TELEGRAM_BOT_TOKEN）
cli-help-import = 从 .csv 或 .xlsx 导入花名册
cli-help-import-details = 从 .csv 或 .xlsx 导入花名册。重复导入同一文件不会改变任何内容；有错误行时整份不导入，并按行号列出错误。
cli-help-invite-details = 生成邀请码和 Telegram 链接（只能用一次，默认 14 天有效），或列出、撤销尚未使用的邀请码。
cli-help-export-details = 把问题清单（按颜色标注）、汇总和分队与特派员的统计写入 Excel 文件。
cli-help-demo-details = 在本机运行完整演示，不需要 token：模拟的 Telegram、演示数据、真实的机器人和浏览器中的聊天页面。
cli-help-import-columns =
    列（表头用中文或英文均可，顺序不限）：
      企业名称 / enterprise     必填
      特派员 / envoy            必填，负责该企业的特派员
      联系电话 / envoy_phone    可空，特派员的电话
      工作队 / team             必填，企业和特派员所属的工作队
      队长 / lead               可空，该工作队队长的姓名
    每行是一个“企业—特派员”服务关系：一家企业有几位特派员就写几行。
    示例见仓库中的 examples/roster.csv 和 examples/roster.xlsx；
    空白模板：envoybot import --template 花名册.xlsx
    职能部门名册的列为 部门 / department（必填）、联系人 / contact 和 联系电话 / phone（可空），
    每人一行；按表头自动识别，也可加 --departments 指定
    （空白模板：envoybot import --template 部门名册.xlsx --departments）。
cli-help-import-file = 要导入的花名册文件（.csv 或 .xlsx）
cli-help-import-template = 不导入，而是在此写一份只有表头的空白花名册（按扩展名生成 .csv 或 .xlsx）
cli-help-invite = 生成、列出或撤销邀请码和链接
cli-help-invite-enterprise = 给这家企业的联系人（每次生成一个新邀请码）
cli-help-invite-envoy = 给这位特派员
cli-help-invite-lead = 给这个工作队的队长
cli-help-invite-admin = 给一位市级协调（管理员）
cli-help-invite-all = 给所有尚未绑定账号的特派员、企业和职能部门；已有未使用的邀请码（至少还有一天有效）的沿用原码，重复运行不会生成新码
cli-help-invite-list = 列出未使用、未过期、未撤销的邀请码（给谁、类型、有效期）
cli-help-invite-revoke = 撤销这个邀请码
cli-help-invite-revoke-person = 撤销这位特派员、这家企业或这个部门的全部未使用邀请码
cli-help-json = 以 JSON 输出，便于程序处理
cli-help-stats = 显示全市的统计数字
cli-help-period = 统计的时间段：week（本周）、month（本月）、all（全部，默认）
cli-help-export = 把问题清单和统计写入 .xlsx 文件
cli-help-export-file = 要写入的 .xlsx 文件；文件夹须已存在
cli-help-backup = 在线备份数据库（机器人运行时也安全）
cli-help-backup-file = 备份写入的文件
cli-help-backup-force = 覆盖已存在的备份文件
cli-help-demo = 在本机运行完整演示，不需要 token
cli-help-web = 只运行云平台（网页版问题清单和统计），不运行机器人
cli-help-web-details = 只运行云平台：浏览器中的问题清单、问题详情、统计图表和 Excel 导出（只读），与机器人共用同一个数据库。登录链接由机器人的 /web 命令发出。端口取 --port，否则取 ENVOYBOT_WEB_PORT，都没有时为 8090。
cli-help-web-port = 云平台的端口（默认取 ENVOYBOT_WEB_PORT，未设置时为 8090）
cli-help-web-host = 监听的地址（默认取 ENVOYBOT_WEB_HOST，未设置时为 127.0.0.1）
cli-help-demo-port = 聊天页面的端口（默认 8080）
cli-help-demo-db = 保留演示数据库的文件（默认用退出时删除的临时文件）
cli-help-demo-lang = 演示的语言：zh 或 en（默认取 ENVOYBOT_LANG，未设置时为 zh）
cli-metavar-file = FILE
cli-metavar-xlsx = FILE.xlsx
cli-metavar-name = NAME
cli-metavar-team = TEAM
cli-metavar-code = CODE
cli-bad-port = 端口应为 0 到 65535 之间的整数（0 表示任选一个空闲端口），不能是“{ $value }”
cli-import-file-or-template = 请给出要导入的文件，或用 --template FILE 生成空白模板（二者只能选一）

## argparse 自身的提示
cli-argparse-usage = 用法：
cli-argparse-positionals = 参数
cli-argparse-options = 选项
cli-argparse-help = 显示本帮助并退出
cli-argparse-error = %(prog)s：错误：%(message)s
cli-argparse-argument = 参数 %(argument_name)s：%(message)s
cli-argparse-unrecognized = 无法识别的参数：%s
cli-argparse-not-allowed-with = 不能与参数 %s 同时使用
cli-argparse-required = 缺少必需的参数：%s
cli-argparse-one-required = 必须给出以下参数之一：%s
cli-argparse-expected-one = 需要一个值
cli-argparse-expected-at-most-one = 最多只能有一个值
cli-argparse-expected-at-least-one = 至少需要一个值
cli-argparse-expected-n = 需要 %s 个值
cli-argparse-ambiguous = 选项 %(option)s 有歧义，可能是 %(matches)s
cli-argparse-invalid-value = 无效的值：%(value)r
cli-argparse-invalid-choice = 无效的选择：%(value)r（可选：%(choices)s）
cli-argparse-ignored-value = 这个选项不接受值 %r

## 进度（终端上显示进度条；输出被重定向时只打印几行）
cli-progress-read = 读取 { $name }
cli-progress-apply = 写入数据库
cli-progress-export = 写入 { $name }
cli-progress-unit = 行
cli-progress-line = { $label }：{ $done }/{ $total }

## envoybot web
cli-web-running = 云平台已启动: { $url }（按 Ctrl-C 停止）
cli-web-no-files = 未设置 TELEGRAM_BOT_TOKEN：问题附件无法从 Telegram 取回，页面上只显示文件名。
cli-web-stopped = 云平台已停止
cli-web-cannot-listen = 云平台无法监听 { $address }：{ $detail }
