import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ChartSeries {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

/** A round step for about `ticks` grid lines over [0, max]. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  return ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A plain SVG line chart: axes from zero, grid lines, one polyline per series, a legend. */
export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 900;
  const height = chart.height ?? 500;
  const margin = { left: 80, right: 30, top: 50, bottom: 60 };
  const all = chart.series.flatMap((s) => s.points);
  const xStep = niceStep(Math.max(...all.map((p) => p[0])), 8);
  const yStep = niceStep(Math.max(...all.map((p) => p[1])), 6);
  const xMax = Math.ceil(Math.max(...all.map((p) => p[0])) / xStep) * xStep;
  const yMax = Math.ceil(Math.max(...all.map((p) => p[1])) / yStep) * yStep;
  const x = (v: number) => margin.left + (v / xMax) * (width - margin.left - margin.right);
  const y = (v: number) => height - margin.bottom - (v / yMax) * (height - margin.top - margin.bottom);
  const grid: string[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    grid.push(`<line x1="${x(0)}" y1="${y(v)}" x2="${x(xMax)}" y2="${y(v)}" stroke="#ddd"/>`, `<text x="${x(0) - 8}" y="${y(v) + 4}" text-anchor="end">${+v.toFixed(3)}</text>`);
  }
  for (let v = 0; v <= xMax + 1e-9; v += xStep) grid.push(`<text x="${x(v)}" y="${y(0) + 20}" text-anchor="middle">${+v.toFixed(3)}</text>`);
  const lines = chart.series.map(
    (s) => `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')}"/>`,
  );
  const legend = chart.series.map(
    (s, i) => `<rect x="${margin.left + 20}" y="${margin.top + 10 + i * 22}" width="14" height="14" fill="${s.color}"/><text x="${margin.left + 42}" y="${margin.top + 22 + i * 22}">${escape(s.name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="16">${escape(chart.title)}</text>`,
    ...grid,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(xMax)}" y2="${y(0)}" stroke="#333"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(yMax)}" stroke="#333"/>`,
    `<text x="${width / 2}" y="${height - 15}" text-anchor="middle">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(20 ${height / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`,
    ...lines,
    ...legend,
    '</svg>',
  ].join('\n');
}

/** Renders an SVG file to PNG with headless Chromium; returns false when no Chromium is installed. */
export function svgToPng(svgFile: string, pngFile: string, width: number, height: number): boolean {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!chromium) return false;
  const result = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${width},${height}`, `--screenshot=${pngFile}`, `file://${svgFile}`], {
    stdio: 'ignore',
    timeout: 60_000,
  });
  return result.status === 0 && existsSync(pngFile);
}
