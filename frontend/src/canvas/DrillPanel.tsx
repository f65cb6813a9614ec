// The failure drill's card over the canvas while drill mode is on: what to do (click a
// component to fail it, or pick a frame to fail a whole region), the impact of the failure in plain language (the server's summary
// and the lists) with "Raise as challenge", and the design lints and next probes, each
// probe one click from a real challenge.
import { X } from "lucide";
import { useRef, useState } from "react";

import { plural } from "../lib/format";
import { type Elements, layersFor } from "../sync";
import { Icon } from "../ui/Icon";
import { KIND_INFO } from "./annotationCatalog";
import { useBoardBeside } from "./beside";
import { useActor, useCore, useDrill, useFailureDrill, useNavigation, useSync, useWriter } from "./context";
import { componentName, type Drill, names, type Probe } from "./drill";

/** May I put a challenge: the owner, interviewers and reviewers (a reviewer's goes pending). */
function useChallenger(): boolean {
  const writer = useWriter();
  return writer !== null && layersFor(writer.role).includes("challenges");
}

export function DrillPanel() {
  const drilling = useFailureDrill();
  const on = useDrill((v) => v.on);
  const failed = useDrill((v) => v.failed);
  const analysis = useDrill((v) => v.analysis);
  const loading = useDrill((v) => v.loading);
  const error = useDrill((v) => v.error);
  const elements = useSync((s) => s.elements);
  const card = useRef<HTMLElement>(null);
  // The card never hides what was failed, nor what goes down with it.
  useBoardBeside(card, on ? `${failed ?? ""}:${analysis?.drill?.failed ?? ""}` : null);
  if (!on) return null;
  const drill = analysis?.drill && analysis.drill.failed === failed ? analysis.drill : null;
  return (
    <aside ref={card} className="bs-drill" aria-label="Failure drill" data-testid="drill-panel" data-loading={loading || undefined}>
      <header className="bs-drill__header">
        <strong>Failure drill</strong>
        {loading ? <span className="bs-muted">Analysing…</span> : null}
        <button type="button" className="bs-icon-button" aria-label="Close the drill" title="Leave drill mode" onClick={() => drilling.toggleDrill(false)}>
          <Icon icon={X} size={15} />
        </button>
      </header>
      {error ? <p className="bs-error">{error}</p> : null}
      {drill ? (
        <DrillSummary drill={drill} elements={elements} />
      ) : failed === null ? (
        <>
          <p className="bs-muted">Click a component to fail it (all its replicas at once), or a frame to fail everything in it, and see what goes down with it.</p>
          <Regions elements={elements} />
        </>
      ) : (
        <p className="bs-muted">Failing {componentName(elements, failed)}…</p>
      )}
      {analysis ? (
        // Folded side by side while a failure's impact shows, so the card stays small.
        <div className={`bs-drill__sections${drill ? " is-folded" : ""}`}>
          <Lints elements={elements} folded={drill !== null} />
          <Probes elements={elements} folded={drill !== null} />
        </div>
      ) : null}
    </aside>
  );
}

/** Each frame as a one-click region failure ("what happens when us-east-1 goes down?"). */
function Regions({ elements }: { elements: Elements }) {
  const drilling = useFailureDrill();
  const frames = [...elements.values()].filter((e) => e.kind === "frame");
  if (!frames.length) return null;
  return (
    <div className="bs-drill__regions" data-testid="drill-regions">
      <span className="bs-muted">Fail a region:</span>
      {frames.map((frame) => (
        <button
          key={frame.id}
          type="button"
          className="bs-button bs-button--small"
          data-testid="drill-fail-frame"
          data-frame={frame.id}
          title="Fail every component in this frame at once"
          onClick={() => void drilling.drill(frame.id)}
        >
          {frame.label.trim() || "Untitled frame"}
        </button>
      ))}
    </div>
  );
}

