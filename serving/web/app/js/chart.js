// Learning curves with uPlot (vendored from npm, see serving/web/package.json).

import { h } from './ui.js';

const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/**
 * A line chart of series over epochs: series is [{ label, values }], each values[i] at epoch i + 1 (null: no point).
 * Returns the element holding it; the chart fits its width.
 */
export function curves(title, series, yLabel = 'RMSE') {
  const holder = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  const length = Math.max(0, ...series.map((s) => s.values.length));
  const epochs = Array.from({ length }, (_, i) => i + 1);
  const data = [epochs, ...series.map((s) => epochs.map((_, i) => finite(s.values[i])))];
  let drawnWidth = 0;
  const draw = () => {
    const width = Math.max(280, holder.clientWidth || 600);
    if (width === drawnWidth) return;
    drawnWidth = width;
    holder.querySelector('.uplot')?.remove();
    // eslint-disable-next-line no-undef
    new uPlot({
      width,
      height: 280,
      scales: { x: { time: false } },
      axes: [{ label: 'epoch' }, { label: yLabel, values: (_, ticks) => ticks.map((t) => t.toFixed(3)) }],
      series: [{ label: 'epoch' }, ...series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: true }))],
    }, data, holder);
  };
  requestAnimationFrame(draw);
  new ResizeObserver(() => draw()).observe(holder);
  return holder;
}

function finite(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
