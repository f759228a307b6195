// The one table every run prints: figure | measured | baseline (same run) | ratio | goal | met?
export class NotMeasured extends Error {}

export const rows = [];
export let crashed = 0;

/** Adds a row. `met` is true/false, or null when the figure has no goal. */
export function row(figure, measured, baseline, ratio, goal, met) {
  rows.push({
    figure,
    measured: String(measured ?? '—'),
    baseline: String(baseline ?? '—'),
    ratio: ratio == null || Number.isNaN(ratio) ? '—' : typeof ratio === 'number' ? `${ratio.toFixed(2)}×` : String(ratio),
    goal: goal ?? '—',
    met: met == null ? '—' : met ? 'yes' : '**no**',
    missedGoal: met === false,
  });
}

/** Runs one section; a NotMeasured or any error becomes a row instead of stopping the run. */
export async function section(name, fn) {
  const t = Date.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    await fn();
  } catch (e) {
    if (e instanceof NotMeasured) {
      row(name, `not measured: ${e.message}`, null, null, null, null);
    } else {
      crashed += 1;
      row(name, `ERROR: ${String(e?.message ?? e).split('\n')[0].slice(0, 200)}`, null, null, null, false);
      process.stderr.write(`bench: ${name} failed:\n${e?.stack ?? e}\n`);
    }
  }
  process.stderr.write(`bench: ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}

/** How many rows missed their goal. */
export const missed = () => rows.filter((r) => r.missedGoal).length;

export function render() {
  const cols = ['figure', 'measured', 'baseline', 'ratio', 'goal', 'met'];
  const head = ['figure', 'measured', 'baseline (same run)', 'ratio', 'goal', 'met?'];
  const esc = (s) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const width = cols.map((c, i) => Math.max(head[i].length, ...rows.map((r) => esc(r[c]).length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => esc(r[c]))))].join('\n');
}

export const ms = (v) => (v == null || Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);
export const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
export const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
export const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
export const percentile = (v, p) => { const s = [...v].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN; };
