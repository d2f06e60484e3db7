// hechos dashboard: plain ES module over the JSON API, d3 + topojson-client vendored.
// All text from the database goes through textContent (d3 .text), never innerHTML.
/* global d3, topojson */

const QUADS = [
  { key: "1", label: "1 · cooperación verbal" },
  { key: "2", label: "2 · cooperación material" },
  { key: "3", label: "3 · conflicto verbal" },
  { key: "4", label: "4 · conflicto material" },
];
const QUAD_COLOR = { 1: "#8cc9a1", 2: "#2e8b57", 3: "#f0a35e", 4: "#d1495b" };
const goldsteinColor = d3.scaleDiverging([-10, 0, 10], d3.interpolateRdYlGn);

const state = { sort: "-event_day", level: "country", cursor: null, shown: 0 };
let worldTopology = null;

async function api(path) {
  const reply = await fetch(path);
  const body = await reply.json();
  if (!reply.ok) throw new Error(body.error || reply.statusText);
  return body;
}

function filterParams() {
  const form = document.getElementById("filters");
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (String(value).trim()) params.set(name, String(value).trim());
  }
  return params;
}

function withParams(path, extra = {}) {
  const params = filterParams();
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined) params.set(k, v);
  return `${path}?${params}`;
}

function showError(where, err) {
  d3.select(where).selectAll("*").remove();
  d3.select(where).append("p").attr("class", "muted error").text(`Error: ${err.message}`);
}

// -- timeline -----------------------------------------------------------------------

async function drawTimeline() {
  let data = await api(withParams("/timeseries", { interval: "day" }));
  if (data.buckets.length > 120) data = await api(withParams("/timeseries", { interval: "week" }));
  if (data.buckets.length > 120) data = await api(withParams("/timeseries", { interval: "month" }));
  const host = d3.select("#timeline");
  host.selectAll("*").remove();
  d3.select("#timeline-summary").text(
    `${data.total} eventos · intervalo: ${data.interval}` + (data.undated ? ` · ${data.undated} sin fecha` : ""));
  const width = 1000, height = 220, m = { top: 10, right: 10, bottom: 24, left: 36 };
  const svg = host.append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("data-total", data.total);
  if (!data.buckets.length) {
    svg.append("text").attr("class", "empty").attr("x", width / 2).attr("y", height / 2)
      .attr("text-anchor", "middle").text("Sin eventos");
    return;
  }
  const rows = data.buckets.map((b) => ({ period: new Date(b.period + "T00:00:00Z"), ...b.counts }));
  const step = { day: d3.utcDay, week: d3.utcMonday, month: d3.utcMonth }[data.interval];
  const first = rows[0].period, last = step.offset(rows[rows.length - 1].period, 1);
  const x = d3.scaleUtc([first, last], [m.left, width - m.right]);
  const series = d3.stack().keys(QUADS.map((q) => q.key))(rows);
  const y = d3.scaleLinear([0, d3.max(data.buckets, (b) => b.total)], [height - m.bottom, m.top]).nice();
  const barWidth = (d) => Math.max(1, x(step.offset(d.data.period, 1)) - x(d.data.period) - 1);
  svg.append("g").selectAll("g").data(series).join("g")
    .selectAll("rect").data((s) => s.map((d) => Object.assign(d, { key: s.key }))).join("rect")
    .attr("class", (d) => `bar q${d.key}`)
    .attr("data-count", (d) => d[1] - d[0])
    .attr("x", (d) => x(d.data.period)).attr("width", barWidth)
    .attr("y", (d) => y(d[1])).attr("height", (d) => y(d[0]) - y(d[1]))
    .append("title").text((d) => `${d3.utcFormat("%Y-%m-%d")(d.data.period)} · QuadClass ${d.key}: ${d[1] - d[0]}`);
  svg.append("g").attr("class", "axis").attr("transform", `translate(0,${height - m.bottom})`)
    .call(d3.axisBottom(x).ticks(8));
  svg.append("g").attr("class", "axis").attr("transform", `translate(${m.left},0)`)
    .call(d3.axisLeft(y).ticks(4).tickFormat(d3.format("~s")));
}