function DrillSummary({ drill, elements }: { drill: Drill; elements: Elements }) {
  const drilling = useFailureDrill();
  const core = useCore();
  const challenger = useChallenger();
  const actor = useActor();
  const reviewer = actor?.role === "reviewer";
  // The summary is folded to two lines and the lists to one line of counts, so the card stays
  // small at 1280x800; each opens on a click.
  const [whole, setWhole] = useState(false);
  const long = drill.summary.length > 110;
  const counts = [
    [drill.lost.length, "lost"],
    [drill.degraded.length, "degraded"],
    [drill.unreachable.length, "unreachable"],
  ] as const;
  const impact = counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(" · ") || "Nothing else is affected";
  const line = (label: string, ids: readonly string[], testId: string) =>
    ids.length ? (
      <li data-testid={testId} data-ids={ids.join(" ")}>
        <strong>{label}:</strong> {names(elements, ids)}
      </li>
    ) : null;
  return (
    <section className="bs-drill__summary" data-testid="drill-summary" data-failed={drill.failed} data-spof={drill.single_point_of_failure}>
      <h3>
        <span>
          If {componentName(elements, drill.failed)} goes down
          {drill.single_point_of_failure ? <span className="bs-drill__spof">Single point of failure</span> : null}
        </span>
      </h3>
      <p className={`bs-drill__text${long && !whole ? " is-folded" : ""}`} data-testid="drill-text">
        {drill.summary}
      </p>
      {long ? (
        <button type="button" className="bs-link-button bs-drill__more" aria-expanded={whole} onClick={() => setWhole(!whole)}>
          {whole ? "Show less" : "Read the whole summary"}
        </button>
      ) : null}
      <details className="bs-drill__impact">
        <summary>{impact}</summary>
        <ul className="bs-drill__lists">
        {elements.get(drill.failed)?.kind === "frame" ? line("Fails with it", drill.failed_components, "drill-failed-components") : null}
        {line("Loses function", drill.lost, "drill-lost")}
        {line("Degraded", drill.degraded, "drill-degraded")}
        {line("No longer reached", drill.unreachable, "drill-unreachable")}
        {line("Entry points cut off", drill.entry_points_cut, "drill-entry-points-cut")}
        {line("Data stores cut off", drill.stores_cut, "drill-stores-cut")}
        {!drill.lost.length && !drill.degraded.length && !drill.unreachable.length ? <li>Nothing else is affected.</li> : null}
        </ul>
      </details>
      <div className="bs-row-end">
        <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => void drilling.drill(null)}>
          Recover it
        </button>
        {challenger ? (
          <button
            type="button"
            className="bs-button bs-button--primary bs-button--small"
            title={reviewer ? "A pending challenge in your review" : "A failure-mode challenge on it, with this impact"}
            onClick={() => {
              if (drilling.raiseDrill()) core.toast("success", reviewer ? "Added to your review" : "Challenge raised", KIND_INFO.failure_mode.name);
            }}
          >
            Raise as challenge
          </button>
        ) : null}
      </div>
    </section>
  );
}

function Lints({ elements, folded }: { elements: Elements; folded: boolean }) {
  const navigation = useNavigation();
  const lints = useDrill((v) => v.analysis?.lints ?? []);
  return (
    <details className="bs-drill__section" open={!folded && lints.length > 0 && lints.length <= 4}>
      <summary>Design lints ({lints.length})</summary>
      {lints.length ? (
        <ul className="bs-drill__items">
          {lints.map((lint) => (
            <li key={`${lint.code}:${lint.elements.join(",")}`} data-testid="lint" data-code={lint.code}>
              <button type="button" className="bs-drill__item" onClick={() => lint.elements[0] && navigation.focusElement(lint.elements[0])}>
                {lint.message}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="bs-muted">Nothing to flag{elements.size ? "" : " on an empty board"}.</p>
      )}
    </details>
  );
}

function Probes({ elements, folded }: { elements: Elements; folded: boolean }) {
  const probes = useDrill((v) => v.analysis?.probes ?? []);
  const challenger = useChallenger();
  return (
    <details className="bs-drill__section" open={!folded}>
      <summary>Next probes ({probes.length})</summary>
      {probes.length ? (
        <ul className="bs-drill__items">
          {probes.slice(0, 12).map((probe) => (
            <ProbeItem key={`${probe.target ?? ""}:${probe.kind}`} probe={probe} elements={elements} challenger={challenger} />
          ))}
        </ul>
      ) : (
        <p className="bs-muted">Every component has been challenged for failure already.</p>
      )}
      {probes.length > 12 ? <p className="bs-hint">{plural(probes.length - 12, "more probe")} after these.</p> : null}
    </details>
  );
}

function ProbeItem({ probe, elements, challenger }: { probe: Probe; elements: Elements; challenger: boolean }) {
  const drilling = useFailureDrill();
  const core = useCore();
  const on = probe.target === null ? "the whole design" : componentName(elements, probe.target);
  return (
    <li className="bs-drill__probe" data-testid="probe" data-target={probe.target ?? ""} data-kind={probe.kind}>
      <span className="bs-drill__probe-kind">
        <Icon icon={KIND_INFO[probe.kind].icon} size={12} /> {KIND_INFO[probe.kind].name} · {on}
      </span>
      <span className="bs-drill__probe-text">{probe.text}</span>
      {challenger ? (
        <button
          type="button"
          className="bs-button bs-button--small"
          aria-label={`Ask it: ${KIND_INFO[probe.kind].name} on ${on}`}
          onClick={() => {
            if (drilling.raiseProbe(probe)) core.toast("success", "Challenge raised", probe.text.slice(0, 80));
          }}
        >
          Ask it
        </button>
      ) : null}
    </li>
  );
}
