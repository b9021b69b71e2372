// The Ergon observer's page: renders each sample sent on /api/events (Server-Sent Events). Plain DOM code, no
// framework; plots are inline SVG.
"use strict";

const state = { view: null, sort: "queue", filter: "", detail: null, rowLimit: 300 };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function bytes(b) {
  if (b >= 10 * 1048576) return Math.floor(b / 1048576) + " MB";
  if (b >= 10 * 1024) return Math.floor(b / 1024) + " KB";
  return b + " B";
}

function rate(r) {
  return r === null || r === undefined ? "–" : (r >= 100 ? Math.round(r) : r.toFixed(1)) + "/s";
}

function renderNodes(view) {
  const ul = document.getElementById("nodes");
  ul.replaceChildren(...view.nodes.map(n => el("li", { class: "node", "data-node": n.name, "data-kind": n.kind },
    el("div", {}, el("span", { class: "name" }, n.name), el("span", { class: "kind " + n.kind }, n.kind)),
    n.error ? el("div", { class: "error" }, "unreachable: " + n.error)
      : el("div", {}, "OTP " + n.release + " · " + n.version),
    n.error ? null : el("div", {}, el("span", { class: "process-count" }, n.processCount), " processes · ",
      bytes(n.memory), " · run queue " + n.runQueue),
    n.error ? null : el("div", {}, n.kind === "ergon" ? "messages handled: " : "reductions: ", el("span", { class: "node-rate" }, rate(n.messagesPerSecond)),
      " ", plot(series(view, "node " + n.name), 120, 24)))));
  const select = document.getElementById("node-filter");
  const options = [el("option", { value: "" }, "all")].concat(view.nodes.map(n => el("option", { value: n.name }, n.name)));
  select.replaceChildren(...options);
  select.value = state.filter;
}

function series(view, key) {
  const s = view.series.find(x => x.key === key);
  return s ? s.values : [];
}

// A line plot of the values (oldest left) as inline SVG, its top the largest value.
function plot(values, width, height) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("class", "plot");
  if (values.length > 1) {
    const max = Math.max(1, ...values);
    const step = width / (values.length - 1);
    const points = values.map((v, i) => (i * step).toFixed(1) + "," + (height - 2 - (v / max) * (height - 4)).toFixed(1));
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "#2a6fb0");
    line.setAttribute("stroke-width", "1.5");
    svg.append(line);
    const title = document.createElementNS(ns, "title");
    title.textContent = "max " + rate(max);
    svg.append(title);
  }
  return svg;
}

const SORTS = {
  node: (a, b) => a.node.localeCompare(b.node),
  pid: (a, b) => a.pid.localeCompare(b.pid),
  name: (a, b) => b.name.localeCompare(a.name),
  queue: (a, b) => b.queue - a.queue,
  reductions: (a, b) => b.reductions - a.reductions,
  memory: (a, b) => b.memory - a.memory,
  function: (a, b) => a.function.localeCompare(b.function),
};

function renderProcesses(view) {
  const rows = [];
  for (const n of view.nodes) {
    if (state.filter && n.name !== state.filter) continue;
    for (const p of n.processes) rows.push(Object.assign({ node: n.name }, p));
  }
  rows.sort((a, b) => SORTS[state.sort](a, b) || a.node.localeCompare(b.node) || a.pid.localeCompare(b.pid));
  const shown = rows.slice(0, state.rowLimit);
  document.getElementById("process-count").textContent =
    rows.length > shown.length ? "(the top " + shown.length + " of " + rows.length + ")" : "(" + rows.length + ")";
  for (const th of document.querySelectorAll("#processes th")) {
    th.classList.toggle("sorted", th.dataset.sort === state.sort);
  }
  document.querySelector("#processes tbody").replaceChildren(...shown.map(p =>
    el("tr", { "data-node": p.node, "data-pid": p.pid, class: p.queue >= 1000 ? "big-queue" : null,
        onclick: () => openDetail(p.node, p.pid) },
      el("td", {}, p.node), el("td", { class: "pid" }, p.pid), el("td", { class: "name" }, p.name),
      el("td", { class: "num queue" }, p.queue), el("td", { class: "num reductions" }, p.reductions),
      el("td", { class: "num" }, bytes(p.memory)), el("td", {}, p.function))));
}

function renderTrees(view) {
  const restarts = new Map(view.restarts.map(r => [r.node + " " + r.supervisor + " " + r.id, r]));
  const actions = view.allowActions;
  const box = document.getElementById("trees");
  const parts = [];
  for (const n of view.nodes) {
    if (!n.supervisors || n.supervisors.length === 0) continue;
    parts.push(el("h3", {}, n.name));
    parts.push(el("ul", { class: "tree", "data-node": n.name },
      ...n.supervisors.map(t => treeItem(n.name, t, null, restarts, actions))));
  }
  box.replaceChildren(...(parts.length ? parts : [el("p", {}, "no supervisors")]));
}

function treeItem(node, t, parent, restarts, actions) {
  const r = parent && parent.pid ? restarts.get(node + " " + parent.pid + " " + t.id) : null;
  const li = el("li", { class: "child " + t.type, "data-id": t.id, "data-pid": t.pid || "", "data-state": t.state },
    el("span", { class: "id" }, t.id), " ",
    t.pid ? el("a", { class: "pid", href: "#", onclick: ev => { ev.preventDefault(); openDetail(node, t.pid); } }, t.pid)
      : el("span", { class: "pid" }, t.state),
    " ", el("span", { class: "type" }, t.type),
    r ? el("span", { class: "restarts", title: "was " + r.previousPid }, "restarted ×" + r.restarts) : null,
    actions && parent && parent.pid && t.pid ? el("button", { type: "button", class: "action restart",
      onclick: () => act("/api/restart", { node: node, supervisor: parent.pid, id: t.id }) }, "restart") : null);
  if (t.children && t.children.length) {
    li.append(el("ul", {}, ...t.children.map(c => treeItem(node, c, t, restarts, actions))));
  }
  return li;
}

