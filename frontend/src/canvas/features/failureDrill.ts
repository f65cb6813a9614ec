// The failure drill: drill mode on and off, failing (and recovering) a component or a whole
// frame (a region: every component in it at once), the SPOF
// highlight, and raising what the drill found as a challenge (through the annotations feature,
// which the board lends as a ChallengeWriter). No React.
import { type Analysis, drillChallengeText, type Probe } from "../drill";
import type { AnnotationKind, Layer } from "../../sync";
import type { BoardCore } from "./core";

/** How the drill raises a challenge (the annotations feature's annotate). */
export interface ChallengeWriter {
  annotate(input: { target: string | null; kind: AnnotationKind; text: string; layer?: Layer }): string | null;
}

export class FailureDrill {
  constructor(
    private readonly core: BoardCore,
    private readonly challenges: ChallengeWriter,
  ) {}

  /** Drill mode on or off. */
  toggleDrill(on?: boolean): void {
    const store = this.core.drillStore;
    const next = on ?? !store.getSnapshot().on;
    if (next) this.core.leaveOtherViews("drill");
    store.toggle(next);
  }

  /** Fail a component, or a frame with everything in it (null: recover); turns drill mode on. The analysis, or null. */
  async drill(id: string | null): Promise<Analysis | null> {
    this.core.leaveOtherViews("drill");
    const kind = id === null ? null : this.core.elements.get(id)?.kind;
    if (id !== null && kind !== "component" && kind !== "frame") {
      this.core.toast("info", "Fail a component or a frame", "Arrows and sticky notes cannot go down.");
      return null;
    }
    const analysis = await this.core.drillStore.fail(id);
    const error = this.core.drillStore.getSnapshot().error;
    if (error) this.core.toast("error", "The drill failed", error);
    return analysis;
  }

  showSpofs(on?: boolean): void {
    if (on ?? !this.core.drillStore.getSnapshot().spofs) this.core.leaveOtherViews("drill");
    this.core.drillStore.showSpofs(on);
  }

  /** The drill on screen as a failure-mode challenge on the failed component, or on the board for a frame (a reviewer's is pending). */
  raiseDrill(): string | null {
    const drill = this.core.drillStore.getSnapshot().analysis?.drill;
    if (!drill) return null;
    const target = this.core.elements.get(drill.failed)?.kind === "component" ? drill.failed : null;
    return this.challenges.annotate({ target, kind: "failure_mode", text: drillChallengeText(drill, this.core.elements), layer: "challenges" });
  }

  /** A suggested probe as a real challenge. */
  raiseProbe(probe: Probe): string | null {
    const target = probe.target !== null && this.core.elements.has(probe.target) ? probe.target : null;
    return this.challenges.annotate({ target, kind: probe.kind, text: probe.text, layer: "challenges" });
  }
}