function drawLegend() {
  const legend = d3.select("#quad-legend");
  legend.selectAll("span").data(QUADS).join("span")
    .call((s) => s.append("i").attr("class", "sw").style("background", (d) => QUAD_COLOR[d.key]))
    .append("span").text((d) => d.label);
}

// -- network ------------------------------------------------------------------------

async function drawNetwork() {
  const data = await api(withParams("/dyads", { level: state.level, limit: 150 }));
  const host = d3.select("#network");
  host.selectAll("*").remove();
  const width = 600, height = 380;
  const svg = host.append("svg").attr("viewBox", `0 0 ${width} ${height}`);
  if (!data.dyads.length) {
    svg.append("text").attr("class", "empty").attr("x", width / 2).attr("y", height / 2)
      .attr("text-anchor", "middle").text("Sin díadas");
    return;
  }
  const weight = new Map();
  for (const d of data.dyads) {
    weight.set(d.source, (weight.get(d.source) || 0) + d.count);
    weight.set(d.target, (weight.get(d.target) || 0) + d.count);
  }
  const nodes = [...weight.keys()].sort().map((id) => ({ id, weight: weight.get(id) }));
  const links = data.dyads.filter((d) => d.source !== d.target).map((d) => ({ ...d }));
  const maxCount = d3.max(data.dyads, (d) => d.count);
  const edgeWidth = d3.scaleSqrt([1, maxCount], [1.2, 8]);
  const radius = d3.scaleSqrt([1, d3.max(nodes, (n) => n.weight)], [5, 18]);
  // a fixed number of ticks, computed before drawing: the same data gives the same picture
  const sim = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((n) => n.id).distance(90))
    .force("charge", d3.forceManyBody().strength(-220))
    // pulls unconnected groups of actors toward the middle instead of the corners
    .force("x", d3.forceX(width / 2).strength(0.07))
    .force("y", d3.forceY(height / 2).strength(0.1))
    .force("collide", d3.forceCollide((n) => radius(n.weight) + 10))
    .stop();
  sim.tick(300);
  for (const n of nodes) {
    n.x = Math.max(30, Math.min(width - 30, n.x));
    n.y = Math.max(20, Math.min(height - 20, n.y));
  }
  svg.append("g").selectAll("path").data(links).join("path")
    .attr("class", "edge")
    .attr("stroke", (d) => goldsteinColor(d.mean_goldstein ?? 0))
    .attr("stroke-width", (d) => edgeWidth(d.count))
    .attr("data-count", (d) => d.count)
    .attr("d", (d) => {
      // a slight arc, so A→B and B→A stay apart
      const dx = d.target.x - d.source.x, dy = d.target.y - d.source.y, r = Math.hypot(dx, dy) * 1.6;
      return `M${d.source.x},${d.source.y}A${r},${r} 0 0,1 ${d.target.x},${d.target.y}`;
    })
    .append("title").text((d) => `${d.source.id} → ${d.target.id}: ${d.count} eventos, Goldstein medio ${d.mean_goldstein}`);
  const node = svg.append("g").selectAll("g").data(nodes).join("g")
    .attr("class", "node").attr("data-id", (d) => d.id)
    .attr("transform", (d) => `translate(${d.x},${d.y})`)
    .style("cursor", "pointer")
    .on("click", (_, d) => {
      document.querySelector("#filters [name=actor]").value = d.id;
      refresh();
    });
  node.append("circle").attr("r", (d) => radius(d.weight));
  node.append("text").attr("dy", (d) => -radius(d.weight) - 3).attr("text-anchor", "middle").text((d) => d.id);
  node.append("title").text((d) => `${d.id}: ${d.weight} eventos (como fuente o destino)`);
}

// -- map ----------------------------------------------------------------------------

