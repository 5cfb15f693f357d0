/* The explorer's solver runtime: generic, model-free code around the generated MODELS.
 *
 * Every formula (closed forms of each regime, inequalities, ties, continuum vertices,
 * pays, derived conditions) comes from marshallian.solvers.jscode, printed by SymPy's
 * JavaScript printer. This file only mirrors, step by step, the float solver's generic
 * logic: marshallian.params.Parameters (validation), solvers.enumeration (tolerance
 * tests, check_candidate, continuum collapse), solvers.equilibrium (North's choice,
 * build_equilibrium, sort), solvers.verify (certificate) and results (JSON shape).
 */
"use strict";

const IDLE = STATE.idle, RISING = STATE.rising;
const STATE_NAMES = {0: "idle", 1: "rising", 2: "fixed"};

// ------------------------------------------------------------------ validation
function pyRepr(v) {
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    return Number.isInteger(v) && Math.abs(v) < 1e16 ? v.toFixed(1) : String(v);
  }
  if (typeof v === "string") return "'" + v + "'";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "None";
  return JSON.stringify(v);
}

class InvalidParameterError extends Error {
  constructor(violations) {
    super(violations.map(x => `${x.name}=${pyRepr(x.value)}: ${x.rule}`).join("; "));
    this.name = "InvalidParameterError";
    this.violations = violations;
  }
}

/* A computation without an answer (the package's SolverError), e.g. North without any
 * equilibrium when floating point loses a sector's labor at extreme magnitudes. */
class SolverError extends Error {
  constructor(message) { super(message); this.name = "SolverError"; }
}

function violation(name, value, rule) { return {name, value, rule}; }

function checkNumber(name, value, positive) {
  if (typeof value !== "number") return violation(name, value, "must be a number");
  if (!Number.isFinite(value)) return violation(name, value, "must be finite");
  if (Math.abs(value) > TOLERANCES.max_magnitude)
    return violation(name, value, `must have magnitude <= ${pyG(TOLERANCES.max_magnitude)}`);
  if (positive && !(value > 0)) return violation(name, value, "must be > 0");
  if (positive && value < TOLERANCES.min_magnitude)
    return violation(name, value, `must be >= ${pyG(TOLERANCES.min_magnitude)}`);
  return null;
}


function getModel(name) {
  if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(MODELS, name))
    throw new InvalidParameterError([violation("MODEL", name,
      "must be one of " + Object.keys(MODELS).join(", "))]);
  return MODELS[name];
}

/* Validated parameters: {values: {name: number}, v: [numbers in the model's order],
 * lbarFromTheta: {Lbar name: theta name}}. Throws InvalidParameterError listing every
 * violation in marshallian.params.Parameters' order: unknown names, each parameter, the
 * aliases (theta / theta_j in place of Lbar / Lbar_j: Lbar = (theta - c)/alpha, c = 1 or
 * beta), then the model's rules. */
