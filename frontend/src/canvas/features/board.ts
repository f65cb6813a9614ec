// One open board: the shared core and every feature over it, started and stopped together.
// The only module that knows all the features (it lends the annotations feature to the drill).
// Components take the feature they use from ../context (useEditing, useAnnotating…); tests
// and benchmarks reach it as window.__bothsides.board. No React.
import type { Annotations, Elements, SyncClient } from "../../sync";
import type { DrillStore } from "../drillStore";
import type { ReplayPlayer } from "../replayPlayer";
import type { ReviewStore } from "../reviewStore";
import type { UiStore } from "../store";
import { Annotating } from "./annotations";
import { Announcements } from "./announcements";
import { Arranging } from "./arranging";
import { BoardCore } from "./core";
import { Editing } from "./editing";
import { FailureDrill } from "./failureDrill";
import { Navigation } from "./navigation";
import { Presence } from "./presence";
import { ReplayControls } from "./replay";
import { Reviewing } from "./review";
import { InterviewSession } from "./session";
import { Snapping } from "./snapping";

export class Board {
  readonly core: BoardCore;
  readonly editing: Editing;
  readonly annotating: Annotating;
  readonly navigation: Navigation;
  readonly session: InterviewSession;
  readonly review: Reviewing;
  readonly drill: FailureDrill;
  readonly replay: ReplayControls;
  readonly presence: Presence;
  readonly announcements: Announcements;
  readonly arranging: Arranging;
  readonly snapping: Snapping;
  private stops: (() => void)[] = [];

  constructor(client: SyncClient, ui: UiStore, replay: ReplayPlayer, reviewStore: ReviewStore, drillStore: DrillStore) {
    this.core = new BoardCore(client, ui, replay, reviewStore, drillStore);
    this.editing = new Editing(this.core);
    this.annotating = new Annotating(this.core);
    this.navigation = new Navigation(this.core);
    this.session = new InterviewSession(this.core);
    this.review = new Reviewing(this.core);
    this.drill = new FailureDrill(this.core, this.annotating);
    this.replay = new ReplayControls(this.core);
    this.presence = new Presence(this.core);
    this.announcements = new Announcements(this.core);
    // Align, distribute and group are canvas changes: recorded for undo like editing's own.
    this.arranging = new Arranging(this.core, (ops, key) => this.editing.submit(ops, key));
    this.snapping = new Snapping(this.core);
  }

  /** Listen to the board (idempotent; undone by dispose). */
  start(): void {
    if (this.stops.length) return;
    this.stops = [this.editing.start(), this.announcements.start(), this.presence.start(), this.snapping.start(), this.core.start()];
  }

  dispose(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    this.core.replay.close();
  }

  // What tests and benchmarks read most (window.__bothsides.board).
  get client(): SyncClient {
    return this.core.client;
  }

  get ui(): UiStore {
    return this.core.ui;
  }

  get elements(): Elements {
    return this.core.elements;
  }

  get annotations(): Annotations {
    return this.core.annotations;
  }
}