async function drawMap() {
  if (!worldTopology) worldTopology = await (await fetch("/static/vendor/countries-110m.json")).json();
  const data = await api(withParams("/map"));
  const host = d3.select("#map");
  host.selectAll("*").remove();
  const width = 600, height = 380;
  const svg = host.append("svg").attr("viewBox", `0 0 ${width} ${height}`);
  const countries = topojson.feature(worldTopology, worldTopology.objects.countries);
  const projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" });
  const path = d3.geoPath(projection);
  const counts = new Map(data.countries.filter((c) => c.iso_numeric).map((c) => [c.iso_numeric, c.count]));
  const shade = d3.scaleSequentialSqrt([0, d3.max(data.countries, (c) => c.count) || 1], d3.interpolateBlues);
  svg.append("path").attr("class", "sphere").attr("d", path({ type: "Sphere" }));
  svg.append("g").selectAll("path").data(countries.features).join("path")
    .attr("class", (d) => "country" + (counts.has(d.id) ? " has-events" : ""))
    .attr("data-id", (d) => d.id)
    .attr("d", path)
    .style("fill", (d) => (counts.has(d.id) ? shade(counts.get(d.id)) : null))
    .append("title").text((d) => `${d.properties.name}` + (counts.has(d.id) ? `: ${counts.get(d.id)} eventos` : ""));
  const r = d3.scaleSqrt([1, d3.max(data.points, (p) => p.count) || 1], [3, 14]);
  svg.append("g").selectAll("circle").data(data.points).join("circle")
    .attr("class", "dot")
    .attr("data-count", (d) => d.count)
    .attr("transform", (d) => `translate(${projection([d.lon, d.lat])})`)
    .attr("r", (d) => r(d.count))
    .style("fill", (d) => goldsteinColor(d.mean_goldstein ?? 0))
    .append("title").text((d) => `${d.name ?? ""} (${d.country ?? "?"}): ${d.count} eventos`);
  const placed = d3.sum(data.points, (p) => p.count);
  d3.select("#map-summary").text(`${data.points.length} lugares · ${placed} eventos con coordenadas`);
}

// -- table --------------------------------------------------------------------------

function actorCell(actor) {
  if (!actor) return "—";
  return actor.code ? `${actor.code}` : actor.text;
}

async function loadTable(append = false) {
  const extra = { sort: state.sort, limit: 50, total: append ? null : "true", cursor: append ? state.cursor : null };
  const page = await api(withParams("/events", extra));
  const body = d3.select("#events tbody");
  if (!append) {
    body.selectAll("tr").remove();
    state.shown = 0;
    state.total = page.total;
  }
  const rows = body.selectAll(null).data(page.events).enter().append("tr")
    .attr("data-event-id", (d) => d.event_id)
    .on("click", (_, d) => { location.hash = `#/event/${encodeURIComponent(d.event_id)}`; });
  rows.append("td").text((d) => d.event_day ?? d.date ?? "—");
  rows.append("td").attr("class", "code").text((d) => actorCell(d.source)).attr("title", (d) => d.source?.text ?? "");
  rows.append("td").attr("title", (d) => d.cameo_label).call((td) => {
    td.append("span").attr("class", "code").text((d) => d.cameo);
    td.append("span").attr("class", "muted").text((d) => ` ${d.cameo_label ?? ""}`);
  });
  rows.append("td").attr("class", "code").text((d) => actorCell(d.target)).attr("title", (d) => d.target?.text ?? "");
  rows.append("td").append("span").attr("class", (d) => `quad q${d.quad_class}`).text((d) => d.quad_class);
  rows.append("td").text((d) => d.goldstein);
  rows.append("td").text((d) => d.modality);
  rows.append("td").text((d) => (d.confidence ?? 0).toFixed(2));
  rows.append("td").attr("class", "sentence").text((d) => d.sentence).attr("title", (d) => d.sentence);
  state.shown += page.events.length;
  state.cursor = page.next_cursor;
  d3.select("#more").property("hidden", !page.next_cursor);
  d3.select("#table-summary").text(`${state.shown} de ${state.total} eventos`);
  d3.selectAll("#events th[data-sort]")
    .classed("sorted", function () { return state.sort.replace("-", "") === this.dataset.sort; })
    .classed("desc", () => state.sort.startsWith("-"));
}

