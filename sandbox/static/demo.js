// envoybot demo chat page: plays one person against the sandbox's control API.
// Every text is put into the page with textContent or through a whitelist sanitiser.
"use strict";

const TEXTS = {
  zh: {
    title: "envoybot 演示", who: "我是", choose: "— 选择身份 —", clock: "演示时钟",
    ahead: "（已快进 {h} 小时）", placeholder: "输入消息或 /命令，回车发送", send: "发送",
    photo: "发送照片", doc: "发送文件", sticker: "[贴纸]", edited: "已编辑", plus1h: "+1 小时",
    plus4h: "+4 小时", plus1d: "+1 天", web: "云平台",
    webTitle: "网页版问题清单和统计：在聊天中发送 /web 获取登录链接", hint: "请在右上方选择一位演示人物，然后像在 Telegram 里一样聊天。\n"
      + "在另一个标签页以另一个人的身份打开本页，就能看到彼此的操作。",
    empty: "还没有消息。发送 /help 看看能做什么。", moved: "时钟已前进到 {t}，{n} 人收到提醒",
    error: "出错了：{e}", weekdays: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    roles: { staff: "企业联系人", envoy: "特派员", lead: "队长", admin: "市级协调", department: "职能部门" },
    groups: {
      staff: "企业联系人", envoy: "特派员", lead: "工作队队长", admin: "市级协调", department: "职能部门",
    },
  },
  en: {
    title: "envoybot demo", who: "I am", choose: "— choose a person —", clock: "Demo clock",
    ahead: "(+{h} h)", placeholder: "Message or /command, Enter to send", send: "Send",
    photo: "Send a photo", doc: "Send a file", sticker: "[sticker]", edited: "edited",
    plus1h: "+1 h", plus4h: "+4 h", plus1d: "+1 day", web: "Web platform",
    webTitle: "The problem list and figures in a browser: send /web in the chat for a sign-in link", hint: "Choose a demo person at the top right, then chat as in Telegram.\n"
      + "Open this page in another tab as another person to see each other's effects.",
    empty: "No messages yet. Send /help to see what you can do.",
    moved: "Clock moved to {t}; {n} people reminded", error: "Error: {e}",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    roles: {
      staff: "enterprise contact", envoy: "envoy", lead: "team lead", admin: "city coordinator",
      department: "department",
    },
    groups: {
      staff: "Enterprise contacts", envoy: "Envoys", lead: "Team leads", admin: "City coordination",
      department: "Departments",
    },
  },
};

const $ = (id) => document.getElementById(id);
const state = {
  lang: "zh", people: [], uid: null, seq: 0, answers: -1, generation: 0, controller: null,
  rendered: new Map(), answered: new Set(), stick: true,
};
const ANSWER_WAIT = 10; // seconds a press waits for the bot's answer
const SVG = "http://www.w3.org/2000/svg";

// A small line icon drawn inline: the page's own chrome needs no emoji font.
function iconSvg(path) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "20"); svg.setAttribute("height", "20");
  svg.setAttribute("aria-hidden", "true");
  const line = document.createElementNS(SVG, "path");
  line.setAttribute("d", path);
  svg.appendChild(line);
  return svg;
}
const DOWNLOAD_ICON = "M12 4v11m-5-5 5 5 5-5M5 20h14";
let T = TEXTS.zh;

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));
}

// ---- sanitising the bot's HTML (Telegram's tag subset only) --------------------------------

const ALLOWED = {
  B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
  CODE: "code", PRE: "pre", A: "a", BLOCKQUOTE: "blockquote", "TG-SPOILER": "tg-spoiler",
};
const SAFE_HREF = /^(https?:|tg:|mailto:)/i;

