// The administrators' page: calls the provider's administration API with the session cookie and the anti-forgery
// token. Texts in Chinese and English side by side; no framework, no inline script (CSP default-src 'self').
"use strict";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const message = document.getElementById("message");

function say(text, isError) {
  message.textContent = text;
  message.className = isError ? "error" : "";
}

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const rules = data && data.violations ? data.violations.map(v => `${v.field}: ${v.message} [${v.rule}]`).join("; ") : (data && (data.detail || data.title)) || response.status;
    throw new Error(rules);
  }
  return data;
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  row.appendChild(td);
  return td;
}

function button(td, label, testId, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.dataset.testid = testId;
  b.addEventListener("click", async () => {
    try { await action(); } catch (e) { say("未完成 Not done: " + e.message, true); }
  });
  td.appendChild(b);
}

async function loadAccounts() {
  const accounts = await call("GET", "/api/v1/accounts");
  const body = document.querySelector('[data-testid="accounts"] tbody');
  body.replaceChildren();
  for (const a of accounts) {
    const row = document.createElement("tr");
    row.dataset.testid = "account-" + a.userName;
    cell(row, a.userName);
    cell(row, a.displayName);
    cell(row, a.role);
    cell(row, a.regionCode);
    const locked = a.lockedUntil && new Date(a.lockedUntil) > new Date();
    cell(row, a.disabled ? "已停用 disabled" : locked ? "已锁定 locked" : "正常 active").dataset.testid = "status-" + a.userName;
    const actions = cell(row, "");
    const change = async (fields, done) => {
      await call("PATCH", "/api/v1/accounts/" + encodeURIComponent(a.userName), { expectedVersion: a.version, ...fields });
      say(done);
      await loadAccounts();
    };
    if (a.disabled) {
      button(actions, "启用 Enable", "enable-" + a.userName, () => change({ disabled: false }, `${a.userName}: 已启用 enabled`));
    } else {
      button(actions, "停用 Disable", "disable-" + a.userName, () => change({ disabled: true }, `${a.userName}: 已停用，会话一分钟内结束 disabled; sessions end within a minute`));
    }
    if (locked) {
      button(actions, "解锁 Unlock", "unlock-" + a.userName, () => change({ unlock: true }, `${a.userName}: 已解锁 unlocked`));
    }
    button(actions, "改角色 Role…", "role-" + a.userName, async () => {
      const role = prompt("角色 Role (admin, collector, supervisor, planner, operator, auditor)", a.role);
      if (role === null) return;
      const regionCode = prompt("区划代码 Region code (collector 12, supervisor 9 digits; others empty)", a.regionCode ?? "");
      if (regionCode === null) return;
      await change({ role, regionCode }, `${a.userName}: 角色已改 role changed`);
    });
    button(actions, "重设密码 Password…", "password-" + a.userName, async () => {
      const password = prompt("新密码（至少 10 位） New password (10 characters or more)");
      if (password === null) return;
      await change({ password }, `${a.userName}: 密码已重设 password set`);
    });
    body.appendChild(row);
  }
}

async function loadClients() {
  const clients = await call("GET", "/api/v1/clients");
  const body = document.querySelector('[data-testid="clients"] tbody');
  body.replaceChildren();
  for (const c of clients) {
    const row = document.createElement("tr");
    row.dataset.testid = "client-" + c.clientId;
    cell(row, c.clientId);
    cell(row, c.kind);
    cell(row, c.displayName);
    cell(row, c.scopes.join(" "));
    cell(row, c.status === "active" ? "正常 active" : "已暂停 suspended").dataset.testid = "client-status-" + c.clientId;
    const actions = cell(row, "");
    const path = "/api/v1/clients/" + encodeURIComponent(c.clientId);
    if (c.status === "active") {
      button(actions, "暂停 Suspend", "suspend-" + c.clientId, async () => {
        const reason = prompt("原因 Reason");
        if (reason === null) return;
        await call("POST", path + "/suspend", { expectedVersion: c.version, reason });
        say(`${c.clientId}: 已暂停，令牌一分钟内失效 suspended; its tokens end within a minute`);
        await loadClients();
      });
    } else {
      button(actions, "恢复 Activate", "activate-" + c.clientId, async () => {
        await call("POST", path + "/activate", { expectedVersion: c.version });
        say(`${c.clientId}: 已恢复 active`);
        await loadClients();
      });
    }
    if (c.kind === "department") {
      button(actions, "新密钥 New secret", "secret-" + c.clientId, async () => {
        const issued = await call("POST", path + "/secret", {});
        showSecret(issued);
      });
    }
    body.appendChild(row);
  }
}

function showSecret(issued) {
  message.className = "";
  message.textContent = `${issued.clientId} 的密钥（仅显示这一次） secret, shown only now: `;
  const secret = document.createElement("span");
  secret.className = "secret";
  secret.dataset.testid = "issued-secret";
  secret.textContent = issued.clientSecret;
  message.appendChild(secret);
}

document.getElementById("new-account").addEventListener("submit", async event => {
  event.preventDefault();
  const form = event.target;
  const data = Object.fromEntries(new FormData(form));
  if (!data.regionCode) delete data.regionCode;
  try {
    await call("POST", "/api/v1/accounts", data);
    form.reset();
    say(`${data.userName}: 账户已建立 account created`);
    await loadAccounts();
  } catch (e) {
    say("未建立 Not created: " + e.message, true);
  }
});

document.getElementById("new-client").addEventListener("submit", async event => {
  event.preventDefault();
  const form = event.target;
  const data = Object.fromEntries(new FormData(form));
  try {
    const issued = await call("POST", "/api/v1/clients", data);
    form.reset();
    await loadClients();
    showSecret(issued);
  } catch (e) {
    say("未建立 Not created: " + e.message, true);
  }
});

loadAccounts().catch(e => say(e.message, true));
loadClients().catch(e => say(e.message, true));