function resolveParams(model, given) {
  if (given === undefined || given === null) given = {};
  if (typeof given !== "object" || Array.isArray(given))
    throw new InvalidParameterError([violation("params", typeof given,
      "must be a mapping of name: number")]);
  const specs = model.params;
  const known = new Set(specs.map(s => s.name));
  const aliases = Object.keys(model.thetas);
  const violations = [];
  for (const [k, x] of Object.entries(given)) {
    if (!known.has(k) && !aliases.includes(k))
      violations.push(violation(k, x, `unknown parameter for model '${model.name}' (known: ${[...known, ...aliases].join(", ")})`));
  }
  const merged = {};
  for (const s of specs) {
    const x = s.name in given ? given[s.name] : s.default;
    const bad = checkNumber(s.name, x, s.positive);
    if (bad) violations.push(bad);
    merged[s.name] = x;
  }
  const fromTheta = {};
  for (const [t, info] of Object.entries(model.thetas)) {
    if (!(t in given)) continue;
    const theta = given[t];
    const bad = checkNumber(t, theta, true);
    if (bad) { violations.push(bad); continue; }
    if (info.Lbar in given) {
      violations.push(violation(t, theta, `give ${t} or ${info.Lbar} (=${pyRepr(given[info.Lbar])}), not both`));
      continue;
    }
    if (!(theta > 1)) { violations.push(violation(t, theta, "must be > 1")); continue; }
    const c = info.base === null ? 1 : merged[info.base];
    if (typeof c !== "number" || typeof merged.alpha !== "number" || merged.alpha === 0) continue;
    const value = (theta - c) / merged.alpha;  // alpha or beta invalid: reported above
    const badTarget = checkNumber(info.Lbar, value, true);
    if (badTarget) {
      violations.push(violation(t, theta, `gives ${info.Lbar}=${pyRepr(value)}: ${badTarget.rule}`));
      continue;
    }
    merged[info.Lbar] = value;
    fromTheta[info.Lbar] = t;
  }
  const v = specs.map(s => merged[s.name]);
  // a rule over values that are themselves not numbers is skipped (reported above)
  const numbers = (...names) => names.every(n => typeof merged[n] === "number");
  for (const rule of model.rules) {
    if (rule.kind === "beta" && numbers("beta")) {
      if (!(merged.beta < 1)) violations.push(violation("beta", merged.beta, "must satisfy 0 < beta < 1"));
    } else if (rule.kind === "theta") {
      const info = model.thetas[rule.name];
      if (!numbers("alpha", info.Lbar, ...(info.base ? [info.base] : []))) continue;
      const theta = model.definitions[rule.name](v);
      if (!(theta > 1))
        violations.push(violation(rule.name, theta,
          `${rule.name} = ${info.base || "1"} + alpha*${info.Lbar} must be > 1`));
    } else if (rule.kind === "shares" && numbers(...rule.names)) {
      const total = rule.names.reduce((a, n) => a + merged[n], 0);
      if (Math.abs(total - 1) > TOLERANCES.share_sum_atol)
        violations.push(violation(rule.names.join("+"), total, "Cobb-Douglas shares must sum to 1"));
    }
  }
  if (violations.length) throw new InvalidParameterError(violations);
  return {values: merged, v, lbarFromTheta: fromTheta};
}

// ------------------------------------------------------------------ enumeration
function makeArith(laborScale) {
  const payRtol = TOLERANCES.pay_rtol, laborAtol = TOLERANCES.labor_rtol * laborScale;
  return {
    tie: (a, b) => Math.abs(a - b) <= payRtol * Math.max(Math.abs(a), Math.abs(b)),
    comparePay(a, b) { return this.tie(a, b) ? 0 : (a < b ? -1 : 1); },
    laborLess: (a, b, strict) => strict ? a < b - laborAtol : a <= b + laborAtol,
    laborAtol,
  };
}

/* One regime at numbers: its generated closed forms, then the checks of solve_regime's
 * run-time decisions and of check_candidate. Returns null if not an equilibrium. */
function evaluateRegime(entry, v, prices, arith) {
  const c = entry.f(v, prices);
  for (const [a, b] of c.ties) if (!arith.tie(a, b)) return null;
  let cont = c.cont;
  if (entry.fixed.length > 1 && cont.every(vx => entry.fixed.every(
      k => arith.laborLess(Math.abs(vx[k] - c.L[k]), 0, false)))) {
    cont = [];             // the tie leaves a single point (every lower bound binds)
    if (entry.flatFixed) return null;  // reported by the regime where the flat one is idle
  }
  if (!(c.w > 0)) return null;
  for (const [lhs, rhs, strict] of c.rc) if (!arith.laborLess(lhs, rhs, strict)) return null;
  const weak = [];
  for (const [k, pay, w] of c.idle) {
    const s = arith.comparePay(pay, w);
    if (s > 0) return null;
    if (s === 0) weak.push(k);
  }
  return {regime: entry.regime, method: entry.method, wage: c.w, labor: c.L, continuum: cont,
          weak, tied: c.ties.length > 0};
}

function activeCount(regime) { return regime.filter(s => s !== IDLE).length; }
function interiorRegime(regime) { return activeCount(regime) >= 2 && regime.includes(RISING); }

