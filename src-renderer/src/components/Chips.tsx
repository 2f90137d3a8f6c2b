// A row of suggestion chips that fill a prompt field.
export function Chips({ label, items, onPick }: { label: string; items: { label: string; value: string }[]; onPick: (v: string) => void }) {
  return (
    <div className="chips" role="group" aria-label={label}>
      {items.map((c) => (
        <button key={c.label} type="button" className="chip" onClick={() => onPick(c.value)}>
          {c.label}
        </button>
      ))}
    </div>
  );
}
