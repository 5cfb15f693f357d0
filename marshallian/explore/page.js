/* The explorer page: controls, equilibrium table, PPF (Fig. 1), region map, conditions.
 * Every number shown comes from marshallian.solution (runtime.js over the generated
 * MODELS); this file only draws. */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const PALETTE = ["#cfe3f3", "#fbe3b4", "#c8eadf", "#f6cdb8", "#ead1e3", "#fdf6b5", "#dddddd",
                 "#b8d6ee", "#f3c88c", "#a9dcc9"];
const EQ_COLOURS = ["#d55e00", "#009e73", "#cc79a7", "#0072b2", "#e69f00", "#56b4e9"];
// region map: the plane of figures.regions (log x in X_RANGE, theta_1 in THETA_RANGE)
const REGION = {x: [0.2, 5.0], theta: [1.05, 4.0], nx: 72, ny: 48};

/* Slider ranges (the number box takes any value; the model's rules judge it). */
function sliderRange(name) {
  if (/^lam_/.test(name)) return {min: 0.1, max: 10, log: true};
  if (name === "alpha") return {min: 0.001, max: 0.2, log: true};
  if (name === "beta") return {min: 0.01, max: 0.99, log: false};
  if (/^Lbar/.test(name)) return {min: 1, max: 1000, log: true};
  if (/^theta/.test(name)) return {min: 1.01, max: 5, log: false};
  if (name === "L_S") return {min: 10, max: 2000, log: true};
  if (name === "L_N") return {min: 100, max: 10000, log: true};
  if (/^mu_/.test(name)) return {min: 0.01, max: 0.99, log: false};
  return {min: 0.01, max: 100, log: true};
}
const STEPS = 1000;
function toSlider(r, x) {
  const t = r.log ? (Math.log(x) - Math.log(r.min)) / (Math.log(r.max) - Math.log(r.min))
                  : (x - r.min) / (r.max - r.min);
  return Math.round(Math.min(1, Math.max(0, t)) * STEPS);
}
function fromSlider(r, s) {
  const t = s / STEPS;
  const x = r.log ? Math.exp(Math.log(r.min) + t * (Math.log(r.max) - Math.log(r.min)))
                  : r.min + t * (r.max - r.min);
  return Number(x.toPrecision(4));
}

const NAME_HTML = [
  [/^lam_(\d+)([SN])$/, "λ<sub>$1$2</sub>"], [/^theta_(\d+)$/, "θ<sub>$1</sub>"],
  [/^theta$/, "θ"], [/^Lbar_(\d+)$/, "L̄<sub>$1</sub>"], [/^Lbar$/, "L̄"],
  [/^L_([SN])$/, "L<sub>$1</sub>"], [/^mu_(\d+)$/, "μ<sub>$1</sub>"], [/^alpha$/, "α"],
  [/^beta$/, "β"]];