function renderRates(view) {
  const kinds = new Map(view.nodes.map(n => [n.name, n.kind]));
  const rows = view.series.map(s => el("div", { class: "rate", "data-key": s.key },
    el("span", { class: "label" }, s.key.startsWith("node ")
      ? s.key + (kinds.get(s.node) === "ergon" ? " (messages handled)" : " (reductions)") : s.key + " (messages)"), plot(s.values, 240, 36),
    el("span", { class: "last" }, rate(s.values.length ? s.values[s.values.length - 1] : null))));
  document.getElementById("rates").replaceChildren(...(rows.length ? rows : [el("p", {}, "first sample: no rates yet")]));
}

function renderApps(view) {
  const parts = [];
  for (const n of view.nodes) {
    if (!n.applications || n.applications.length === 0) continue;
    parts.push(el("h3", {}, n.name));
    parts.push(el("ul", { class: "apps", "data-node": n.name }, ...n.applications.map(a =>
      el("li", { "data-app": a.name }, el("b", {}, a.name), " " + a.version + " — " + a.description))));
  }
  document.getElementById("apps").replaceChildren(...(parts.length ? parts : [el("p", {}, "none")]));
}

function renderCrashes(view) {
  document.getElementById("crashes").replaceChildren(...view.crashes.map(c =>
    el("li", { "data-node": c.node, "data-pid": c.pid }, new Date(c.at).toLocaleTimeString() + " " + c.node + " ",
      el("span", { class: "pid" }, c.pid), " (" + c.id + "): " + c.reason)));
}

async function openDetail(node, pid) {
  state.detail = { node: node, pid: pid };
  await refreshDetail();
}

async function refreshDetail() {
  const d = state.detail;
  const section = document.getElementById("detail-section");
  if (!d) { section.hidden = true; return; }
  section.hidden = false;
  document.getElementById("detail-title").textContent = d.pid + " on " + d.node;
  const box = document.getElementById("detail");
  try {
    const res = await fetch("api/process?node=" + encodeURIComponent(d.node) + "&pid=" + encodeURIComponent(d.pid));
    const body = await res.json();
    if (!res.ok) { box.replaceChildren(el("p", { class: "error" }, body.error)); return; }
    const p = body.process;
    if (!p.alive) { box.replaceChildren(el("p", {}, "not alive"), crashLine(body.recentCrash)); return; }
    const items = [];
    const add = (k, v) => items.push(el("dt", {}, k), el("dd", { "data-item": k }, v));
    for (const [k, v] of Object.entries(p.info)) add(k, v);
    add("links", p.links.join(" ") || "none");
    add("monitors", p.monitors.join(" ") || "none");
    add("monitored_by", p.monitoredBy.join(" ") || "none");
    add("sys state", p.state !== null ? p.state : p.stateError !== null ? "no answer: " + p.stateError
      : "does not speak sys");
    box.replaceChildren(el("dl", {}, ...items), crashLine(body.recentCrash),
      state.view && state.view.allowActions ? el("button", { type: "button", class: "action kill",
        onclick: () => act("/api/kill", { node: d.node, pid: d.pid }) }, "kill") : "");
  } catch (e) {
    box.replaceChildren(el("p", { class: "error" }, String(e)));
  }
}

function crashLine(c) {
  return c ? el("p", { class: "recent-crash" }, "crashed at " + new Date(c.at).toLocaleTimeString() + ": " + c.reason) : "";
}

async function act(path, params) {
  const q = Object.entries(params).map(([k, v]) => k + "=" + encodeURIComponent(v)).join("&");
  const res = await fetch(path.substring(1) + "?" + q, { method: "POST" });
  const body = await res.json();
  document.getElementById("status").textContent = res.ok ? path + ": " + body.result : path + ": " + body.error;
}

function render(view) {
  state.view = view;
  document.getElementById("status").textContent = "sample " + view.sample + " of " + view.target + "'s cluster, from "
    + view.observer + " at " + new Date(view.at).toLocaleTimeString();
  const mode = document.getElementById("mode");
  mode.textContent = view.allowActions ? "actions allowed" : "read-only";
  mode.classList.toggle("actions", view.allowActions);
  renderNodes(view);
  renderProcesses(view);
  renderTrees(view);
  renderRates(view);
  renderApps(view);
  renderCrashes(view);
  if (state.detail) refreshDetail();
}

for (const th of document.querySelectorAll("#processes th")) {
  th.addEventListener("click", () => { state.sort = th.dataset.sort; if (state.view) renderProcesses(state.view); });
}
document.getElementById("node-filter").addEventListener("change", ev => {
  state.filter = ev.target.value;
  if (state.view) renderProcesses(state.view);
});
document.getElementById("detail-close").addEventListener("click", () => { state.detail = null; refreshDetail(); });

const events = new EventSource("api/events");
events.addEventListener("cluster", ev => {
  const view = JSON.parse(ev.data);
  if (view.nodes) render(view);
});
events.onerror = () => { document.getElementById("status").textContent = "disconnected, retrying…"; };