function copySafe(source, target) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.appendChild(document.createTextNode(node.data));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    let tag = ALLOWED[node.tagName];
    if (node.tagName === "SPAN" && node.classList.contains("tg-spoiler")) tag = "tg-spoiler";
    if (node.tagName === "BR") { target.appendChild(document.createTextNode("\n")); continue; }
    if (!tag) { copySafe(node, target); continue; }
    const el = document.createElement(tag === "tg-spoiler" ? "span" : tag);
    if (tag === "tg-spoiler") {
      el.className = "spoiler";
      el.addEventListener("click", () => el.classList.toggle("shown"));
    }
    if (tag === "a") {
      const href = node.getAttribute("href") || "";
      if (SAFE_HREF.test(href)) {
        el.href = href; el.target = "_blank"; el.rel = "noopener noreferrer";
      }
    }
    copySafe(node, el);
    target.appendChild(el);
  }
}

function richText(html, plain) {
  const box = document.createElement("div");
  box.className = "text";
  if (html) {
    // DOMParser documents are inert: no scripts run, no resources load.
    const doc = new DOMParser().parseFromString(html, "text/html");
    copySafe(doc.body, box);
  } else {
    box.textContent = plain || "";
  }
  return box;
}

// ---- talking to the server ----------------------------------------------------------------

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function userPath(suffix) { return `/sandbox/api/users/${state.uid}/${suffix}`; }

async function sendText(text) {
  if (!state.uid || !text.trim()) return;
  try {
    await api(userPath("send"), {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
    });
  } catch (e) { toast(fill(T.error, { e: e.message })); }
}

// The press waits for the bot's answer, so an alert shows the moment it is given rather
// than when the long poll next returns.
async function press(messageId, data) {
  try {
    const sent = await api(userPath("press"), {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message_id: messageId, data, wait: ANSWER_WAIT }),
    });
    if (sent.answer) applyAnswers([sent.answer], true);
  } catch (e) { toast(fill(T.error, { e: e.message })); }
}

async function upload(file, kind) {
  if (!state.uid || !file) return;
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", file, file.name);
  try {
    await api(userPath("upload"), { method: "POST", body: form });
  } catch (e) { toast(fill(T.error, { e: e.message })); }
}

// ---- rendering ------------------------------------------------------------------------------

function fileUrl(fileId) { return `/sandbox/api/files/${encodeURIComponent(fileId)}`; }

function sizeLabel(bytes) {
  if (!bytes) return "";
  return bytes > 1024 * 1024 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function inlineKeyboard(message) {
  const rows = (message.reply_markup && message.reply_markup.inline_keyboard) || [];
  if (!rows.length) return null;
  const box = document.createElement("div");
  box.className = "inline-kbd";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "inline-row";
    for (const button of row) {
      let el;
      if (button.url && SAFE_HREF.test(button.url)) {
        el = document.createElement("a");
        el.href = button.url; el.target = "_blank"; el.rel = "noopener noreferrer";
      } else {
        el = document.createElement("button");
        el.type = "button";
        if (button.callback_data !== undefined) {
          el.addEventListener("click", () => press(message.message_id, button.callback_data));
        }
      }
      el.textContent = button.text;
      el.title = button.text;
      line.appendChild(el);
    }
    box.appendChild(line);
  }
  return box;
}

function renderMessage(message) {
  const wrap = document.createElement("div");
  wrap.className = `msg ${message.from === "bot" ? "bot" : "user"}`;
  wrap.dataset.messageId = String(message.message_id);
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (message.photo) {
    const link = document.createElement("a");
    link.href = fileUrl(message.photo.file_id); link.target = "_blank"; link.rel = "noopener";
    const img = document.createElement("img");
    img.className = "photo"; img.alt = "photo"; img.src = fileUrl(message.photo.file_id);
    img.addEventListener("load", () => scrollDown(state.stick));
    link.appendChild(img);
    bubble.appendChild(link);
  }
  if (message.document) {
    const doc = message.document;
    const link = document.createElement("a");
    link.className = "doc"; link.href = fileUrl(doc.file_id);
    link.download = doc.file_name || "file";
    const icon = document.createElement("span");
    icon.className = "icon-file"; icon.appendChild(iconSvg(DOWNLOAD_ICON));
    const label = document.createElement("span");
    const name = document.createElement("div");
    name.className = "name"; name.textContent = doc.file_name || "file";
    const size = document.createElement("div");
    size.className = "size"; size.textContent = sizeLabel(doc.file_size);
    label.append(name, size);
    link.append(icon, label);
    bubble.appendChild(link);
  }
  if (message.sticker) {
    const s = document.createElement("div");
    s.className = "text"; s.textContent = message.sticker.emoji || T.sticker;
    bubble.appendChild(s);
  }
  const fromBot = message.from === "bot";
  if (message.text) bubble.appendChild(fromBot ? richText(message.html, message.text) : richText("", message.text));
  if (message.caption) {
    bubble.appendChild(fromBot ? richText(message.caption_html, message.caption) : richText("", message.caption));
  }
  if (message.edit_count) {
    const meta = document.createElement("div");
    meta.className = "meta"; meta.textContent = T.edited;
    bubble.appendChild(meta);
  }
  wrap.appendChild(bubble);
  const kbd = inlineKeyboard(message);
  if (kbd) wrap.appendChild(kbd);
  return wrap;
}

