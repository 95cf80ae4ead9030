/**
 * A latency CDF as a hand-written SVG (no plotting dependency): one polyline per series, latency
 * on a log10 x axis (whole decades), share of updates on the y axis, p50/p99 guides, a legend
 * below the axes (a CDF's curves cross every corner of the plot at some scale).
 */
import type { CdfPoint } from './load-accounting';

export interface CdfSeries {
  readonly name: string;
  readonly points: readonly CdfPoint[];
}

const WIDTH = 760;
/** Height of the plot and its axes; the legend adds a line per series below. */
const HEIGHT = 440;
const LEGEND_LINE = 18;
const MARGIN = { left: 64, right: 24, top: 48, bottom: 56 };
const COLORS = ['#1b6ca8', '#c0392b', '#2e8b57', '#8e44ad', '#d35400', '#555555'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The whole decades [10^lo, 10^hi] that hold every positive latency (at least 0.1 ms … 10 ms). */
export function decadeRange(series: readonly CdfSeries[]): { lo: number; hi: number } {
  const values = series.flatMap((one) => one.points.map((point) => point.ms)).filter((ms) => ms > 0 && Number.isFinite(ms));
  const min = values.length > 0 ? Math.min(...values) : 1;
  const max = values.length > 0 ? Math.max(...values) : 10;
  return { lo: Math.min(-1, Math.floor(Math.log10(min))), hi: Math.max(1, Math.ceil(Math.log10(max))) };
}

const fixed = (value: number): string => (Math.round(value * 10) / 10).toString();

export function renderCdfSvg(title: string, series: readonly CdfSeries[]): string {
  const { lo, hi } = decadeRange(series);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (ms: number): number => MARGIN.left + ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo)) * plotWidth;
  const y = (share: number): number => MARGIN.top + (1 - share) * plotHeight;
  const height = HEIGHT + series.length * LEGEND_LINE + 8;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  );
  for (let decade = lo; decade <= hi; decade++) {
    const at = fixed(x(10 ** decade));
    const label = decade < 0 ? (10 ** decade).toFixed(-decade) : String(10 ** decade);
    parts.push(
      `<line x1="${at}" y1="${MARGIN.top}" x2="${at}" y2="${MARGIN.top + plotHeight}" stroke="#dddddd"/>`,
      `<text x="${at}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${label}</text>`,
    );
  }
  for (const share of [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) {
    const at = fixed(y(share));
    const guide = share === 0.5 || share === 0.99;
    parts.push(
      `<line x1="${MARGIN.left}" y1="${at}" x2="${MARGIN.left + plotWidth}" y2="${at}" stroke="${guide ? '#999999' : '#eeeeee'}"${guide ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${MARGIN.left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${share}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">end-to-end latency, sender → observer (ms, log scale)</text>`,
    `<text x="16" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotHeight / 2})">share of updates</text>`,
  );
  series.forEach((one, index) => {
    const color = COLORS[index % COLORS.length];
    if (one.points.length > 0) {
      const coordinates = one.points.map((point) => `${fixed(x(point.ms))},${fixed(y(point.share))}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${coordinates}"/>`);
    }
    const legendY = HEIGHT + 4 + index * LEGEND_LINE;
    parts.push(
      `<line x1="${MARGIN.left}" y1="${legendY}" x2="${MARGIN.left + 24}" y2="${legendY}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${MARGIN.left + 30}" y="${legendY}" dominant-baseline="middle">${escapeXml(one.name)}${one.points.length === 0 ? ' — no data' : ''}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
