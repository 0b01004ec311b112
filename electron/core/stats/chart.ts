import type { TFunction } from 'i18next';
import { loadSharp } from '../native/sharp.js';
import { formatMoney } from '../../../shared/format.js';
import type { CaseStats } from './compute.js';

const FONT = `'Noto Sans CJK SC', 'Noto Sans SC', 'Noto Sans', sans-serif`;
const WIDTH = 1200;

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

function hbars(title: string, rows: { label: string; value: number }[], y: number, color: string): { svg: string; height: number } {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const labelW = 420;
  const barW = WIDTH - labelW - 120;
  let svg = `<text x="40" y="${y + 28}" font-size="24" font-weight="bold">${esc(title)}</text>`;
  rows.forEach((r, i) => {
    const top = y + 50 + i * 34;
    const w = Math.max(2, Math.round((r.value / max) * barW));
    svg += `<text x="${labelW + 20}" y="${top + 20}" font-size="17" text-anchor="end">${esc(r.label.length > 36 ? r.label.slice(0, 35) + '…' : r.label)}</text>`;
    svg += `<rect x="${labelW + 30}" y="${top + 4}" width="${w}" height="22" fill="${color}" rx="3"/>`;
    svg += `<text x="${labelW + 38 + w}" y="${top + 21}" font-size="16">${r.value}</text>`;
  });
  return { svg, height: 60 + Math.max(1, rows.length) * 34 + 20 };
}

function vbars(title: string, rows: { label: string; value: number }[], y: number, color: string): { svg: string; height: number } {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const plotH = 220;
  const left = 60;
  const step = rows.length ? Math.min(80, (WIDTH - left - 40) / rows.length) : 80;
  let svg = `<text x="40" y="${y + 28}" font-size="24" font-weight="bold">${esc(title)}</text>`;
  // room under the title for the value printed above the tallest column
  const base = y + 70 + plotH;
  svg += `<line x1="${left}" y1="${base}" x2="${WIDTH - 30}" y2="${base}" stroke="#888"/>`;
  rows.forEach((r, i) => {
    const h = Math.round((r.value / max) * plotH);
    const x = left + i * step + step * 0.15;
    svg += `<rect x="${x}" y="${base - h}" width="${step * 0.7}" height="${h}" fill="${color}" rx="2"/>`;
    if (r.value) svg += `<text x="${x + step * 0.35}" y="${base - h - 6}" font-size="14" text-anchor="middle">${r.value}</text>`;
    // Label every month when they fit, else every third.
    if (step >= 60 || i % 3 === 0) svg += `<text x="${x + step * 0.35}" y="${base + 22}" font-size="13" text-anchor="middle">${esc(r.label)}</text>`;
  });
  return { svg, height: 70 + plotH + 50 };
}

/** The statistics as one chart image: an SVG, and the same rendered to PNG with sharp (librsvg). */
export async function renderStatsChart(stats: CaseStats, t: TFunction, locale: string): Promise<{ svg: string; png: Buffer }> {
  let y = 20;
  const parts: string[] = [];
  parts.push(`<text x="40" y="${y + 34}" font-size="32" font-weight="bold">${esc(t('stats.title'))}</text>`);
  parts.push(`<text x="40" y="${y + 66}" font-size="18" fill="#444">${esc(t('stats.cases', { count: stats.cases }))}</text>`);
  y += 90;
  const losses = stats.losses.map((l) => `${l.currency}  ${t('stats.total')} ${formatMoney(l.total, locale)}  ·  ${t('stats.median')} ${formatMoney(l.median, locale)}  ·  ${t('stats.casesWithLoss')} ${l.cases}`);
  for (const line of losses) {
    parts.push(`<text x="40" y="${y + 20}" font-size="18">${esc(line)}</text>`);
    y += 28;
  }
  y += 10;
  const byType = hbars(t('stats.byType'), stats.byType.map((r) => ({ label: t(`incidentType.${r.type}`), value: r.count })), y, '#3b6fb6');
  parts.push(byType.svg);
  y += byType.height;
  const byMonth = vbars(t('stats.byMonth'), stats.byMonth.map((r) => ({ label: r.month, value: r.count })), y, '#4f9a55');
  parts.push(byMonth.svg);
  y += byMonth.height;
  const byPlatform = hbars(t('stats.byPlatform'), stats.byPlatform.slice(0, 15).map((r) => ({ label: r.platform, value: r.count })), y, '#c0504d');
  parts.push(byPlatform.svg);
  y += byPlatform.height;
  const height = y + 20;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${esc(FONT)}"><rect width="100%" height="100%" fill="#ffffff"/>${parts.join('')}</svg>`;
  const png = await (await loadSharp())(Buffer.from(svg)).png().toBuffer();
  return { svg, png };
}