function nearBottom() {
  const chat = $("chat");
  return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 120;
}

function scrollDown(force) {
  const chat = $("chat");
  if (force || nearBottom()) chat.scrollTop = chat.scrollHeight;
  state.stick = nearBottom();
}

function applyMessages(messages, stick) {
  const chat = $("chat");
  for (const message of messages) {
    const old = state.rendered.get(message.message_id);
    if (message.deleted) {
      if (old) old.remove();
      state.rendered.delete(message.message_id);
      continue;
    }
    const el = renderMessage(message);
    if (old) old.replaceWith(el); else chat.appendChild(el);
    state.rendered.set(message.message_id, el);
  }
  $("hint").textContent = state.rendered.size ? "" : (state.uid ? T.empty : T.hint);
  scrollDown(stick);
}

function applyKeyboard(rows) {
  const box = $("keyboard");
  box.replaceChildren();
  for (const row of rows || []) {
    const line = document.createElement("div");
    line.className = "reply-row";
    for (const label of row) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = label;
      b.addEventListener("click", () => sendText(label));
      line.appendChild(b);
    }
    box.appendChild(line);
  }
}

function applyAnswers(answers, show) {
  for (const a of answers || []) {
    if (state.answered.has(a.query_id)) continue;
    state.answered.add(a.query_id);
    if (show && a.text) toast(a.text, a.show_alert);
  }
}

let toastTimer = null;
function toast(text, alert = false) {
  const el = $("toast");
  el.textContent = text;
  el.classList.toggle("alert", Boolean(alert));
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, alert ? 6000 : 3000);
}

// ---- the live loop --------------------------------------------------------------------------

