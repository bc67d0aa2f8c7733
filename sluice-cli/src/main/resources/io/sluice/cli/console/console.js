// The Sluice console: polls /api/state every second and renders it. Every chart records on its element how many
// points it drew (data-points), and every figure carries its raw value in data-* attributes, for the browser test.
"use strict";
const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const charts = {};

function chart(id, series, data) {
  const el = document.getElementById(id);
  const points = data.slice(1).reduce((n, s) => n + s.filter(v => v !== null && v !== undefined).length, 0);
  if (!charts[id]) {
    const opts = { width: el.clientWidth || 560, height: 200, scales: { x: { time: true } },
      series: [{}].concat(series.map(([label, stroke]) => ({ label, stroke, width: 2, spanGaps: true }))) };
    charts[id] = new uPlot(opts, data, el);
  } else {
    charts[id].setData(data);
  }
  el.dataset.points = String(points);
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function rows(tbodyParent, items, build) {
  const tbody = document.querySelector("#" + tbodyParent + " tbody");
  tbody.replaceChildren(...items.map(build));
}

function render(s) {
  document.getElementById("sampled-at").textContent = s.sampledAt;
  document.body.dataset.sampledAt = s.sampledAt;
  const last = s.history.length ? s.history[s.history.length - 1] : {};
  for (const [id, v] of [["produced-rate", last.producedPerSec], ["rows-rate", last.rowsPerSec]]) {
    const el = document.getElementById(id);
    el.textContent = v === null || v === undefined ? "-" : fmt.format(v);
    el.dataset.value = v === null || v === undefined ? "" : String(v);
  }
  for (const [id, v] of [["produced", s.produced], ["rows", s.rows]]) {
    const el = document.getElementById(id);
    el.textContent = fmt.format(v);
    el.dataset.value = String(v);
  }
  const t = s.history.map(p => p.t);
  chart("chart-throughput", [["readings/s", "#0969da"], ["rows/s", "#1a7f37"]],
    [t, s.history.map(p => p.producedPerSec), s.history.map(p => p.rowsPerSec)]);
  chart("chart-lag", [["lag", "#9a6700"]], [t, s.history.map(p => p.lag)]);
  chart("chart-cdc", [["p50 ms", "#0969da"], ["p99 ms", "#cf222e"]],
    [t, s.history.map(p => p.cdcP50), s.history.map(p => p.cdcP99)]);

  const d = s.device || {};
  const dev = document.getElementById("device");
  dev.textContent = d.deviceId === undefined ? "-" : String(d.deviceId);
  dev.dataset.deviceId = d.deviceId === undefined ? "" : String(d.deviceId);
  const ch = d.clickHouse || [], dy = d.dynamoDb || [];
  const starts = [...new Set(ch.map(w => w.windowStart).concat(dy.map(w => w.windowStart)))].sort((a, b) => a - b);
  const byStart = (list) => Object.fromEntries(list.map(w => [w.windowStart, w]));
  const chBy = byStart(ch), dyBy = byStart(dy);
  chart("chart-temperature", [["ClickHouse avg", "#1a7f37"], ["DynamoDB window mean", "#8250df"]],
    [starts, starts.map(x => chBy[x] ? chBy[x].mean : null), starts.map(x => dyBy[x] ? dyBy[x].mean : null)]);
  rows("windows", dy.slice().reverse(), w => {
    const tr = document.createElement("tr");
    const c = chBy[w.windowStart];
    tr.dataset.windowStart = String(w.windowStart);
    tr.dataset.dynamoCount = String(w.count);
    tr.dataset.dynamoMean = String(w.mean);
    tr.append(cell(new Date(w.windowStart * 1000).toISOString().slice(0, 16).replace("T", " ")),
      cell(fmt.format(w.count), "n"), cell(w.mean.toFixed(3), "n"),
      cell(c ? fmt.format(c.count) : "-", "n"), cell(c ? c.mean.toFixed(3) : "-", "n"));
    return tr;
  });

  rows("lag", s.lag, l => {
    const tr = document.createElement("tr");
    Object.assign(tr.dataset, { connector: l.connector, topic: l.topic, partition: String(l.partition), end: String(l.end),
      committed: String(l.committed), lag: String(l.lag) });
    tr.append(cell(l.connector), cell(l.topic + "-" + l.partition), cell(fmt.format(l.end), "n"),
      cell(fmt.format(l.committed), "n"), cell(fmt.format(l.lag), "n"));
    return tr;
  });
  rows("tables", s.tables, x => {
    const tr = document.createElement("tr");
    Object.assign(tr.dataset, { table: x.table, rows: String(x.rows), parts: String(x.parts) });
    tr.append(cell(x.table), cell(fmt.format(x.rows), "n"), cell(fmt.format(x.parts), "n"),
      cell(x.insertLatencyMs === null || x.insertLatencyMs === undefined ? "-" : fmt.format(x.insertLatencyMs), "n"));
    return tr;
  });
  rows("connectors", s.connectors, c => {
    const tr = document.createElement("tr");
    Object.assign(tr.dataset, { connector: c.name, state: c.state,
      tasks: Object.entries(c.tasks).map(([id, st]) => id + ":" + st).join(",") });
    tr.append(cell(c.name), cell(c.type), cell(c.state, c.state),
      cell(Object.entries(c.tasks).map(([id, st]) => id + " " + st).join(", ") + (c.trace ? " - " + c.trace : "")));
    return tr;
  });

  const dlq = document.getElementById("dlq");
  dlq.replaceChildren(...Object.entries(s.deadLetters).map(([topic, q]) => {
    const div = document.createElement("div");
    div.dataset.dlqTopic = topic;
    div.dataset.count = String(q.count);
    const h = document.createElement("div");
    h.textContent = topic + ": " + fmt.format(q.count) + " records" + (q.records.length ? " (newest first)" : "");
    const table = document.createElement("table");
    for (const r of q.records) {
      const tr = document.createElement("tr");
      tr.dataset.reason = r.reason;
      tr.append(cell(r.source), cell(r.reason, "reason"), cell(r.value, "reason"));
      table.append(tr);
    }
    div.append(h, table);
    return div;
  }));
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
}

async function poll() {
  try {
    const r = await fetch("api/state", { cache: "no-store" });
    if (r.ok) render(await r.json());
  } catch (e) {
    document.getElementById("sampled-at").textContent = "unreachable: " + e;
  }
  setTimeout(poll, 1000);
}
poll();
