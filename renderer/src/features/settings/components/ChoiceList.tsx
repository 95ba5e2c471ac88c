// A radio group where each choice has a label and a hint under it (compute backend, routing policy).
export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly hint: string;
}

export interface ChoiceListProps<T extends string> {
  /** Prefix for the inputs' ids and the group's name; unique per form. */
  readonly idPrefix: string;
  readonly choices: readonly Choice<T>[];
  readonly value: T;
  readonly onChange: (value: T) => void;
  readonly testId?: string;
}

export function ChoiceList<T extends string>({ idPrefix, choices, value, onChange, testId }: ChoiceListProps<T>) {
  return (
    <div className="choice-list" data-testid={testId}>
      {choices.map((choice) => {
        const inputId = `${idPrefix}-${choice.value}`;
        return (
          <div key={choice.value} className="choice">
            <input
              id={inputId}
              type="radio"
              name={idPrefix}
              value={choice.value}
              checked={value === choice.value}
              aria-describedby={`${inputId}-hint`}
              onChange={() => {
                onChange(choice.value);
              }}
            />
            <label htmlFor={inputId} className="choice-label">
              {choice.label}
            </label>
            <span id={`${inputId}-hint`} className="choice-hint">
              {choice.hint}
            </span>
          </div>
        );
      })}
    </div>
  );
}
