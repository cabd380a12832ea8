## The 137 clock: reminders, overdue notices, digests

remind-before = ⏰ { $colour } <b>№{ $number }</b>（{ $enterprise }）离时限还有 { $left }（{ $due }）。
remind-before-lead = ⏰ { $colour } <b>№{ $number }</b>（{ $enterprise }，特派员 { $envoy }）离时限还有 { $left }（{ $due }）。
remind-overdue = 🔴 <b>№{ $number }</b>（{ $enterprise }）已到时限 { $due }，已逾期，请尽快办理。
remind-overdue-lead = 🔴 <b>督办</b>：{ $envoy } 负责的 <b>№{ $number }</b>（{ $enterprise }）已逾期（时限 { $due }）。
remind-overdue-admin = 🔴 <b>市级督办</b>：三级问题 <b>№{ $number }</b>（{ $enterprise }，{ $envoy }）已逾期（时限 { $due }）。
remind-fallback = ⚠️ 特派员 { $envoy } 目前收不到消息，以下提醒转给您：
remind-combined = ⏰ <b>您有 { $count } 条提醒</b>
digest-head = 🔴 <b>逾期问题日报</b>：{ $count } 个，逾期最久的在前
digest-line = { $colour } №{ $number } { $enterprise } · 逾期 { $by } · { $envoy }
unreachable-lead = ⚠️ 特派员 { $envoy } 已屏蔽本机器人，收不到提醒；其负责问题的提醒今后发给您。
unreachable-lead-deactivated = ⚠️ 特派员 { $envoy } 的 Telegram 账号已注销，收不到提醒；其负责问题的提醒今后发给您，可考虑转派给其他特派员。
remind-confirm = 🔵 <b>№{ $number }</b>（{ $enterprise }）特派员已办结 { $days } 天，还在等您确认：问题解决了吗？
weekly-head = 📅 <b>每周统计</b>