// ------------------------------------------------------------------ North (footnote 13)
function northOptions(model, sectorEntry, v) {
  const labor = sectorEntry.labor(v);
  const arith = makeArith(labor);
  const out = [];
  for (const entry of sectorEntry.regimes) {
    const c = evaluateRegime(entry, v, [], arith);
    if (!c) continue;
    const active = entry.activities.filter((k, i) => c.regime[i] !== IDLE);
    const configuration = active.length === 1
      ? (model.activities[active[0]].externality ? "cluster" : "backward") : "mixed";
    const techLabor = {};
    entry.activities.forEach((k, i) => {
      if (c.regime[i] !== IDLE) techLabor[model.activities[k].technology] = c.labor[i];
    });
    const rises = entry.activities.map(k => model.activities[k].externality);
    const stability = regimeStability(c, rises);
    out.push({configuration, productivity: c.wage, labor: techLabor, stability,
              stable: stability === "stable"});
  }
  return out;
}

/* North's equilibrium that sets world prices (select_north's default): every combination of
 * the sectors' options, stable ones first, then by descending productivity sector by sector
 * (a stable sort over the combinations in itertools.product order). */
/* Every equilibrium of North (north_equilibria): every combination of the sectors'
 * options, sorted stable first, then by descending productivity sector by sector (a stable
 * sort over the combinations in itertools.product order). Each is made readable by
 * northOf. */
function northEquilibria(model, v) {
  const perSector = model.north.map(s => northOptions(model, s, v));
  let combos = [[]];
  for (const options of perSector) {
    const next = [];
    for (const prefix of combos) for (let i = 0; i < options.length; i++) next.push(prefix.concat([i]));
    combos = next;
  }
  const all = combos.map(combo => {
    const parts = combo.map((c, i) => perSector[i][c]);
    return {parts, stable: parts.every(o => o.stable), productivity: parts.map(o => o.productivity)};
  });
  all.sort((a, b) => {
    if (a.stable !== b.stable) return a.stable ? -1 : 1;
    for (let i = 0; i < a.productivity.length; i++)
      if (a.productivity[i] !== b.productivity[i]) return b.productivity[i] > a.productivity[i] ? 1 : -1;
    return 0;
  });
  return all;
}

function northOf(model, n) {
  const order = ["stable", "neutral", "unstable"];   // Stability.least: the least stable part
  return {
    stability: order[Math.max(0, ...n.parts.map(o => order.indexOf(o.stability)))],
    configuration: Object.fromEntries(n.parts.map((o, i) => [model.sectors[i], o.configuration])),
    productivity: n.productivity,
    labor: Object.fromEntries(n.parts.map((o, i) => [model.sectors[i], o.labor])),
    stable: n.stable,
  };
}

/* North's equilibrium that sets world prices (select_north's default: the first). */
function selectNorth(model, v) {
  const all = northEquilibria(model, v);
  if (!all.length)
    throw new SolverError("no equilibrium of North found: at these magnitudes floating-point " +
                          "rounding loses a sector's labor (rescale the parameters)");
  return Object.assign(northOf(model, all[0]), {all});
}

/* Python's format(x, "g"): 6 significant digits, exponent below 1e-4 and from 1e6. */
function pyG(x) {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
  const [mant, e] = x.toExponential(5).split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= 6)
    return mant.replace(/\.?0+$/, "") + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  return x.toFixed(5 - exp).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

/* north_premise: why the paper's North (a full cluster in every sector that can have one)
 * is not an equilibrium, or null. */
function northPremise(model, values, v, north) {
  const short = [];
  const capOf = {};
  for (const j of model.sectors) {
    const k = model.activities.findIndex(a => a.sector === j && a.externality);
    if (k < 0) continue;
    const cap = model.caps[k](v);
    capOf[j] = {k, cap};
    const labor = values[`mu_${j}`] * values.L_N;
    if (labor < cap * (1 - TOLERANCES.premise_rtol)) {
      const capName = `Lbar_${j}` in values ? `Lbar_${j}` : "Lbar";
      short.push(`sector ${j} (mu_${j}*L_N=${pyG(labor)} < ${capName}=${pyG(cap)})`);
    }
  }
  if (!short.length) return null;
  const text = n => model.sectors.map(j => {
    let conf = n.configuration[j];
    if (conf === "cluster" && capOf[j]) {
      const tech = model.activities[capOf[j].k].technology;
      if ((n.labor[j][tech] || 0) < capOf[j].cap * (1 - TOLERANCES.premise_rtol)) conf = "partial cluster";
    }
    return `${j}=${conf}`;
  }).join(",");
  const stable = north.all.filter(n => n.stable).map(n => text(northOf(model, n)));
  return `North cannot have the paper's full cluster in ${short.join(", ")}: world prices ` +
         `come from North's equilibrium ${text(north)}; North's stable ` +
         `equilibria: ${stable.join("; ")} (choose one with north=/--north)`;
}

