// Opening and closing the board's replay (the player itself is ../replayPlayer.ts). Opening it
// closes the other overlays (a drill, a version or comparison). No React.
import type { BoardCore } from "./core";

export class ReplayControls {
  constructor(private readonly core: BoardCore) {}

  /** Open the replay (the other overlays close), at `seq` when given (a `?seq=` link). */
  openReplay(seq?: number): void {
    this.core.leaveOtherViews("replay");
    void this.core.replay.open(seq);
  }

  /** Back to the live board. */
  closeReplay(): void {
    this.core.replay.close();
  }
}