function nameHtml(name) {
  for (const [re, rep] of NAME_HTML) if (re.test(name)) return name.replace(re, rep);
  return name;
}
const RULE_WORDS = {
  beta: "β is the modern technology's productivity before any externality: it must lie strictly between 0 and 1.",
  theta: "θ is the modern (externality) technology's productivity at a full cluster relative to the backward one: it must exceed 1.",
  shares: "The Cobb-Douglas shares μ₁, μ₂ of North's demand must add up to 1.",
  positive: "Every parameter of the model is a positive, finite number.",
};
function ruleWords(v) {
  if (/^theta/.test(v.name)) return RULE_WORDS.theta;
  if (v.name === "beta" && /beta < 1/.test(v.rule)) return RULE_WORDS.beta;
  if (/^mu_.*\+/.test(v.name)) return RULE_WORDS.shares;
  if (/must be (> 0|a number|finite)|magnitude/.test(v.rule)) return RULE_WORDS.positive;
  return "";
}
function fmt(x, digits) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return Number(x.toPrecision(digits || 4)).toString();
}
function el(tag, attrs, children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "html") e.innerHTML = v; else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children || []) e.appendChild(c);
  return e;
}
function svg(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

// ------------------------------------------------------------------ state and controls
const ui = {model: INITIAL_MODEL, useTheta: true, text: {}, regionTimer: null};

function modelData() { return MODELS[ui.model]; }

/* Names of the inputs shown: the model's parameters, theta in place of Lbar if chosen. */
function controlNames() {
  const m = modelData();
  const lbarToTheta = Object.fromEntries(Object.entries(m.thetas).map(([t, i]) => [i.Lbar, t]));
  return m.params.map(s => (ui.useTheta && lbarToTheta[s.name]) ? lbarToTheta[s.name] : s.name);
}

function defaultText(name) {
  const m = modelData();
  const spec = m.params.find(s => s.name === name);
  if (spec) return String(spec.default);
  const v = m.params.map(s => s.default);
  return String(Number(m.definitions[name](v).toPrecision(12)));
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
function parsedInputs() {
  const out = {};
  for (const name of controlNames()) {
    const text = (ui.text[name] ?? defaultText(name)).trim();
    out[name] = NUMBER_RE.test(text) ? Number(text) : text;
  }
  return out;
}

function buildControls() {
  const box = document.getElementById("controls");
  box.innerHTML = "";
  const m = modelData();
  for (const name of controlNames()) {
    const spec = m.params.find(s => s.name === name);
    const r = sliderRange(name);
    const text = ui.text[name] ?? defaultText(name);
    const slider = el("input", {type: "range", min: 0, max: STEPS, step: 1, id: "slider-" + name,
                                "aria-label": name});
    const x = Number(text);
    slider.value = Number.isFinite(x) && x > 0 ? toSlider(r, x) : 0;
    const input = el("input", {type: "text", id: "input-" + name, value: text, size: 8,
                               "aria-label": name, inputmode: "decimal"});
    const title = spec ? spec.description : m.thetas[name].description;
    const row = el("div", {class: "control", title}, [
      el("label", {for: "input-" + name, html: nameHtml(name)}), slider, input]);
    slider.addEventListener("input", () => {
      const value = fromSlider(r, Number(slider.value));
      setText(name, String(value));
      coupleShares(name, value);
      update();
    });
    input.addEventListener("input", () => { setText(name, input.value, true); update(); });
    box.appendChild(row);
  }
  const lbarNote = el("p", {id: "lbar-note", class: "note"});
  box.appendChild(lbarNote);
}

function setText(name, text, fromInput) {
  ui.text[name] = text;
  const input = document.getElementById("input-" + name);
  if (input && !fromInput) input.value = text;
  const slider = document.getElementById("slider-" + name);
  const x = Number(text);
  if (slider && fromInput && Number.isFinite(x) && x > 0) slider.value = toSlider(sliderRange(name), x);
}

/* Moving one share's slider sets the other to 1 minus it (typing does not: the rule is
 * then shown if they do not add up). */
function coupleShares(name, value) {
  const shares = modelData().params.map(s => s.name).filter(n => /^mu_/.test(n));
  if (shares.length === 2 && shares.includes(name)) {
    const other = shares[0] === name ? shares[1] : shares[0];
    setText(other, String(Number((1 - value).toPrecision(6))));
    const slider = document.getElementById("slider-" + other);
    if (slider) slider.value = toSlider(sliderRange(other), 1 - value);
  }
}

// ------------------------------------------------------------------ update
function update() {
  saveHash();
  const params = parsedInputs();
  const box = document.getElementById("violations");
  let sol = null;
  try {
    sol = marshallian.solution(ui.model, params);
  } catch (err) {
    if (!(err instanceof InvalidParameterError || err instanceof SolverError)) throw err;
    box.innerHTML = "";
    if (err instanceof SolverError) {
      box.appendChild(el("p", {html: `<b>No answer at these parameters:</b> ${escapeHtml(err.message)}.`}));
    } else {
      box.appendChild(el("p", {html: "<b>Outside the model's assumptions — no answer is shown.</b>"}));
      const ul = el("ul");
      for (const v of err.violations) {
        ul.appendChild(el("li", {class: "violation", "data-name": v.name,
          html: `<code>${escapeHtml(v.name)} = ${escapeHtml(pyRepr(v.value))}</code>: ${escapeHtml(v.rule)}. ${ruleWords(v)}`}));
      }
      box.appendChild(ul);
    }
    box.hidden = false;
    document.body.classList.add("invalid");
    renderTable(null);
    renderPPF(null, null);
    renderConditions(null);
    scheduleRegions(null);
    return;
  }
  box.hidden = true;
  document.body.classList.remove("invalid");
  const note = document.getElementById("lbar-note");
  const derived = Object.entries(sol.lbar_from_theta || {});
  note.innerHTML = derived.length ? derived.map(([lb, t]) =>
    `${nameHtml(lb)} = (${nameHtml(t)} − ${t === "theta" ? "1" : "β"})/α = ${fmt(sol.params[lb], 6)}`).join("; ")
    : Object.keys(modelData().thetas).map(t =>
      `${nameHtml(t)} = ${fmt(modelData().definitions[t](modelData().params.map(s => sol.params[s.name])), 6)}`).join("; ");
  renderTable(sol);
  renderPPF(sol, params);
  renderConditions(sol);
  scheduleRegions(sol);
  document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
}

// ------------------------------------------------------------------ equilibria table
function renderTable(sol) {
  const body = document.querySelector("#equilibria tbody");
  body.innerHTML = "";
  const info = document.getElementById("prices");
  if (!sol) { info.textContent = ""; return; }
  const north = Object.entries(sol.north.configuration).map(([j, c]) => `${j}: ${c}`).join(", ");
  info.innerHTML = "World prices (North's autarky, North's wage = 1): " +
    Object.entries(sol.prices).map(([j, p]) => `p<sub>${j}</sub>* = ${fmt(p, 6)}`).join(", ") +
    `. North's configuration: ${north}.` +
    (sol.warnings || []).map(w => `<br><b class="warning">Note:</b> ${escapeHtml(w)}.`).join("");
  sol.equilibria.forEach((e, i) => {
    const acts = e.activities.map(a => `${a.sector}:${a.technology} = ${fmt(a.labor, 5)}` +
      (a.state === "rising" ? " (rising)" : "")).join(", ");
    const notes = [];
    if (e.degenerate) notes.push(`knife edge: ${e.degeneracy}`);
    if (e.interior) notes.push("critical mass");
    if (e.certificate && !e.certificate.verified) notes.push("NOT VERIFIED");
    const tr = el("tr", {class: "eq " + e.stability, "data-stability": e.stability}, [
      el("td", {text: String(i + 1)}),
      el("td", {html: `<span class="swatch" style="background:${EQ_COLOURS[i % EQ_COLOURS.length]}"></span>` +
                      escapeHtml(labelFromParts(e.activities))}),
      el("td", {class: "acts", text: acts}),
      el("td", {class: "num wage", text: fmt(e.wage, 6)}),
      el("td", {class: "num gap", text: fmt(e.income_gap, 6)}),
      el("td", {class: "stability", text: e.stability}),
      el("td", {text: notes.join("; ")})]);
    body.appendChild(tr);
  });
}

// ------------------------------------------------------------------ PPF (Fig. 1)
/* Sector outputs with N_j workers in sector j, each sector using its best technology
 * (policy.ppf): outputs come from the generated pay functions at price 1. */
function sectorOutput(model, v, sectorLabor) {
  const L = model.activities.map(a => sectorLabor[model.sectors.indexOf(a.sector)]);
  const phi = model.pays(v, model.sectors.map(() => 1), L);
  return model.sectors.map(j => Math.max(...model.activities.map((a, k) =>
    a.sector === j ? phi[k] * L[k] : -Infinity)));
}
function productionPoint(model, v, e) {
  const L = model.activities.map(a => {
    const x = e.activities.find(b => b.sector === a.sector && b.technology === a.technology);
    return x ? x.labor : 0;
  });
  const phi = model.pays(v, model.sectors.map(() => 1), L);
  return model.sectors.map(j => model.activities.reduce(
    (s, a, k) => s + (a.sector === j ? phi[k] * L[k] : 0), 0));
}

function renderPPF(sol) {
  const box = document.getElementById("ppf");
  box.innerHTML = "";
  const W = 460, H = 380, m = {l: 58, r: 16, t: 14, b: 46};
  const root = svg("svg", {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img",
                           "aria-label": "production possibility frontier"});
  box.appendChild(root);
  if (!sol) {
    const t = svg("text", {x: W / 2, y: H / 2, "text-anchor": "middle", class: "muted"});
    t.textContent = "no frontier: parameters outside the model's assumptions";
    root.appendChild(t);
    return;
  }
  const model = modelData();
  const v = model.params.map(s => sol.params[s.name]);
  const vNC = model.params.map(s => s.name === "alpha" ? 0 : sol.params[s.name]);
  const LS = sol.params.L_S, n = 241;
  const pts = [], nc = [];
  for (let i = 0; i < n; i++) {
    const N2 = LS * i / (n - 1);
    const q = sectorOutput(model, v, [LS - N2, N2]);
    const qnc = sectorOutput(model, vNC, [LS - N2, N2]);
    pts.push([q[1], q[0]]);
    nc.push([qnc[1], qnc[0]]);
  }
  const p1 = sol.prices["1"], p2 = sol.prices["2"];
  const eqPoints = sol.equilibria.map(e => productionPoint(model, v, e));
  // axes end at a round number above the frontier: moving a parameter moves the curve
  const xmax = niceCeil(1.05 * Math.max(...pts.map(p => p[0]), ...nc.map(p => p[0])));
  const ymax = niceCeil(1.05 * Math.max(...pts.map(p => p[1]), ...nc.map(p => p[1])));
  const X = x => m.l + (W - m.l - m.r) * x / xmax, Y = y => H - m.b - (H - m.t - m.b) * y / ymax;
  axes(root, X, Y, xmax, ymax, W, H, m, "Q₂ (good 2)", "Q₁ (good 1)");
  const clip = svg("clipPath", {id: "ppf-clip"});
  clip.appendChild(svg("rect", {x: m.l, y: m.t, width: W - m.l - m.r, height: H - m.t - m.b}));
  root.appendChild(clip);
  const path = p => p.map((q, i) => `${i ? "L" : "M"}${X(q[0]).toFixed(2)},${Y(q[1]).toFixed(2)}`).join("");
  root.appendChild(svg("path", {d: path(nc), class: "ppf-nc", id: "ppf-nc"}));
  root.appendChild(svg("path", {d: path(pts), class: "ppf", id: "ppf-curve"}));
  sol.equilibria.forEach((e, i) => {
    const [q1, q2] = eqPoints[i];
    const colour = EQ_COLOURS[i % EQ_COLOURS.length];
    if (e.stable) {
      const value = p1 * q1 + p2 * q2;   // world price line through a stable equilibrium
      root.appendChild(svg("line", {x1: X(0), y1: Y(value / p1), x2: X(value / p2), y2: Y(0),
        stroke: colour, class: "price-line", "clip-path": "url(#ppf-clip)"}));
    }
    if (e.vertices) {   // a continuum: every split between its end points is an equilibrium
      const ends = e.vertices.map(vx => productionPoint(model, v, {activities: vx}));
      root.appendChild(svg("path", {d: path(ends.map(q => [q[1], q[0]])), class: "continuum",
                                    stroke: colour, "clip-path": "url(#ppf-clip)"}));
    }
    const c = svg("circle", {cx: X(q2), cy: Y(q1), r: 5.5, class: "eq-point",
      fill: e.stable ? colour : "white", stroke: e.stable ? "#222" : colour});
    const tip = svg("title");
    tip.textContent = `${labelFromParts(e.activities)}: w = ${fmt(e.wage)}, gap = ${fmt(e.income_gap)} (${e.stability})`;
    c.appendChild(tip);
    root.appendChild(c);
  });
  const legend = document.getElementById("ppf-legend");
  legend.innerHTML = `<span class="key ppf-key"></span> PPF &nbsp; <span class="key nc-key"></span> PPF<sub>NC</sub> (α = 0) ` +
    `&nbsp; dash-dot: world price lines (slope p<sub>2</sub>*/p<sub>1</sub>* = ${fmt(p2 / p1)}) through the stable equilibria; ` +
    "filled dots stable, hollow ones not" +
    (sol.equilibria.some(e => e.vertices) ? "; a wide band: a continuum of equilibria (its end points)." : ".");
}

function niceCeil(x) {
  const mag = Math.pow(10, Math.floor(Math.log10(x)));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map(s => s * mag).find(s => s >= x);
}

function niceTicks(max, count) {
  const raw = max / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(s => s * mag).find(s => s >= raw);
  const out = [];
  for (let t = 0; t <= max + 1e-9 * max; t += step) out.push(t);
  return out;
}

function axes(root, X, Y, xmax, ymax, W, H, m, xlabel, ylabel) {
  const g = svg("g", {class: "axes"});
  g.appendChild(svg("line", {x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b}));
  g.appendChild(svg("line", {x1: m.l, y1: m.t, x2: m.l, y2: H - m.b}));
  for (const t of niceTicks(xmax, 5)) {
    g.appendChild(svg("line", {x1: X(t), y1: H - m.b, x2: X(t), y2: H - m.b + 4}));
    const s = svg("text", {x: X(t), y: H - m.b + 16, "text-anchor": "middle"});
    s.textContent = fmt(t, 3);
    g.appendChild(s);
  }
  for (const t of niceTicks(ymax, 5)) {
    g.appendChild(svg("line", {x1: m.l - 4, y1: Y(t), x2: m.l, y2: Y(t)}));
    const s = svg("text", {x: m.l - 7, y: Y(t) + 4, "text-anchor": "end"});
    s.textContent = fmt(t, 3);
    g.appendChild(s);
  }
  const xl = svg("text", {x: (m.l + W - m.r) / 2, y: H - 8, "text-anchor": "middle", class: "label"});
  xl.textContent = xlabel;
  const yl = svg("text", {x: 14, y: (m.t + H - m.b) / 2, "text-anchor": "middle", class: "label",
                          transform: `rotate(-90 14 ${(m.t + H - m.b) / 2})`});
  yl.textContent = ylabel;
  g.appendChild(xl);
  g.appendChild(yl);
  root.appendChild(g);
}

// ------------------------------------------------------------------ region map
/* figures.regions.point_params: x moves lam_1S, theta_1 moves Lbar_1 (alpha in §2). */
function pointParams(base, x, theta) {
  const p = Object.assign({}, base);
  p.lam_1S = x * p.lam_1N * p.lam_2S / p.lam_2N;
  if (ui.model === "standard") p.alpha = (theta - 1) / p.Lbar;
  else p.Lbar_1 = (theta - p.beta) / p.alpha;
  return p;
}

function scheduleRegions(sol) {
  if (ui.regionTimer) clearTimeout(ui.regionTimer);
  ui.regionTimer = setTimeout(() => { ui.regionTimer = null; renderRegions(sol); }, 120);
}

function renderRegions(sol) {
  const canvas = document.getElementById("regions");
  const ctx = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, m = {l: 56, r: 12, t: 10, b: 44};
  ctx.clearRect(0, 0, W, H);
  const legend = document.getElementById("regions-legend");
  legend.innerHTML = "";
  if (!sol) {
    ctx.fillStyle = "#777";
    ctx.font = "13px sans-serif";
    ctx.textAlign = "center";
    ctx.fillText("no map: parameters outside the model's assumptions", W / 2, H / 2);
    canvas.dataset.cells = "0";
    return;
  }
  const {nx, ny} = REGION;
  const lx0 = Math.log(REGION.x[0]), lx1 = Math.log(REGION.x[1]);
  const keys = new Map(), counts = [];
  const index = [];
  for (let i = 0; i < ny; i++) {
    const theta = REGION.theta[0] + (REGION.theta[1] - REGION.theta[0]) * i / (ny - 1);
    for (let k = 0; k < nx; k++) {
      const x = Math.exp(lx0 + (lx1 - lx0) * k / (nx - 1));
      let key = null;
      try {
        key = stableLabels(ui.model, pointParams(sol.params, x, theta)).join(" | ")
          || "no stable equilibrium";
      } catch (err) {   // a white cell: outside the assumptions, or no answer there
        if (!(err instanceof InvalidParameterError || err instanceof SolverError)) throw err;
      }
      if (key !== null && !keys.has(key)) { keys.set(key, keys.size); counts.push(0); }
      if (key !== null) counts[keys.get(key)]++;
      index.push(key === null ? -1 : keys.get(key));
    }
  }
  const order = [...keys.entries()].sort((a, b) => counts[b[1]] - counts[a[1]] || (a[0] < b[0] ? -1 : 1));
  const colour = {};
  order.forEach(([, id], n) => { colour[id] = PALETTE[n % PALETTE.length]; });
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const X = x => m.l + pw * (Math.log(x) - lx0) / (lx1 - lx0);
  const Y = t => H - m.b - ph * (t - REGION.theta[0]) / (REGION.theta[1] - REGION.theta[0]);
  const cw = pw / nx, ch = ph / ny;
  for (let i = 0; i < ny; i++) for (let k = 0; k < nx; k++) {
    const id = index[i * nx + k];
    ctx.fillStyle = id < 0 ? "#ffffff" : colour[id];
    ctx.fillRect(m.l + k * cw, H - m.b - (i + 1) * ch, Math.ceil(cw), Math.ceil(ch));
  }
  // axes
  ctx.strokeStyle = "#333";
  ctx.fillStyle = "#333";
  ctx.font = "11px sans-serif";
  ctx.beginPath();
  ctx.moveTo(m.l, m.t); ctx.lineTo(m.l, H - m.b); ctx.lineTo(W - m.r, H - m.b); ctx.stroke();
  ctx.textAlign = "center";
  for (const t of [0.2, 0.5, 1, 2, 5]) {
    ctx.beginPath(); ctx.moveTo(X(t), H - m.b); ctx.lineTo(X(t), H - m.b + 4); ctx.stroke();
    ctx.fillText(String(t), X(t), H - m.b + 15);
  }
  ctx.textAlign = "right";
  for (const t of [1.5, 2, 2.5, 3, 3.5, 4]) {
    ctx.beginPath(); ctx.moveTo(m.l - 4, Y(t)); ctx.lineTo(m.l, Y(t)); ctx.stroke();
    ctx.fillText(String(t), m.l - 6, Y(t) + 4);
  }
  ctx.textAlign = "center";
  ctx.fillText("comparative advantage in good 1: x = (λ1S/λ1N)/(λ2S/λ2N)  (log scale)", m.l + pw / 2, H - 8);
  ctx.save();
  ctx.translate(14, m.t + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(ui.model === "standard" ? "θ = 1 + αL̄" : "θ1 = β + αL̄1", 0, 0);
  ctx.restore();
  // the current point
  const p = sol.params;
  const x0 = (p.lam_1S / p.lam_1N) / (p.lam_2S / p.lam_2N);
  const model = modelData();
  const th0 = model.definitions[ui.model === "standard" ? "theta" : "theta_1"](model.params.map(s => p[s.name]));
  const inside = x0 >= REGION.x[0] && x0 <= REGION.x[1] && th0 >= REGION.theta[0] && th0 <= REGION.theta[1];
  const cx = Math.min(Math.max(X(x0), m.l), W - m.r), cy = Math.min(Math.max(Y(th0), m.t), H - m.b);
  ctx.lineWidth = 2;
  ctx.strokeStyle = "#000";
  ctx.fillStyle = inside ? "#d62728" : "#ffffff";
  ctx.beginPath(); ctx.arc(cx, cy, 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
  ctx.lineWidth = 1;
  canvas.dataset.cells = String(index.filter(i => i >= 0).length);
  canvas.dataset.marker = `${x0},${th0}`;
  for (const [key, id] of order) {
    legend.appendChild(el("li", {html: `<span class="swatch" style="background:${colour[id]}"></span>` + escapeHtml(key)}));
  }
  if (index.some(i => i < 0))
    legend.appendChild(el("li", {html: '<span class="swatch" style="background:#fff"></span>parameters outside the assumptions (or no answer)'}));
  legend.appendChild(el("li", {class: "note", text: `marker: the current parameters (x = ${fmt(x0)}, θ = ${fmt(th0)})` +
    (inside ? "" : " — outside the plotted range, drawn hollow at the edge")}));
}

// ------------------------------------------------------------------ conditions
function renderConditions(sol) {
  const box = document.getElementById("conditions-list");
  box.innerHTML = "";
  const model = modelData();
  // the conditions assume the paper's North (full clusters): not evaluated where it fails
  const applies = sol && !(sol.warnings && sol.warnings.length);
  const v = applies ? model.params.map(s => sol.params[s.name]) : null;
  for (const c of model.conditions) {
    const parts = c.activities.map(([sector, technology], i) => ({sector, technology, state: c.states[i]}));
    const holds = (v && c.holds) ? c.holds(v) : null;
    const li = el("li", {class: holds === null ? "" : (holds ? "holds" : "fails")}, [
      el("div", {class: "cond-head", html: `<b>${escapeHtml(labelFromParts(parts))}</b> ` +
        `<code class="muted">${escapeHtml(parts.map(activityLabel).join(" + "))}</code> ` +
        `<span class="muted">[${c.stable ? "stable where it exists strictly" : "unstable"}]</span>` +
        (holds === null ? "" : ` — <span class="verdict">${holds ? "holds here" : "fails here"}</span>`)}),
      el("div", {class: "cond", html: "exists iff " + c.html}),
      el("div", {class: "cond muted", html: c.wage})]);
    box.appendChild(li);
  }
  if (model.conditionDefinitions)
    box.insertBefore(el("li", {class: "note", html: "where " + model.conditionDefinitions}), box.firstChild);
  const premise = model.conditions.length ? model.conditions[0].premise : "";
  document.getElementById("premise").textContent = (premise ? `Premise of these conditions: ${premise}.` : "") +
    (sol && !applies ? " It fails at the current parameters (see the note above the equilibria), so the conditions are not evaluated here." : "");
}

// ------------------------------------------------------------------ scenarios and links
/* The paper's cases, as parameter values (declared names; theta shown if chosen). */
const SCENARIOS = {
  standard: [
    ["Defaults: both specialisations are equilibria (CA and (P) hold)", {}],
    ["S1: every λ = 1 — a continuum and a weak equilibrium", {lam_1S: 1, lam_2S: 1, lam_1N: 1, lam_2N: 1}],
    ["No comparative advantage in good 2 (λ2S = 0.9): only spec. in 1", {lam_2S: 0.9}],
    ["Weak externality (θ = 1.1 < λ2S/λ1S = 1.2): only spec. in 2", {Lbar: 10}],
  ],
  alternative: [
    ["Defaults: (*) holds — a cluster in 1 or in 2, or no cluster", {}],
    ["A2: every λ = 1 and θ1 = θ2 — knife edges", {lam_1S: 1, lam_2S: 1, lam_1N: 1, lam_2N: 1, Lbar_2: 100}],
    ["(*) fails (λ1S = 3, x > θ1): no cluster in good 2", {lam_1S: 3}],
    ["A9 fails (λ2S = 1.6): spec. in 2 without a cluster appears", {lam_2S: 1.6}],
  ],
};

/* Texts of the inputs for declared values, in the current theta/Lbar mode. */
function textsFor(values) {
  const m = modelData();
  const full = Object.fromEntries(m.params.map(s => [s.name, s.name in values ? values[s.name] : s.default]));
  const v = m.params.map(s => full[s.name]);
  const text = {};
  for (const name of controlNames()) {
    text[name] = name in full ? String(full[name]) : String(Number(m.definitions[name](v).toPrecision(10)));
  }
  return text;
}

function buildScenarios() {
  const select = document.getElementById("scenario");
  select.innerHTML = "";
  select.appendChild(el("option", {value: "", text: "Scenarios from the paper…"}));
  SCENARIOS[ui.model].forEach(([label], i) => select.appendChild(el("option", {value: String(i), text: label})));
}

/* The current state as a link: #model=...&enter=theta|Lbar&NAME=TEXT (texts, read back as
 * data; "enter" says whether the theta's or the Lbar's are the inputs). */
function saveHash() {
  const q = new URLSearchParams({model: ui.model, enter: ui.useTheta ? "theta" : "Lbar"});
  for (const name of controlNames()) if (name in ui.text) q.set(name, ui.text[name]);
  try { history.replaceState(null, "", "#" + q.toString()); } catch (err) { /* e.g. sandboxed frame */ }
}

function applyHash() {
  const q = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (q.has("model") && Object.prototype.hasOwnProperty.call(MODELS, q.get("model"))) ui.model = q.get("model");
  if (q.has("enter")) ui.useTheta = q.get("enter") !== "Lbar";
  ui.text = {};
  const names = new Set(controlNames());
  for (const [k, x] of q.entries()) if (names.has(k)) ui.text[k] = x.slice(0, 40);
  document.getElementById("model").value = ui.model;
  document.getElementById("use-theta").checked = ui.useTheta;
  refreshModel();
}

// ------------------------------------------------------------------ start
function start() {
  const select = document.getElementById("model");
  select.value = ui.model;
  select.addEventListener("change", () => { ui.model = select.value; ui.text = {}; refreshModel(); });
  const toggle = document.getElementById("use-theta");
  toggle.checked = ui.useTheta;
  toggle.addEventListener("change", () => {
    const before = parsedInputs();
    let sol = null;
    try { sol = marshallian.solution(ui.model, before, {certificates: false}); } catch (err) { sol = null; }
    ui.useTheta = toggle.checked;
    // carry the current calibration over to the other inputs (theta <-> Lbar)
    ui.text = sol ? textsFor(sol.params) : {};
    refreshModel();
  });
  document.getElementById("reset").addEventListener("click", () => { ui.text = {}; refreshModel(); });
  const scenario = document.getElementById("scenario");
  scenario.addEventListener("change", () => {
    if (scenario.value === "") return;
    ui.text = textsFor(SCENARIOS[ui.model][Number(scenario.value)][1]);
    refreshModel();
    scenario.value = "";
  });
  window.addEventListener("hashchange", applyHash);
  if (location.hash.length > 1) applyHash(); else refreshModel();
}

function refreshModel() {
  document.getElementById("model-title").textContent = modelData().description;
  document.getElementById("paper-conditions").innerHTML = PAPER_TEXT[ui.model];
  buildScenarios();
  buildControls();
  update();
}

const PAPER_TEXT = {
  standard: "<p>Paper §2 (CA, P, Fig. 1): South specialises in good 1 in equilibrium iff " +
    "(λ<sub>2S</sub>/λ<sub>1S</sub>)/(λ<sub>2N</sub>/λ<sub>1N</sub>) &lt; θ, and in good 2 iff it has a " +
    "comparative advantage in 2 (CA: λ<sub>2S</sub>/λ<sub>1S</sub> &gt; λ<sub>2N</sub>/λ<sub>1N</sub>, given " +
    "L<sub>S</sub> &gt; L̄). Condition (P), λ<sub>1S</sub>/(θλ<sub>2S</sub>) &lt; p<sub>2</sub>*/p<sub>1</sub>* &lt; " +
    "λ<sub>1S</sub>/λ<sub>2S</sub>, gives both; the good-2 one pays more under CA. The PPF is convex " +
    "while Q<sub>2</sub> &lt; λ<sub>2S</sub>θL̄ and linear beyond.</p>",
  alternative: "<p>Paper §3: with comparative advantage in good 1, South has three stable " +
    "equilibria — spec. in 1 without a cluster (gap θ<sub>1</sub>λ<sub>1N</sub>/λ<sub>1S</sub>), " +
    "spec. in 1 with a cluster (gap λ<sub>1N</sub>/λ<sub>1S</sub>), and spec. in 2 with a cluster " +
    "(gap λ<sub>2N</sub>/λ<sub>2S</sub>) iff condition (*): (λ<sub>1S</sub>/λ<sub>1N</sub>)/(λ<sub>2S</sub>/λ<sub>2N</sub>) " +
    "&lt; θ<sub>1</sub>. The best equilibrium clusters in the sector of strongest comparative " +
    "advantage. Where (λ<sub>2N</sub>/λ<sub>2S</sub>)θ<sub>2</sub> &lt; (λ<sub>1N</sub>/λ<sub>1S</sub>)θ<sub>1</sub> " +
    "the paper's simplifying assumption fails and spec. in 2 without a cluster appears.</p>",
};

window.marshallian = marshallian;
window.addEventListener("DOMContentLoaded", start);