// ------------------------------------------------------------------ results
function jsonNumber(x) { return Number.isFinite(x) ? x : null; }

function certify(model, v, prices, labor, wage, regime, regimeName, method, LS) {
  const values = model.pays(v, prices, labor);
  const vr = TOLERANCES.verify_rtol;
  let res = 0, gain = -Infinity;
  for (let k = 0; k < regime.length; k++) {
    if (regime[k] !== IDLE && labor[k] > 0) res = Math.max(res, Math.abs(values[k] - wage) / wage);
    else gain = Math.max(gain, (values[k] - wage) / wage);
  }
  const lab = Math.abs(labor.reduce((a, b) => a + b, 0) - LS) / LS;
  const negative = labor.some(x => x < -TOLERANCES.labor_rtol * LS);
  const verified = res <= vr && gain <= vr && lab <= vr && !negative;
  return {max_pay_residual: jsonNumber(res), max_deviation_gain: jsonNumber(gain),
          labor_residual: jsonNumber(lab), regime: regimeName, method, verified};
}

function activityLabel(a) {
  return `${a.sector}:${a.technology}` + (a.state === "rising" ? "[rising]" : "");
}

function buildEquilibrium(model, c, v, prices, LS, withCertificate) {
  const acts = model.activities;
  const activeList = labor => acts.flatMap((a, k) => (c.regime[k] !== IDLE && labor[k] > 0)
    ? [{sector: a.sector, technology: a.technology, labor: labor[k],
        state: c.regime[k] === RISING ? "rising" : (a.externality ? "capped" : "flat")}] : []);
  const clusters = {};
  for (const j of model.sectors) {
    let state = "none";
    acts.forEach((a, k) => {
      if (a.sector !== j || !a.externality) return;
      if (c.regime[k] === STATE.fixed) state = "full";
      else if (c.regime[k] === RISING && state !== "full") state = "partial";
    });
    clusters[String(j)] = state;
  }
  const continuum = c.continuum.length > 0;
  const flags = [["continuum", continuum], ["tie", c.tied && !continuum], ["weak", c.weak.length > 0]];
  const degeneracy = flags.filter(f => f[1]).map(f => f[0]).join(", ") || null;
  const stability = regimeStability(c, acts.map(a => a.externality));
  const activities = activeList(c.labor);
  const interior = activities.length >= 2 && activities.some(a => a.state === "rising");
  const eq = {activities, wage: c.wage, income_gap: 1 / c.wage, stable: stability === "stable",
              stability,
              degenerate: degeneracy !== null, degeneracy, interior, clusters};
  if (withCertificate) {
    const regimeName = acts.map((a, k) => `${a.sector}:${a.technology}=${STATE_NAMES[c.regime[k]]}`).join(", ");
    const points = continuum ? c.continuum : [c.labor];
    let best = null;
    for (const p of points) {
      const cert = certify(model, v, prices, p, c.wage, c.regime, regimeName, c.method, LS);
      const key = [!cert.verified ? 1 : 0, cert.max_pay_residual];
      if (best === null || key[0] > best.key[0] || (key[0] === best.key[0] && key[1] > best.key[1]))
        best = {cert, key};
    }
    eq.certificate = best.cert;
  }
  if (continuum) eq.vertices = c.continuum.map(activeList);
  eq.label = activities.map(activityLabel).join(" + ");
  return eq;
}

/* The one Marshallian stability rule, in three states (solvers.stability.regime_stability):
 * unstable for an interior regime (a critical mass), a tie pinned by the caps, or a weak
 * equilibrium where an entrant (or a lone rising activity) moves pay the wrong way;
 * neutral for a continuum or a weak equilibrium at flat pays; stable otherwise.
 * risesOnEntry[k]: activity k's pay rises with its own labor (it has an externality). */
function regimeStability(c, risesOnEntry) {
  const states = c.regime;
  const rising = states.some(s => s === RISING);
  if (activeCount(states) >= 2 && rising) return "unstable";
  const continuum = c.continuum.length > 0;
  if (c.tied && !continuum) return "unstable";
  if (c.weak.length) {
    if (rising || c.weak.some(k => risesOnEntry[k])) return "unstable";
    return "neutral";
  }
  return continuum ? "neutral" : "stable";
}

