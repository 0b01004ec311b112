import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../../shared/errors';
import { call, toErrorValue } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';

export interface RedactionBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Boxes smaller than this (in image pixels) are treated as stray clicks. */
const MIN_SIDE = 3;

/**
 * Draw black boxes over a screenshot, then save a redacted copy: the core burns them into the pixels and stores the
 * copy as a new item derived from the original (whose hash its record names); the original stays untouched.
 * Boxes are kept in the image's own pixel coordinates, whatever size the preview is shown at; a form adds a box by
 * numbers for people who cannot drag.
 */
export function RedactEditor({
  itemId,
  src,
  title,
  initialBoxes = [],
  onSaved,
  onCancel,
}: {
  itemId: string;
  src: string;
  title: string;
  /** boxes of an earlier redacted copy, when the user redacts again */
  initialBoxes?: RedactionBox[];
  onSaved: (copyId: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const img = useRef<HTMLImageElement>(null);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [boxes, setBoxes] = useState<Box[]>(initialBoxes);
  const [draft, setDraft] = useState<Box | null>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [saving, setSaving] = useState(false);
  const [form, setForm] = useState({ x: '', y: '', w: '', h: '' });

  useEffect(() => {
    const el = img.current;
    if (el?.complete && el.naturalWidth) setNatural({ w: el.naturalWidth, h: el.naturalHeight });
  }, []);

  /** pointer position in image pixels */
  const toImage = (e: React.PointerEvent): { x: number; y: number } => {
    const r = img.current!.getBoundingClientRect();
    const sx = natural!.w / r.width;
    const sy = natural!.h / r.height;
    return { x: clamp((e.clientX - r.left) * sx, 0, natural!.w), y: clamp((e.clientY - r.top) * sy, 0, natural!.h) };
  };
  const spanOf = (a: { x: number; y: number }, b: { x: number; y: number }): Box => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) });

  const onDown = (e: React.PointerEvent) => {
    if (!natural || e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = toImage(e);
    setDraft({ ...start.current, w: 0, h: 0 });
  };
  const onMove = (e: React.PointerEvent) => {
    if (start.current) setDraft(spanOf(start.current, toImage(e)));
  };
  const onUp = (e: React.PointerEvent) => {
    if (!start.current) return;
    const box = spanOf(start.current, toImage(e));
    start.current = null;
    setDraft(null);
    if (box.w >= MIN_SIDE && box.h >= MIN_SIDE) setBoxes((b) => [...b, round(box)]);
  };

  const addFromForm = (e: React.FormEvent) => {
    e.preventDefault();
    if (!natural) return;
    const [x, y, w, h] = [form.x, form.y, form.w, form.h].map(Number) as [number, number, number, number];
    if (![x, y, w, h].every(Number.isFinite) || w < 1 || h < 1 || x < 0 || y < 0 || x >= natural.w || y >= natural.h) {
      setError({ code: 'INVALID_INPUT', messageKey: 'errors.invalidInput', params: { field: t('ui.redact.box'), reason: t('ui.redact.boxInvalid', { w: natural.w, h: natural.h }) } });
      return;
    }
    setError(null);
    setBoxes((b) => [...b, round({ x, y, w: Math.min(w, natural.w - x), h: Math.min(h, natural.h - y) })]);
    setForm({ x: '', y: '', w: '', h: '' });
  };

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const copy = await call('items.redact', { itemId, boxes, title: t('ui.redact.copyTitle', { title }) });
      onSaved(copy.id);
    } catch (err) {
      setError(toErrorValue(err));
      setSaving(false);
    }
  };

  const pct = (b: Box) => (natural ? { left: `${(b.x / natural.w) * 100}%`, top: `${(b.y / natural.h) * 100}%`, width: `${(b.w / natural.w) * 100}%`, height: `${(b.h / natural.h) * 100}%` } : {});
  return (
    <section className="redact-editor" aria-labelledby="redact-title" data-testid="redact-editor">
      <h3 id="redact-title">{t('ui.redact.title')}</h3>
      <p className="hint">{t('ui.redact.intro')}</p>
      <div className="redact-stage" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} data-testid="redact-stage">
        <img ref={img} src={src} alt={t('ui.item.previewOf', { title })} draggable={false} onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })} />
        {boxes.map((b, i) => (
          <div key={i} className="redact-box" style={pct(b)} />
        ))}
        {draft && <div className="redact-box draft" style={pct(draft)} />}
      </div>
      {natural && <p className="hint">{t('ui.redact.size', { w: natural.w, h: natural.h })}</p>}
      <form className="redact-form" onSubmit={addFromForm} aria-label={t('ui.redact.byNumbers')}>
        {(['x', 'y', 'w', 'h'] as const).map((k) => (
          <label key={k} className="field inline">
            <span>{t(`ui.redact.${k}`)}</span>
            <input type="number" min={0} inputMode="numeric" value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
          </label>
        ))}
        <button type="submit">{t('ui.redact.addBox')}</button>
      </form>
      {boxes.length > 0 && (
        <ol className="redact-list" aria-label={t('ui.redact.boxes')}>
          {boxes.map((b, i) => (
            <li key={i}>
              {t('ui.redact.boxLine', { x: b.x, y: b.y, w: b.w, h: b.h })}{' '}
              <button type="button" className="link" onClick={() => setBoxes(boxes.filter((_, j) => j !== i))}>
                {t('ui.redact.removeBox', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      <ErrorMessage error={error} />
      <div className="row">
        <button type="button" className="primary" disabled={!boxes.length || saving} onClick={() => void save()}>
          {t('ui.redact.save', { count: boxes.length })}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ui.common.cancel')}
        </button>
      </div>
    </section>
  );
}

type Box = RedactionBox;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (b: Box): Box => ({ x: Math.round(b.x), y: Math.round(b.y), w: Math.max(1, Math.round(b.w)), h: Math.max(1, Math.round(b.h)) });
