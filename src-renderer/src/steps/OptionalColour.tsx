// A colour that can be switched off: a checkbox and a colour well, the well disabled while off.
// Text fill, its gradient, the outline and the call-to-action button all use it.
export interface OptionalColourProps {
  label: string;
  colourLabel: string;
  /** The colour, or null when off. */
  value: string | null;
  /** What the well shows while off, and the colour switching on picks. */
  fallback: string;
  disabled?: boolean;
  /** A new colour or null (switched off); `coalesce` groups a drag through the well into one undo step. */
  onChange: (value: string | null, coalesce?: string) => void;
  testIds: { on: string; colour: string };
}

export function OptionalColour({ label, colourLabel, value, fallback, disabled, onChange, testIds }: OptionalColourProps) {
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={!!value} disabled={disabled} onChange={(e) => onChange(e.target.checked ? fallback : null)} data-testid={testIds.on} />
        <span>{label}</span>
      </label>
      <input
        type="color"
        aria-label={colourLabel}
        value={value ?? fallback}
        disabled={!value}
        onChange={(e) => onChange(e.target.value, testIds.colour)}
        data-testid={testIds.colour}
      />
    </>
  );
}
