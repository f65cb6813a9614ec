// A played scenario card, for everyone: in the notifications corner (over the side panel,
// never over the diagram), until closed; a new card shows again. During a replay it shows
// the card last played up to the replayed seq.
import { Shuffle, X } from "lucide";

import { Icon } from "../ui/Icon";
import { useReplay, useSync } from "./context";
import { formatTime } from "./interviewCatalog";
import { useScenarios, useScenarioStore } from "./scenarioContext";
import { bannerCard } from "./scenarioStore";

export function ScenarioBanner() {
  const store = useScenarioStore();
  const live = useScenarios((v) => v.cards);
  const dismissed = useScenarios((v) => v.dismissed);
  const frame = useReplay((v) => (v.open ? v.frame : null));
  const participants = useSync((s) => s.participants);
  const card = frame ? bannerCard(frame.scenarios, dismissed) : bannerCard(live, dismissed);
  if (!card || !store) return null;
  const by = participants.get(card.author)?.name ?? "The interviewer";
  return (
    <div className="bs-scenario-banner" role="status" data-testid="scenario-banner" data-card={card.id} data-seq={card.seq}>
      <Icon icon={Shuffle} size={18} className="bs-scenario-banner__icon" />
      <div className="bs-scenario-banner__text">
        <span className="bs-scenario-banner__kicker">Scenario card · {by}, {formatTime(card.at)}</span>
        {card.title ? <strong>{card.title}</strong> : null}
        <span>{card.text}</span>
      </div>
      <button type="button" className="bs-icon-button" aria-label="Close the scenario card" data-testid="scenario-dismiss" onClick={() => store.dismiss(card.id)}>
        <Icon icon={X} size={14} />
      </button>
    </div>
  );
}