// -- evidence -----------------------------------------------------------------------

// The sentence cut at every span boundary; each piece is marked with the spans over it.
function highlight(container, sentence, spans) {
  const valid = spans.filter((s) => s.span && s.span[0] >= 0 && s.span[1] <= sentence.length && s.span[0] < s.span[1]);
  const cuts = [...new Set([0, sentence.length, ...valid.flatMap((s) => s.span)])].sort((a, b) => a - b);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const kinds = valid.filter((s) => s.span[0] <= a && b <= s.span[1]).map((s) => s.kind);
    const text = sentence.slice(a, b);
    if (kinds.length) container.append("mark").attr("class", kinds.join(" ")).attr("title", kinds.join(", ")).text(text);
    else container.append("span").text(text);
  }
}

function evidence(container, event) {
  const box = container.append("div").attr("class", "evidence");
  highlight(box, event.sentence ?? "", [
    { kind: "source", span: event.source?.span },
    { kind: "target", span: event.target?.span },
    { kind: "trigger", span: event.trigger_span },
  ]);
}

function fields(container, pairs) {
  const dl = container.append("dl").attr("class", "fields");
  for (const [name, value] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    dl.append("dt").text(name);
    const dd = dl.append("dd");
    if (value instanceof Function) value(dd); else dd.text(value);
  }
}

function actorText(a) {
  if (!a) return null;
  return `${a.text}` + (a.code ? ` [${a.code}]` : " [sin código]") + (a.resolved_from ? ` ← ${a.resolved_from}` : "");
}

function quotesList(container, quotes) {
  for (const q of quotes) {
    const b = container.append("blockquote").attr("class", "quote");
    b.append("div").text(q.quote);
    b.append("div").attr("class", "muted").text(
      `${q.speaker ? q.speaker.text + (q.speaker.code ? ` [${q.speaker.code}]` : "") : "¿?"} · ${q.verb ?? ""} · ${q.kind}`);
  }
}

async function showEvent(eventId) {
  const panel = d3.select("#detail");
  const body = d3.select("#detail-body");
  body.selectAll("*").remove();
  panel.property("hidden", false);
  d3.selectAll("#events tbody tr").classed("selected", function () { return this.dataset.eventId === eventId; });
  let e;
  try {
    e = await api(`/events/${encodeURIComponent(eventId)}`);
  } catch (err) {
    showError("#detail-body", err);
    return;
  }
  body.attr("data-event-id", e.event_id);
  body.append("h2").text(`${e.cameo} · ${e.cameo_label ?? ""}`);
  evidence(body, e);
  const keys = body.append("div").attr("class", "keys");
  keys.append("mark").attr("class", "trigger").text("desencadenante");
  keys.append("mark").attr("class", "source").text("fuente");
  keys.append("mark").attr("class", "target").text("destino");
  const loc = e.location;
  fields(body, [
    ["Fuente", actorText(e.source)],
    ["Destino", actorText(e.target)],
    ["CAMEO", `${e.cameo} (raíz ${e.cameo_root}) · QuadClass ${e.quad_class} · Goldstein ${e.goldstein}`],
    ["PLOVER", e.plover_type ? `${e.plover_type}${e.plover_mode ? " / " + e.plover_mode : ""}` : null],
    ["Modalidad", e.modality + (e.symmetric ? " · simétrico" : "")],
    ["Fecha", [e.date ?? e.event_day, e.date_precision, e.date_source, e.date_phrase && `«${e.date_phrase}»`]
      .filter(Boolean).join(" · ")],
    ["Lugar", loc ? [loc.name, loc.admin1, loc.country, loc.text && loc.text !== loc.name ? `«${loc.text}»` : null, loc.how]
      .filter(Boolean).join(" · ") : null],
    ["Regla", e.rule],
    ["Confianza", e.confidence?.toFixed(2)],
    ["Menciones", e.mentions > 1 ? `${e.mentions} oraciones` : null],
    ["Artículo", (dd) => dd.append("a").attr("class", "article-link")
      .attr("href", `#/article/${encodeURIComponent(e.article_id)}`)
      .text(e.article?.title ? `${e.article.title} (${e.article_id})` : e.article_id)],
  ]);
  if (e.quotes.length) {
    body.append("h3").text("Citas");
    quotesList(body, e.quotes);
  }
}