function pyLess(a, b) { return a < b ? -1 : (a > b ? 1 : 0); }

/* The full result, as Solution.to_dict(): model, params, prices, equilibria, north. */
function solution(modelName, given, options) {
  const withCertificate = !(options && options.certificates === false);
  const model = getModel(modelName);
  const P = resolveParams(model, given);
  const v = P.v;
  const north = selectNorth(model, v);
  const prices = north.productivity.map(x => 1 / x);
  const LS = P.values.L_S;
  const arith = makeArith(LS);
  const eqs = [];
  for (const entry of model.south) {
    const c = evaluateRegime(entry, v, prices, arith);
    if (c) eqs.push(buildEquilibrium(model, c, v, prices, LS, withCertificate));
  }
  eqs.sort((a, b) => pyLess(a.income_gap, b.income_gap) || pyLess(a.label, b.label));
  for (const e of eqs) delete e.label;
  const premise = northPremise(model, P.values, v, north);
  return {
    ...(premise === null ? {} : {warnings: [premise]}),
    model: model.name, params: P.values,
    prices: Object.fromEntries(model.sectors.map((j, i) => [String(j), prices[i]])),
    equilibria: eqs, exact: false,
    north: {configuration: Object.fromEntries(Object.entries(north.configuration)),
            prices: Object.fromEntries(model.sectors.map((j, i) => [String(j), prices[i]])),
            labor: north.labor, stable: north.stable, stability: north.stability},
    lbar_from_theta: P.lbarFromTheta,
  };
}

/* Every equilibrium of South (marshallian.solve(model, params).to_dict()["equilibria"]). */
function solve(modelName, given) { return solution(modelName, given).equilibria; }

/* Names of the stable equilibria at params, sorted (figures._labels.stable_types): the
 * region map's key, without building the full result. A stable equilibrium is not
 * degenerate and has positive labor in every non-idle activity, so its name follows from
 * its regime alone. */
function stableLabels(modelName, given) {
  const model = getModel(modelName);
  const P = resolveParams(model, given);
  const north = selectNorth(model, P.v);
  const prices = north.productivity.map(x => 1 / x);
  const arith = makeArith(P.values.L_S);
  const rises = model.activities.map(a => a.externality);
  const out = new Set();
  for (const entry of model.south) {
    if (interiorRegime(entry.regime)) continue;
    const c = evaluateRegime(entry, P.v, prices, arith);
    if (!c || regimeStability(c, rises) !== "stable") continue;
    if (entry.stableLabel === undefined) {
      entry.stableLabel = labelFromParts(model.activities.flatMap((a, k) => entry.regime[k] === IDLE ? []
        : [{sector: a.sector, technology: a.technology,
            state: entry.regime[k] === RISING ? "rising" : (a.externality ? "capped" : "flat")}]));
    }
    out.add(entry.stableLabel);
  }
  return [...out].sort();
}

/* Names of the stable, non-degenerate equilibria (figures._labels.equilibrium_label). */
function labelFromParts(parts) {
  const sectors = [...new Set(parts.map(p => p.sector))].sort((a, b) => a - b);
  const choice = parts.some(p => p.technology === "backward" || p.technology === "modern");
  const interior = parts.length >= 2 && parts.some(p => p.state === "rising");
  const how = j => {
    const techs = Object.fromEntries(parts.filter(p => p.sector === j).map(p => [p.technology, p.state]));
    if ("backward" in techs && "modern" in techs) return "mixed";
    if ("modern" in techs) return techs.modern === "rising" ? "partial cluster" : "cluster";
    return "no cluster";
  };
  let text;
  if (sectors.length === 1) text = `spec. in ${sectors[0]}` + (choice ? `, ${how(sectors[0])}` : "");
  else text = sectors.map(j => choice ? `${j} ${how(j)}` : `${j}`).join(" + ");
  return text + (interior ? " (critical mass)" : "");
}

const marshallian = {
  solve, solution, validate: (m, p) => resolveParams(getModel(m), p).values,
  models: Object.keys(MODELS), InvalidParameterError, SolverError, labelFromParts, stableLabels,
  defaults: m => Object.fromEntries(getModel(m).params.map(s => [s.name, s.default])),
};
