// In the details of a selected component or arrow: the threads on it, and a button per
// kind to raise one (the keyboard has F, T, S and C; Security? and Comment are here).
import type { Element } from "../sync";
import { defaultLayer } from "../sync";
import { Icon } from "../ui/Icon";
import { KIND_INFO, KINDS, LAYER_INFO, STATUS_INFO, toneOf } from "./annotationCatalog";
import { isNew, visibleAnnotations } from "./annotationView";
import { useActor, useAnnotating, useAnnotations, useNavigation, useUi, useWriter } from "./context";
import { isPending } from "./pending";

export function ElementAnnotations({ element }: { element: Element }) {
  const navigation = useNavigation();
  const annotating = useAnnotating();
  const actor = useActor();
  const writer = useWriter();
  const annotations = useAnnotations();
  const layers = useUi((s) => s.layers);
  const seen = useUi((s) => s.seen);
  const here = visibleAnnotations(annotations, layers).filter((a) => a.target === element.id);
  const layer = writer && defaultLayer(writer.role, writer.mode);
  if (element.kind === "note" || (!layer && !here.length)) return null;
  return (
    <section className="bs-element-annotations" aria-label="Annotations on this element" data-testid="element-annotations">
      <h3>Annotations</h3>
      {here.length ? (
        <ul>
          {here.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className={`bs-element-annotations__thread bs-tone--${toneOf(a)}${isNew(a, actor, seen) ? " is-new" : ""}`}
                onClick={() => navigation.openThread(a.id)}
              >
                <Icon icon={KIND_INFO[a.kind].icon} size={14} />
                <span className="bs-element-annotations__text">{a.text}</span>
                {/* A reviewer's unsent challenge is a draft, not an open thread anyone sees yet. */}
                <span className={`bs-status bs-status--${isPending(a) ? "pending" : toneOf(a)}`}>
                  {isPending(a) ? "Draft" : a.layer === "challenges" ? STATUS_INFO[a.status].name : LAYER_INFO[a.layer].one}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {layer ? (
        <div className="bs-raise" role="group" aria-label={layer === "notes" ? "Add a note" : "Challenge it"}>
          {KINDS.map((info) => (
            <button
              key={info.kind}
              type="button"
              className="bs-raise__button"
              data-testid={`raise-${info.kind}`}
              title={info.key ? `${info.name} (${info.key.toUpperCase()})` : info.name}
              onClick={() => annotating.raise(info.kind, element.id)}
            >
              <Icon icon={info.icon} size={14} />
              <span>{info.name}</span>
              {info.key ? <kbd>{info.key.toUpperCase()}</kbd> : null}
            </button>
          ))}
        </div>
      ) : null}
    </section>
  );
}