async function follow(generation, signal) {
  let first = true;
  while (generation === state.generation) {
    try {
      const wait = first ? 0 : 25;
      const query = `messages?after=${state.seq}&wait=${wait}&answers=${state.answers}`;
      const data = await api(userPath(query), { signal });
      if (generation !== state.generation) return;
      const stick = first || state.stick;
      applyKeyboard(data.keyboard);
      applyMessages(data.messages, stick);
      applyAnswers(data.callback_answers, !first);
      state.seq = data.seq;
      state.answers = (data.callback_answers || []).length;
      first = false;
    } catch (e) {
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function choose(uid) {
  state.generation += 1;
  if (state.controller) state.controller.abort();
  state.uid = uid;
  state.seq = 0;
  state.answers = -1;
  state.stick = true;
  state.rendered.clear();
  state.answered.clear();
  const chat = $("chat");
  chat.replaceChildren($("hint"));
  $("keyboard").replaceChildren();
  const url = new URL(window.location.href);
  if (uid) url.searchParams.set("as", String(uid)); else url.searchParams.delete("as");
  history.replaceState(null, "", url);
  for (const id of ["text", "send", "attach-photo", "attach-doc"]) $(id).disabled = !uid;
  $("hint").textContent = uid ? "" : T.hint;
  const person = state.people.find((p) => p.id === uid);
  document.title = person ? `${person.name} · envoybot demo` : "envoybot demo";
  if (!uid) return;
  state.controller = new AbortController();
  follow(state.generation, state.controller.signal);
  $("text").focus();
}

// ---- the demo clock -------------------------------------------------------------------------

function showClock(clock) {
  $("clock-now").textContent = `${clock.local} ${T.weekdays[clock.weekday] || ""}`;
  $("clock-ahead").textContent = clock.hours_ahead > 0
    ? fill(T.ahead, { h: Number(clock.hours_ahead.toFixed(1)) }) : "";
}

async function advance(hours, button) {
  const buttons = document.querySelectorAll(".clock button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const clock = await api("/demo/api/clock", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ hours }),
    });
    showClock(clock);
    toast(fill(T.moved, { t: clock.local, n: clock.reminded }));
  } catch (e) {
    toast(fill(T.error, { e: e.message }));
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    if (button) button.blur();
  }
}

// ---- start ----------------------------------------------------------------------------------

function label(person) {
  const parts = [person.name, T.roles[person.role] || person.role];
  if (person.org) parts.push(person.org);
  return parts.join(" · ");
}

function buildPicker() {
  const select = $("person");
  select.replaceChildren();
  const none = document.createElement("option");
  none.value = ""; none.textContent = T.choose;
  select.appendChild(none);
  for (const role of ["staff", "envoy", "lead", "admin", "department"]) {
    const group = document.createElement("optgroup");
    group.label = T.groups[role];
    for (const person of state.people.filter((p) => p.role === role)) {
      const option = document.createElement("option");
      option.value = String(person.id);
      option.textContent = label(person);
      group.appendChild(option);
    }
    if (group.children.length) select.appendChild(group);
  }
  select.addEventListener("change", () => choose(Number(select.value) || null));
}

async function main() {
  const info = await api("/demo/api/info");
  state.lang = TEXTS[info.lang] ? info.lang : "zh";
  T = TEXTS[state.lang];
  state.people = info.people;
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  $("title").textContent = T.title;
  $("bot-name").textContent = `@${info.bot}`;
  $("who-label").textContent = T.who;
  $("clock-label").textContent = T.clock;
  $("plus-1h").textContent = T.plus1h;
  $("plus-4h").textContent = T.plus4h;
  $("plus-1d").textContent = T.plus1d;
  $("text").placeholder = T.placeholder;
  $("send").textContent = T.send;
  for (const [id, text] of [["attach-photo", T.photo], ["attach-doc", T.doc]]) {
    $(id).title = text;
    $(id).setAttribute("aria-label", text);
  }
  if (info.web && SAFE_HREF.test(info.web)) {
    const web = $("web-link");
    web.href = info.web;
    web.textContent = T.web;
    web.title = T.webTitle;
    web.hidden = false;
  }
  showClock(info.clock);
  buildPicker();

  document.querySelectorAll(".clock button").forEach((b) => {
    b.addEventListener("click", () => advance(Number(b.dataset.hours), b));
  });
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("text");
    const text = input.value;
    input.value = "";
    sendText(text);
  });
  $("chat").addEventListener("scroll", () => { state.stick = nearBottom(); });
  $("attach-photo").addEventListener("click", () => $("photo-input").click());
  $("attach-doc").addEventListener("click", () => $("doc-input").click());
  for (const [id, kind] of [["photo-input", "photo"], ["doc-input", "document"]]) {
    $(id).addEventListener("change", async (event) => {
      const input = event.target;
      for (const file of input.files) await upload(file, kind);
      input.value = "";
    });
  }
  setInterval(async () => {
    try { showClock(await api("/demo/api/clock")); } catch (e) { /* server gone */ }
  }, 5000);

  const wanted = Number(new URLSearchParams(window.location.search).get("as")) || null;
  const known = state.people.some((p) => p.id === wanted);
  $("person").value = known ? String(wanted) : "";
  choose(known ? wanted : null);
}

main().catch((e) => { $("hint").textContent = fill(T.error, { e: e.message }); });
