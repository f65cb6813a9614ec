// An incident board's panel: the symptom, the interviewer's hidden fault and true blast radius
// (highlighted on the canvas for them alone), the candidate's controls (choose a component,
// on the canvas or in the list, then a signal: buttons or the keys M, L, T, D), actions and
// hypotheses, and the timeline. The newest observation (or the one picked in the timeline)
// shows next to the component it came from.
import { useRef, useState, useSyncExternalStore } from "react";

import type { Elements } from "../sync";
import { VOCABULARY } from "../sync/vocabulary.gen";
import { useBoardBeside } from "./beside";
import { useSync, useUi } from "./context";
import { componentName } from "./drill";
import { Floating } from "./Floating";
import type {
  Action,
  DeploysResult,
  Entry,
  FaultKind,
  IncidentStore,
  IncidentView,
  LogsResult,
  Metric,
  MetricsResult,
  Signal,
  TracesResult,
} from "./incidentStore";

const KINDS = Object.keys(VOCABULARY.incident.fault_kinds) as FaultKind[];
const SIGNALS = Object.keys(VOCABULARY.incident.signals) as Signal[];
const ACTIONS = Object.keys(VOCABULARY.incident.actions) as Action[];
const SIGNAL_KEYS: Record<string, Signal> = { m: "metrics", l: "logs", t: "traces", d: "deploys" };
const READERS = new Set(["owner", "interviewer"]);
const INVESTIGATORS = new Set(["owner", "interviewer", "candidate"]);

function useIncident<T>(store: IncidentStore, selector: (view: IncidentView) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.getSnapshot()));
}

