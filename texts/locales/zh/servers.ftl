# 多机部署：envoybot db copy、PostgreSQL、webhook 模式（终端纯文本）。

## envoybot db copy
cli-help-db = 数据库维护：在 SQLite 与 PostgreSQL 之间复制一个城市的数据
cli-help-db-details = 数据库维护。envoybot db copy SRC DST 把一个数据库的全部表复制到另一个（SQLite 文件或 postgresql:// 地址，两个方向均可），并逐表核对行数。
cli-help-db-action = 要做的事
cli-help-db-copy = 把 SRC 的全部表复制到空的 DST，并核对行数
cli-help-db-copy-source = 读取的数据库：SQLite 文件或 postgresql://… 地址
cli-help-db-copy-target = 写入的空数据库：SQLite 文件或 postgresql://… 地址
db-copy-done = 已从 { $source } 向 { $target } 复制 { $tables } 张表共 { $rows } 行，每张表的行数都一致
db-copy-table = { $table }：{ $rows }
db-copy-no-source = { $path } 处没有数据库
db-copy-same = 源数据库与目标数据库是同一个
db-copy-not-empty = 目标数据库已有数据（表 { $table }），请复制到空数据库
db-copy-versions = 两个数据库的结构版本不同
db-copy-schemas = 两个数据库的表不一致（{ $tables }）
db-copy-cycle = 表 { $tables } 互相引用，无法排定复制顺序
db-copy-mismatch = 表 { $table }：读出 { $source } 行，写入 { $target } 行；未保留任何内容
db-copy-cannot-open = 无法打开 { $path }：{ $detail }

## envoybot run --webhook
cli-help-run-details = 运行机器人。默认以长轮询获取更新；使用 --webhook（或 ENVOYBOT_WEBHOOK_URL）时，Telegram 把每条更新发送到该地址，由反向代理转给本进程，每条更新处理完毕后才应答。同一个 PostgreSQL 数据库上的多个实例可以共用同一地址。
cli-help-run-webhook = 以 webhook 方式在此公网 https:// 地址接收更新（默认：ENVOYBOT_WEBHOOK_URL；未设置则长轮询）
cli-help-run-listen = webhook 监听的地址（默认：ENVOYBOT_WEBHOOK_LISTEN，否则 127.0.0.1）
cli-help-run-port = webhook 监听的端口（默认：ENVOYBOT_WEBHOOK_PORT，否则 8443）
cli-metavar-address = ADDRESS
