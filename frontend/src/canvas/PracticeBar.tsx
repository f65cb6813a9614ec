// A practice board's coach, under the top bar: the last thing it said, and for the person
// practising the Finish button, then the way to their feedback. It never covers the canvas.
import { Flag, GraduationCap, History, ListChecks } from "lucide";
import { useEffect, useSyncExternalStore } from "react";

import { Icon } from "../ui/Icon";
import { useSync } from "./context";
import type { PracticeStore, PracticeView } from "./practiceStore";

function usePractice<T>(store: PracticeStore, selector: (view: PracticeView) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.getSnapshot()));
}

export function PracticeBar({ store, boardId, author }: { store: PracticeStore; boardId: string; author: boolean }) {
  const notices = usePractice(store, (v) => v.notices);
  const error = usePractice(store, (v) => v.error);
  const finishing = usePractice(store, (v) => v.finishing);
  const status = useSync((s) => s.session.status);
  useEffect(() => {
    store.start(author);
    return () => store.dispose();
  }, [store, author]);
  const last = notices.length ? notices[notices.length - 1] : null;
  const ended = status === "ended";
  return (
    <section className="bs-practice" aria-label="Your coach" data-testid="practice-bar">
      <span className="bs-practice__who">
        <Icon icon={GraduationCap} size={16} /> Coach
      </span>
      <p className="bs-practice__said" aria-live="polite" data-testid="coach-notice" data-kind={last?.kind ?? ""} title={notices.map((n) => n.text).join("\n")}>
        {last ? last.text : "The coach starts the clock as soon as you are here."}
      </p>
      {error ? (
        <span className="bs-practice__error" role="alert">
          {error}
        </span>
      ) : null}
      {author ? (
        <span className="bs-practice__actions">
          {ended ? (
            <a className="bs-button bs-button--primary" href={`/boards/${boardId}/feedback/`} data-testid="open-feedback">
              <Icon icon={ListChecks} size={16} /> See your feedback
            </a>
          ) : (
            <button type="button" className="bs-button" disabled={finishing || status !== "running"} onClick={() => void store.finish()} data-testid="finish-practice">
              <Icon icon={Flag} size={16} /> Finish
            </button>
          )}
          <a className="bs-button bs-button--quiet" href="/practice/" title="All my practice sessions">
            <Icon icon={History} size={16} /> <span className="bs-topbar__label">History</span>
          </a>
        </span>
      ) : null}
    </section>
  );
}