function components(elements: Elements): { id: string; name: string }[] {
  const found: { id: string; name: string }[] = [];
  for (const element of elements.values()) if (element.kind === "component") found.push({ id: element.id, name: componentName(elements, element.id) });
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Highlights for the interviewer: the faulty component and its blast radius (ids are [A-Za-z0-9_-]). */
function Highlights({ fault, radius }: { fault: string | null; radius: readonly string[] }) {
  if (!fault) return null;
  const safe = (id: string) => /^[A-Za-z0-9_-]+$/.test(id);
  const rules = [
    ...radius.filter((id) => safe(id) && id !== fault).map((id) => `[data-testid=component-node][data-id="${id}"]{outline:3px dashed #f59e0b;outline-offset:3px}`),
    safe(fault) ? `[data-testid=component-node][data-id="${fault}"]{outline:4px solid #dc2626;outline-offset:3px;box-shadow:0 0 0 8px rgba(220,38,38,.18)}` : "",
  ];
  return <style data-testid="incident-highlights">{rules.join("\n")}</style>;
}

export function IncidentPanel({ store }: { store: IncidentStore }) {
  const kind = useSync((s) => s.board?.question_type ?? null);
  const role = useSync((s) => s.you?.role ?? null);
  const elements = useSync((s) => s.elements);
  const incident = useIncident(store, (v) => v.incident);
  const timeline = useIncident(store, (v) => v.timeline);
  const error = useIncident(store, (v) => v.error);
  const busy = useIncident(store, (v) => v.busy);
  const shown = useIncident(store, (v) => v.shown);
  const selected = useUi((s) => s.selected);
  const [chosen, setChosen] = useState("");
  const [faultTarget, setFaultTarget] = useState("");
  const [faultKind, setFaultKind] = useState<FaultKind>("slow");
  const [symptom, setSymptom] = useState<string | null>(null);
  const [action, setAction] = useState<Action>("restart");
  const [guess, setGuess] = useState("");
  const [guessKind, setGuessKind] = useState<FaultKind | "">("");
  const [radius, setRadius] = useState<ReadonlySet<string>>(new Set());
  const [folded, setFolded] = useState(false);
  const card = useRef<HTMLElement>(null);
  // The panel sits over the board's top left: the board moves out from under it.
  useBoardBeside(card, kind === "incident" && incident ? `${incident.status}:${folded}` : null);
  if (kind !== "incident" || !incident) return null;
  const list = components(elements);
  const picked = [...selected].find((id) => elements.get(id)?.kind === "component");
  const target = picked ?? (chosen || list[0]?.id || "");
  const reader = role !== null && READERS.has(role);
  const investigator = role !== null && INVESTIGATORS.has(role) && incident.status === "open";
  const name = (id: string) => componentName(elements, id);
  const inspect = (signal: Signal) => target && void store.send({ op: "inspect", target, signal });
  const onKey = (event: React.KeyboardEvent) => {
    const field = (event.target as HTMLElement).closest("input, textarea, select");
    const signal = SIGNAL_KEYS[event.key.toLowerCase()];
    if (!field && signal && investigator && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      inspect(signal);
    }
  };
  const investigate = (
    <section className="bs-incident__section" data-testid="incident-investigate">
            <div className="bs-incident__row">
              <select aria-label="Component to inspect" value={target} onChange={(e) => setChosen(e.target.value)} data-testid="incident-target">
                {list.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="bs-incident__row" role="group" aria-label="Inspect">
              {SIGNALS.map((signal) => (
                <button
                  key={signal}
                  type="button"
                  className="bs-button"
                  data-testid={`inspect-${signal}`}
                  aria-keyshortcuts={signal[0]?.toUpperCase()}
                  title={`${VOCABULARY.incident.signals[signal]} (${signal[0]?.toUpperCase()})`}
                  disabled={busy || !target}
                  onClick={() => inspect(signal)}
                >
                  {signal[0]?.toUpperCase()}
                  {signal.slice(1)}
                </button>
              ))}
            </div>
            <div className="bs-incident__row">
              <select aria-label="Action" value={action} onChange={(e) => setAction(e.target.value as Action)}>
                {ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {VOCABULARY.incident.actions[a]}
                  </option>
                ))}
              </select>
              <button type="button" className="bs-button" data-testid="incident-act" disabled={busy || !target} onClick={() => void store.send({ op: "act", target, action })}>
                Act on {target ? name(target) : "…"}
              </button>
            </div>
            <details className="bs-incident__hypothesis">
              <summary>State a hypothesis about {target ? name(target) : "…"}</summary>
              <textarea aria-label="Hypothesis" value={guess} onChange={(e) => setGuess(e.target.value)} placeholder="What is wrong, and why do you think so?" />
              <select aria-label="Suspected fault" value={guessKind} onChange={(e) => setGuessKind(e.target.value as FaultKind | "")}>
                <option value="">Kind unknown</option>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k.replace("_", " ")}
                  </option>
                ))}
              </select>
              <fieldset className="bs-incident__radius-pick">
                <legend>Blast radius</legend>
                {list.map((c) => (
                  <label key={c.id}>
                    <input
                      type="checkbox"
                      checked={radius.has(c.id)}
                      onChange={(e) => {
                        const next = new Set(radius);
                        if (e.target.checked) next.add(c.id);
                        else next.delete(c.id);
                        setRadius(next);
                      }}
                    />
                    {c.name}
                  </label>
                ))}
              </fieldset>
              <button
                type="button"
                className="bs-button bs-button--primary"
                data-testid="incident-hypothesis"
                disabled={busy || !target || !guess.trim()}
                onClick={() => {
                  const op: Record<string, unknown> = { op: "hypothesis", id: `h-${Date.now().toString(36)}`, suspect: target, blast_radius: [...radius], text: guess.trim() };
                  if (guessKind) op.kind = guessKind;
                  void store.send(op);
                  setGuess("");
                }}
              >
                State it
              </button>
            </details>
          </section>
  );
  const entry = timeline.find((e) => e.seq === shown) ?? null;
  return (
    <>
      {reader ? <Highlights fault={incident.fault?.target ?? null} radius={incident.blast_radius ?? []} /> : null}
      <aside ref={card} className={`bs-incident${folded ? " is-folded" : ""}`} aria-label="Incident" data-testid="incident-panel" data-status={incident.status} onKeyDown={onKey}>
        <header className="bs-incident__header">
          <strong>Incident</strong>
          <span className={`bs-incident__status is-${incident.status}`} data-testid="incident-status">
            {incident.status === "none" ? "not open" : incident.status}
          </span>
          <button
            type="button"
            className="bs-icon-button bs-incident__fold"
            aria-expanded={!folded}
            aria-label={folded ? "Show the incident panel" : "Fold the incident panel"}
            onClick={() => setFolded(!folded)}
          >
            {folded ? "▸" : "▾"}
          </button>
        </header>
        {incident.symptom ? (
          <p className="bs-incident__symptom" data-testid="incident-symptom">
            <span className="bs-muted">Users see:</span> {incident.symptom}
          </p>
        ) : null}
        {incident.root_cause ? (
          <p className="bs-incident__root" data-testid="incident-root-cause">
            Root cause: <strong>{name(incident.root_cause.target)}</strong> ({incident.root_cause.kind.replace("_", " ")})
          </p>
        ) : null}
        {reader ? (
          <section className="bs-incident__section" data-testid="incident-interviewer">
            {incident.status !== "open" ? (
              <button
                type="button"
                className="bs-button bs-button--primary"
                data-testid="incident-open"
                disabled={busy || !incident.fault || !(symptom ?? incident.symptom).trim()}
                onClick={() => void store.send({ op: "incident", action: "open", symptom: (symptom ?? incident.symptom).trim() })}
              >
                Open incident
              </button>
            ) : (
              <button type="button" className="bs-button" data-testid="incident-close" disabled={busy} onClick={() => void store.send({ op: "incident", action: "close" })}>
                Close incident and reveal the cause
              </button>
            )}
            {/* The fault in one line; what is set up before the interview and looked up now and then
                (its blast radius, changing it, the symptom) folds under it, so the panel stays short
                enough for the board to be read beside it at 1280 px. */}
            <details className="bs-incident__more" data-testid="incident-setup">
              {incident.fault ? (
                <summary data-testid="incident-fault" data-target={incident.fault.target}>
                  Hidden fault: <strong>{name(incident.fault.target)}</strong>, {incident.fault.kind.replace("_", " ")}
                </summary>
              ) : (
                <summary>No fault hidden yet</summary>
              )}
              {incident.fault ? <p className="bs-muted">{VOCABULARY.incident.fault_kinds[incident.fault.kind]}</p> : null}
              {incident.blast_radius?.length ? (
                <p className="bs-incident__radius" data-testid="incident-blast-radius">
                  Blast radius: {incident.blast_radius.map(name).join(", ")}
                </p>
              ) : null}
              <div className="bs-incident__row bs-incident__row--fault">
                <select aria-label="Faulty component" value={faultTarget || incident.fault?.target || ""} onChange={(e) => setFaultTarget(e.target.value)}>
                  <option value="">Component…</option>
                  {list.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <select aria-label="Fault kind" value={faultKind} onChange={(e) => setFaultKind(e.target.value as FaultKind)}>
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {k.replace("_", " ")}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="bs-button"
                  disabled={busy || !(faultTarget || incident.fault?.target)}
                  onClick={() => void store.send({ op: "fault", fault: { target: faultTarget || incident.fault?.target, kind: faultKind } })}
                >
                  Hide fault
                </button>
              </div>
              {incident.status !== "open" ? (
                <input
                  className="bs-incident__symptom-field"
                  aria-label="Symptom"
                  placeholder="What users see"
                  value={symptom ?? incident.symptom}
                  onChange={(e) => setSymptom(e.target.value)}
                />
              ) : null}
            </details>
          </section>
        ) : null}
        {investigator ? (
          reader ? (
            <details className="bs-incident__section">
              <summary className="bs-muted">Inspect or act yourself, to demonstrate</summary>
              {investigate}
            </details>
          ) : (
            investigate
          )
        ) : null}
        {error ? (
          <p className="bs-error" role="alert">
            {error}
          </p>
        ) : null}
        {timeline.length ? (
          <ol className="bs-incident__timeline" data-testid="incident-timeline" aria-label="Timeline">
            {[...timeline].reverse().map((e) => (
              <li key={`${e.seq}-${e.op}`} data-op={e.op} className={e.seq === shown ? "is-shown" : ""}>
                <button type="button" className="bs-incident__entry" onClick={() => store.show(e.seq === shown ? null : e.seq)}>
                  <span className="bs-muted">min {e.minute}</span> {describe(e, name)}
                </button>
              </li>
            ))}
          </ol>
        ) : null}
      </aside>
      {entry && entry.op === "inspect" && elements.has(entry.target) ? (
        <Floating target={entry.target} className="bs-incident-pop">
          <div data-testid="incident-observation" data-target={entry.target} data-signal={entry.signal}>
            <header className="bs-incident-pop__header">
              <span>
                <strong>{name(entry.target)}</strong> · {entry.signal} <span className="bs-muted">at minute {entry.minute}</span>
              </span>
              <button type="button" className="bs-icon-button" aria-label="Hide the observation" onClick={() => store.show(null)}>
                ×
              </button>
            </header>
            <Result entry={entry} name={name} />
          </div>
        </Floating>
      ) : null}
    </>
  );
}

