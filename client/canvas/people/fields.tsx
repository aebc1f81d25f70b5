import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { SharedTextArea } from '../../components/SharedTextArea'

/** A labelled one-line text field that writes every keystroke through `onChange`. */
export function TextField({
  label,
  value,
  onChange,
  disabled,
  hint,
  inputRef,
  maxLength = 200,
  onEnter,
}: {
  label: string
  value: string
  onChange: (value: string) => void
  disabled?: boolean
  hint?: string
  inputRef?: React.RefObject<HTMLInputElement | null>
  maxLength?: number
  /** Called when Enter is pressed in the field. */
  onEnter?: () => void
}) {
  const id = useId()
  const ownRef = useRef<HTMLInputElement>(null)
  const enter = useRef(onEnter)
  enter.current = onEnter
  useEffect(() => {
    // A native listener: the panel keeps keys from the canvas, and React would not see them.
    const input = ownRef.current
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !enter.current) return
      e.preventDefault()
      enter.current()
    }
    input?.addEventListener('keydown', onKey)
    return () => input?.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={(el) => {
          ownRef.current = el
          if (inputRef) inputRef.current = el
        }}
        value={value}
        maxLength={maxLength}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  )
}

/** A labelled text area; others may type in the same text at once (see `SharedTextArea`). */
export function TextArea({
  label,
  value,
  onChange,
  disabled,
}: {
  label: string
  value: string
  onChange: (value: string) => void
  disabled?: boolean
}) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <SharedTextArea
        id={id}
        rows={3}
        value={value}
        maxLength={2000}
        disabled={disabled}
        onChange={onChange}
      />
    </div>
  )
}

/**
 * A text field whose draft may be invalid while typing (a year, a date): the record only takes
 * valid values; the field says what is wrong meanwhile.
 */
export function DraftField({
  label,
  value,
  parse,
  onCommit,
  disabled,
  hint,
  invalidText,
  inputMode,
}: {
  label: string
  value: string
  /** The value to store, or `undefined` when the draft is not valid. */
  parse: (draft: string) => string | null | undefined
  onCommit: (value: string | null) => void
  disabled?: boolean
  hint?: string
  invalidText: string
  inputMode?: 'numeric' | 'text'
}) {
  const id = useId()
  const [draft, setDraft] = useState(value)
  const focused = useRef(false)
  const invalid = parse(draft) === undefined
  useEffect(() => {
    // Someone else changed it: show theirs, unless this person is typing here right now.
    if (!focused.current) setDraft(value)
  }, [value])
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={draft}
        inputMode={inputMode}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint`}
        onFocus={() => {
          focused.current = true
        }}
        onBlur={() => {
          focused.current = false
          if (invalid) setDraft(value)
        }}
        onChange={(e) => {
          setDraft(e.target.value)
          const parsed = parse(e.target.value)
          if (parsed !== undefined) onCommit(parsed)
        }}
      />
      <p id={`${id}-hint`} className={invalid ? 'field-hint error-text' : 'field-hint'}>
        {invalid ? invalidText : hint}
      </p>
    </div>
  )
}

/** A labelled drop-down list; `null` is the "not chosen" option when `noneLabel` is given. */
export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
  disabled,
  noneLabel,
  groups,
}: {
  label: string
  value: V | null
  options?: ReadonlyArray<{ value: V; label: string }>
  groups?: ReadonlyArray<{ label: string; options: ReadonlyArray<{ value: V; label: string }> }>
  onChange: (value: V | null) => void
  disabled?: boolean
  noneLabel?: string
}) {
  const id = useId()
  const option = (o: { value: V; label: string }) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  )
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value === '' ? null : (e.target.value as V))}
      >
        {noneLabel !== undefined && <option value="">{noneLabel}</option>}
        {options?.map(option)}
        {groups?.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map(option)}
          </optgroup>
        ))}
      </select>
    </div>
  )
}

/** A group of large radio buttons with a legend. */
export function ChoiceField<V extends string>({
  legend,
  value,
  options,
  onChange,
  disabled,
  columns = 2,
}: {
  legend: string
  value: V | null
  options: ReadonlyArray<{ value: V; label: string; icon?: ReactNode; hideLabel?: boolean }>
  onChange: (value: V) => void
  disabled?: boolean
  columns?: number
}) {
  const name = useId()
  return (
    <fieldset className="field choice" disabled={disabled}>
      <legend>{legend}</legend>
      <div className="choice-grid" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)` }}>
        {options.map((o) => (
          <label
            key={o.value}
            className={o.value === value ? 'choice-option checked' : 'choice-option'}
            title={o.hideLabel ? o.label : undefined}
          >
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === value}
              onChange={() => onChange(o.value)}
              aria-label={o.hideLabel ? o.label : undefined}
            />
            {o.icon}
            {!o.hideLabel && <span>{o.label}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

/** A large checkbox with its label. */
export function CheckField({
  label,
  checked,
  onChange,
  disabled,
}: {
  label: string
  checked: boolean
  onChange: (checked: boolean) => void
  disabled?: boolean
}) {
  return (
    <label className="check-field">
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span>{label}</span>
    </label>
  )
}

/** Each of `values` as an option of a select or choice, named by `label`. */
export function optionsOf<V extends string>(
  values: readonly V[],
  label: (value: V) => string,
): { value: V; label: string }[] {
  return values.map((value) => ({ value, label: label(value) }))
}