async function showArticle(articleId) {
  d3.select("#dashboard").property("hidden", true);
  const view = d3.select("#article-view").property("hidden", false);
  view.selectAll("*").remove();
  let a;
  try {
    a = await api(`/articles/${encodeURIComponent(articleId)}`);
  } catch (err) {
    showError("#article-view", err);
    return;
  }
  view.attr("data-article-id", a.article_id);
  view.append("p").append("a").attr("href", "#/").text("← volver al panel");
  view.append("h2").text(a.title ?? a.article_id);
  view.append("p").attr("class", "muted").text([a.date, a.source, a.article_id].filter(Boolean).join(" · "));
  if (a.url) view.append("p").append("a").attr("href", a.url).attr("rel", "noreferrer").text(a.url);
  view.append("h3").text(`Eventos (${a.events.length})`);
  for (const e of a.events) {
    const card = view.append("div").attr("class", "event").attr("data-event-id", e.event_id)
      .on("click", () => showEvent(e.event_id));
    card.append("div").text(`${e.cameo} ${e.cameo_label ?? ""} · ${actorCell(e.source)} → ${actorCell(e.target)} · ${e.modality}`);
    evidence(card, e);
  }
  view.append("h3").text(`Citas (${a.quotes.length})`);
  quotesList(view, a.quotes);
}

// -- wiring -------------------------------------------------------------------------

async function refresh() {
  const jobs = [["#timeline", drawTimeline], ["#network", drawNetwork], ["#map", drawMap], ["#events tbody", () => loadTable()]];
  await Promise.all(jobs.map(([where, job]) => job().catch((err) => showError(where, err))));
  document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
}

function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash.startsWith("/article/")) {
    d3.select("#detail").property("hidden", true);
    showArticle(hash.slice("/article/".length));
    return;
  }
  d3.select("#article-view").property("hidden", true);
  d3.select("#dashboard").property("hidden", false);
  if (hash.startsWith("/event/")) showEvent(hash.slice("/event/".length));
  else d3.select("#detail").property("hidden", true);
}

function init() {
  const roots = d3.range(1, 21).map((n) => String(n).padStart(2, "0"));
  d3.select("#filters [name=root]").selectAll("option.root").data(roots).join("option")
    .attr("class", "root").attr("value", (d) => d).text((d) => d);
  drawLegend();
  const form = document.getElementById("filters");
  form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
  form.addEventListener("reset", () => setTimeout(refresh, 0));
  document.getElementById("more").addEventListener("click", () => loadTable(true));
  document.getElementById("detail-close").addEventListener("click", () => {
    d3.select("#detail").property("hidden", true);
    if (location.hash.startsWith("#/event/")) history.replaceState(null, "", "#/");
  });
  d3.selectAll("#events th[data-sort]").on("click", function () {
    const key = this.dataset.sort;
    state.sort = state.sort === `-${key}` ? key : `-${key}`;
    loadTable();
  });
  d3.selectAll("#level-toggle button").on("click", function () {
    state.level = this.dataset.level;
    d3.selectAll("#level-toggle button").classed("on", function () { return this.dataset.level === state.level; });
    drawNetwork().catch((err) => showError("#network", err));
  });
  window.addEventListener("hashchange", route);
  refresh();
  route();
}

init();