function describe(e: Entry, name: (id: string) => string): string {
  if (e.op === "inspect") return `inspected ${name(e.target)}: ${e.signal}`;
  if (e.op === "act") return `${VOCABULARY.incident.actions[e.action]} ${name(e.target)}: ${e.result.text}`;
  return `hypothesis: ${name(e.suspect)}${e.kind ? ` (${e.kind.replace("_", " ")})` : ""}: ${e.text}`;
}

function Result({ entry, name }: { entry: Extract<Entry, { op: "inspect" }>; name: (id: string) => string }) {
  if (entry.signal === "metrics") return <Metrics result={entry.result as MetricsResult} />;
  if (entry.signal === "logs") {
    const { lines } = entry.result as LogsResult;
    return (
      <ul className="bs-incident-logs" data-testid="incident-logs">
        {lines.length ? null : <li className="bs-muted">No log lines.</li>}
        {lines.map((line, i) => (
          <li key={i} className={`is-${line.level.toLowerCase()}`}>
            <time>{line.at.slice(11, 19)}</time> <b>{line.level}</b> {line.text}
          </li>
        ))}
      </ul>
    );
  }
  if (entry.signal === "traces") {
    const trace = entry.result as TracesResult;
    return (
      <ol className="bs-incident-trace" data-status={trace.status}>
        {trace.hops.map((hop) => (
          <li key={hop.component} className={`is-${hop.status}`}>
            {name(hop.component)} <span className="bs-muted">{hop.ms} ms</span> {hop.status === "ok" ? "" : hop.status}
          </li>
        ))}
      </ol>
    );
  }
  const { deploys } = entry.result as DeploysResult;
  return (
    <ul className="bs-incident-deploys">
      {deploys.length ? null : <li className="bs-muted">No deploys.</li>}
      {deploys.map((d) => (
        <li key={d.at}>
          <time>{d.at.slice(0, 16).replace("T", " ")}</time> {d.version} <span className="bs-muted">by {d.by}</span>
        </li>
      ))}
    </ul>
  );
}

