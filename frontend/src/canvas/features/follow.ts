// Following someone's view: click their avatar and my view pans and zooms with theirs; an
// interviewer (or a presenter) asks everyone to follow them. Viewports travel as `viewport`
// messages, never stored (docs/protocol.md). Any pan or zoom of my own, or Esc, stops
// following; a lead I left is not followed again until that person leads anew. No React.
import { createStore } from "zustand/vanilla";

import { canLead, type Point, type ViewportMessage } from "../../sync";
import type { BoardCore } from "./core";

/** The step of a flow being presented, as a `viewport` carries it. */
export interface Presenting {
  readonly id: string;
  readonly step: number;
}

/** Someone's last viewport. */
export interface View {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
  readonly lead: boolean;
  readonly flow: Presenting | null;
  readonly at: number;
}

export interface FollowState {
  /** Whose view mine follows. */
  readonly following: string | null;
  /** Why: I chose to, or they asked everyone. */
  readonly because: "chosen" | "lead" | null;
  /** I asked everyone to follow me. */
  readonly leading: boolean;
  /** What I present while leading (a flow's step). */
  readonly presenting: Presenting | null;
  /** The others' latest viewports. */
  readonly views: ReadonlyMap<string, View>;
  /** A leader whose lead I left: not followed again until they lead anew. */
  readonly declined: string | null;
}

/** How often a leader repeats its viewport, so that someone joining late follows too. */
export const LEAD_HEARTBEAT_MS = 2000;
const SEND_INTERVAL_MS = 50;

export function createFollowStore() {
  return createStore<FollowState>(() => ({
    following: null,
    because: null,
    leading: false,
    presenting: null,
    views: new Map(),
    declined: null,
  }));
}

export class Follow {
  readonly store = createFollowStore();
  private sentAt = -Infinity;
  private sendTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly core: BoardCore) {}

  start(): () => void {
    const stop = this.core.client.onEvent((event) => {
      if (event.type === "viewport") this.received(event);
      else if (event.type === "left") this.gone(event.participant);
    });
    const heartbeat = setInterval(() => {
      if (this.store.getState().leading) this.sendNow();
    }, LEAD_HEARTBEAT_MS);
    return () => {
      stop();
      clearInterval(heartbeat);
      if (this.sendTimer) clearTimeout(this.sendTimer);
    };
  }

  get state(): FollowState {
    return this.store.getState();
  }

  /** May I ask everyone to follow me. */
  get canLead(): boolean {
    const you = this.core.client.getSnapshot().you;
    return you !== null && canLead(you.role);
  }

  /** Follow someone's view (their avatar was clicked). */
  follow(participant: string): void {
    if (participant === this.core.client.getSnapshot().you?.participant) return;
    this.store.setState({ following: participant, because: "chosen", declined: null });
    const view = this.state.views.get(participant);
    if (view) this.show(view);
  }

  /** Stop following (Esc, the banner's Stop, or a pan or zoom of my own). */
  stop(): void {
    const { following, because } = this.state;
    if (following === null) return;
    this.store.setState({ following: null, because: null, declined: because === "lead" ? following : this.state.declined });
  }

  /** The user panned or zoomed: that is leaving. */
  userMoved(): void {
    if (this.state.following !== null) this.stop();
  }

  /** "Everyone follow me", or stop asking; `presenting` is the flow step shown meanwhile. */
  lead(on: boolean, presenting: Presenting | null = null): void {
    if (on && !this.canLead) return;
    if (on) this.stop();
    this.store.setState({ leading: on, presenting: on ? presenting : null });
    this.sendNow();
  }

  /** My view moved: tell whoever follows me (at most 20 times a second, the last view always sent). */
  viewMoved(): void {
    if (this.sendTimer) return;
    const wait = Math.max(0, this.sentAt + SEND_INTERVAL_MS - Date.now());
    this.sendTimer = setTimeout(() => {
      this.sendTimer = null;
      this.sendNow();
    }, wait);
  }

  private sendNow(): void {
    const view = this.core.view;
    if (!view) return;
    const center = view.center();
    const zoom = view.zoom();
    const { leading, presenting } = this.state;
    this.sentAt = Date.now();
    this.core.client.sendViewport({
      x: Math.round(center.x * 100) / 100,
      y: Math.round(center.y * 100) / 100,
      zoom: Math.round(zoom * 1000) / 1000,
      lead: leading,
      flow: leading ? presenting : null,
    });
  }

  private received(event: ViewportMessage): void {
    const state = this.state;
    const previous = state.views.get(event.participant);
    const view: View = { x: event.x, y: event.y, zoom: event.zoom, lead: event.lead, flow: event.flow, at: Date.now() };
    const views = new Map(state.views).set(event.participant, view);
    const patch: { -readonly [K in keyof FollowState]?: FollowState[K] } = { views };
    if (event.lead && !state.leading && state.following === null && state.declined !== event.participant) {
      patch.following = event.participant;
      patch.because = "lead";
    }
    if (!event.lead && previous?.lead) {
      if (state.declined === event.participant) patch.declined = null; // they stopped leading: a new lead is followed
      if (state.following === event.participant && state.because === "lead") {
        patch.following = null;
        patch.because = null;
      }
    }
    this.store.setState(patch);
    if (this.state.following === event.participant) this.show(view);
  }

  private gone(participant: string): void {
    const { views, following, declined } = this.state;
    if (!views.has(participant) && following !== participant) return;
    const rest = new Map(views);
    rest.delete(participant);
    this.store.setState({
      views: rest,
      ...(following === participant ? { following: null, because: null } : {}),
      ...(declined === participant ? { declined: null } : {}),
    });
  }

  private show(view: View): void {
    this.core.view?.jumpTo({ x: view.x, y: view.y } satisfies Point, view.zoom);
  }
}
