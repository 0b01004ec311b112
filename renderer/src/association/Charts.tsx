import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export interface ChartRow {
  label: string;
  value: number;
}

/** drawn at this width in CSS pixels (never scaled up, only down on a narrow window) */
const W = 560;

/** Shortens a label drawn in the chart; the table beside it always has the whole text. */
const clip = (s: string, max: number) => ([...s].length > max ? [...s].slice(0, max - 1).join('') + '…' : s);

function HorizontalBars({ rows, labelledBy }: { rows: ChartRow[]; labelledBy: string }) {
  const label = 230;
  const row = 30;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const room = W - label - 60;
  const height = rows.length * row + 12;
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-labelledby={labelledBy}>
      {rows.map((r, i) => {
        const y = 6 + i * row;
        const w = Math.max(2, Math.round((r.value / max) * room));
        return (
          <g key={i}>
            <text x={label - 8} y={y + 18} textAnchor="end" fontSize="14" fill="#1d232b">
              {clip(r.label, 26)}
            </text>
            <rect x={label} y={y + 4} width={w} height={row - 10} rx="3" fill="#0b5cad" />
            <text x={label + w + 6} y={y + 18} fontSize="14" fill="#1d232b">
              {r.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Columns({ rows, labelledBy }: { rows: ChartRow[]; labelledBy: string }) {
  const height = 230;
  const base = height - 34;
  const top = 22;
  const left = 8;
  const step = (W - left * 2) / Math.max(1, rows.length);
  const max = Math.max(1, ...rows.map((r) => r.value));
  // one label per column when they fit, else every k-th so they do not overlap
  const every = Math.max(1, Math.ceil(56 / step));
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-labelledby={labelledBy}>
      <line x1={left} y1={base} x2={W - left} y2={base} stroke="#4f5b67" />
      {rows.map((r, i) => {
        const h = Math.round((r.value / max) * (base - top));
        const x = left + i * step + step * 0.15;
        const w = step * 0.7;
        return (
          <g key={i}>
            <rect x={x} y={base - h} width={w} height={h} rx="2" fill="#17663a" />
            {r.value > 0 && step >= 16 && (
              <text x={x + w / 2} y={base - h - 5} textAnchor="middle" fontSize="12" fill="#1d232b">
                {r.value}
              </text>
            )}
            {i % every === 0 && (
              <text x={x + w / 2} y={base + 18} textAnchor="middle" fontSize="12" fill="#1d232b">
                {r.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/**
 * A chart and, beside it, the same figures as a table: the table is what a screen reader (or someone copying the
 * numbers) uses, the chart only says what it shows and points to it.
 */
export function ChartWithTable({ title, labelHeader, rows, extra, kind, testId }: { title: string; labelHeader: string; rows: ChartRow[]; extra?: ChartRow | null; kind: 'bars' | 'columns'; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const headingId = `${id}-h`;
  const descId = `${id}-d`;
  const all = extra ? [...rows, extra] : rows;
  return (
    <section className="chart-card" aria-labelledby={headingId} data-testid={testId}>
      <h3 id={headingId}>{title}</h3>
      <div className="chart-grid">
        <div className="chart-box">
          <span id={descId} className="sr-only">
            {t('ui.association.stats.chartOf', { title })}
          </span>
          {rows.length > 0 && (kind === 'bars' ? <HorizontalBars rows={rows} labelledBy={descId} /> : <Columns rows={rows} labelledBy={descId} />)}
        </div>
        <table className="data-table">
          <caption className="sr-only">{t('ui.association.stats.tableOf', { title })}</caption>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              <th scope="col" className="num">
                {t('ui.association.stats.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {all.map((r, i) => (
              <tr key={i} className={r === extra ? 'muted' : undefined}>
                <th scope="row">{r.label}</th>
                <td className="num">{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