const METRICS: { key: keyof Metric; label: string; format: (v: number) => string }[] = [
  { key: "requests_per_s", label: "requests/s", format: (v) => v.toFixed(0) },
  { key: "error_rate", label: "errors", format: (v) => `${(v * 100).toFixed(1)} %` },
  { key: "latency_p99_ms", label: "p99", format: (v) => (v >= 10000 ? `${(v / 1000).toFixed(0)} s` : `${v.toFixed(0)} ms`) },
  { key: "saturation", label: "saturation", format: (v) => `${(v * 100).toFixed(0)} %` },
];

function Metrics({ result }: { result: MetricsResult }) {
  return (
    <div className="bs-incident-metrics" data-testid="incident-metrics">
      {METRICS.map(({ key, label, format }) => (
        <div key={key} className="bs-incident-metric">
          <span className="bs-incident-metric__label">{label}</span>
          <Sparkline values={result.series.map((m) => m[key])} />
          <span className="bs-incident-metric__now" title={`before: ${format(result.before[key])}`}>
            {format(result.now[key])}
          </span>
        </div>
      ))}
    </div>
  );
}

function Sparkline({ values }: { values: readonly number[] }) {
  const w = 120;
  const h = 26;
  const max = Math.max(...values, 1e-9);
  const min = Math.min(...values, 0);
  const points = values.map((v, i) => `${((i / Math.max(values.length - 1, 1)) * w).toFixed(1)},${(h - 2 - ((v - min) / (max - min || 1)) * (h - 4)).toFixed(1)}`);
  return (
    <svg className="bs-sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true">
      <polyline points={points.join(" ")} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
