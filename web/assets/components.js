// Review components: the before/after comparison and the recipe table.
//
// Shared by the review desk (served by `enhancer serve`) and the contact sheet that
// `enhancer enhance --out DIR` writes as one self-contained, offline index.html. So this file
// imports nothing, talks to no API, and needs only its stylesheet, components.css.
//
// How to load it (one file, both ways):
//   - As a classic script, or its text inlined into a page's script element:
//       the functions are on window.enhancerComponents. (So that inlining works, this file must
//       never contain the characters of a closing script tag, not even in a comment.)
//   - As an ES module: import "components.module.js" (a two-line wrapper beside this file)
//       import {createComparison, createRecipeTable} from "./components.module.js";
// The file is deliberately not an ES module itself: `export` is a syntax error in a classic
// script, while a script that assigns to globalThis works in both worlds, also when a build step
// inlines it as <script type="module">.
//
// API
//   createComparison({beforeUrl, afterUrl, label, beforeAlt?, afterAlt?, width?, height?,
//                     position?}) -> HTMLElement
//     The enhanced image (after) under the original (before), with a divider the user drags or
//     moves with the keyboard (it is a native range input: arrow keys move it 1 %, Page Up/Down
//     10 %, Home/End to the edges). `label` names the control for assistive technology, e.g.
//     "Compare original and bright-airy". width/height (of the after image) reserve the box's
//     aspect ratio before the images load, so nothing jumps; the default box is square.
//     `position` is where the divider starts, 0-100 (default 50). The element's
//     `comparisonPosition` property reads and sets it. `loading` is the images' loading
//     attribute: 'lazy' (default, for long contact sheets) or 'eager'.
//   createRecipeTable(recipe, {caption?}) -> HTMLElement
//     A <table> of a recipe's numbers (levels, white balance, gamma, contrast, saturation,
//     denoise, sharpen), each with the neutral value and a few words on what it does to the
//     photo. `name` and `prompt` are not repeated (show them beside the table); fields it does
//     not know are listed at the end, so nothing a planner set is hidden. A null or non-object
//     recipe gives a one-line note instead of a table.
(function (root) {
  'use strict';

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  let comparisonCount = 0;

  function createComparison(options) {
    const {beforeUrl, afterUrl, label = 'Compare original and enhanced image',
           beforeAlt = 'Original photo', afterAlt = 'Enhanced photo',
           width, height, position = 50, loading = 'lazy'} = options || {};
    const id = 'ec-comparison-' + (++comparisonCount);

    const figure = el('div', 'ec-comparison');
    if (width > 0 && height > 0) figure.style.setProperty('--ec-aspect', width + ' / ' + height);

    const after = el('img', 'ec-comparison__img ec-comparison__after');
    after.src = afterUrl;
    after.alt = afterAlt;
    after.decoding = 'async';
    after.loading = loading;

    // The original sits on top and is clipped from the right, so the left part shows "before".
    const beforeClip = el('div', 'ec-comparison__before');
    const before = el('img', 'ec-comparison__img');
    before.src = beforeUrl;
    before.alt = beforeAlt;
    before.decoding = 'async';
    before.loading = loading;
    beforeClip.appendChild(before);

    const tagBefore = el('span', 'ec-comparison__tag ec-comparison__tag--before', 'Before');
    const tagAfter = el('span', 'ec-comparison__tag ec-comparison__tag--after', 'After');
    tagBefore.setAttribute('aria-hidden', 'true');
    tagAfter.setAttribute('aria-hidden', 'true');

    // A native range input gives keyboard, touch and screen-reader behaviour for free; it covers
    // the whole picture (transparent) so a drag anywhere moves the divider.
    const range = el('input', 'ec-comparison__range');
    range.type = 'range';
    range.min = '0';
    range.max = '100';
    range.step = '1';
    range.id = id;
    range.setAttribute('aria-label', label);

    // Drawn after the input so `:focus-visible ~ .ec-comparison__handle` can show focus on it.
    const handle = el('div', 'ec-comparison__handle');
    handle.setAttribute('aria-hidden', 'true');
    handle.appendChild(el('span', 'ec-comparison__knob'));

    function set(value) {
      const v = Math.max(0, Math.min(100, Number(value)));
      const clamped = Number.isFinite(v) ? v : 50;
      range.value = String(clamped);
      range.setAttribute('aria-valuetext', Math.round(clamped) + '% original, ' +
                         Math.round(100 - clamped) + '% enhanced');
      figure.style.setProperty('--ec-pos', clamped + '%');
    }
    range.addEventListener('input', () => set(range.value));
    set(position);

    Object.defineProperty(figure, 'comparisonPosition', {
      get: () => Number(range.value),
      set: (value) => set(value),
    });

    figure.append(after, beforeClip, tagBefore, tagAfter, range, handle);
    return figure;
  }

  // Each row: [label, read(recipe) -> value or undefined, neutral text, effect(value) -> text].
  const fmt = (x) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(2) : String(x));
  const pct = (x) => Math.round(Math.abs(x) * 100) + '%';
  const rows = [
    {key: ['black_point', 'white_point'], label: 'Levels',
     value: (r) => fmt(r.black_point ?? 0) + ' – ' + fmt(r.white_point ?? 1), neutral: '0.00 – 1.00',
     effect: (r) => {
       const b = r.black_point ?? 0, w = r.white_point ?? 1;
       if (b === 0 && w === 1) return 'unchanged';
       const parts = [];
       if (b > 0) parts.push('darkest ' + pct(b) + ' become black');
       if (w < 1) parts.push('brightest ' + pct(1 - w) + ' become white');
       return parts.join('; ');
     }},
    {key: ['white_balance'], label: 'White balance (R, G, B)',
     value: (r) => Array.isArray(r.white_balance) ? r.white_balance.map(fmt).join(', ') : fmt(r.white_balance),
     neutral: '1.00, 1.00, 1.00',
     effect: (r) => {
       const g = r.white_balance;
       if (!Array.isArray(g) || g.length !== 3) return '';
       const [red, , blue] = g;
       if (g.every((x) => Math.abs(x - 1) < 0.005)) return 'unchanged';
       if (Math.abs(red - blue) < 0.02) return red > 1 ? 'slightly brighter' : 'slightly darker';
       return red > blue ? 'warmer (more red than blue)' : 'cooler (more blue than red)';
     }},
    {key: ['gamma'], label: 'Gamma', value: (r) => fmt(r.gamma), neutral: '1.00',
     effect: (r) => r.gamma > 1 ? 'brighter midtones' : r.gamma < 1 ? 'darker midtones' : 'unchanged'},
    {key: ['contrast'], label: 'Contrast', value: (r) => fmt(r.contrast), neutral: '1.00',
     effect: (r) => r.contrast > 1 ? pct(r.contrast - 1) + ' more contrast'
                  : r.contrast < 1 ? pct(1 - r.contrast) + ' less contrast' : 'unchanged'},
    {key: ['saturation'], label: 'Saturation', value: (r) => fmt(r.saturation), neutral: '1.00',
     effect: (r) => r.saturation === 0 ? 'greyscale'
                  : r.saturation > 1 ? pct(r.saturation - 1) + ' more colourful'
                  : r.saturation < 1 ? pct(1 - r.saturation) + ' more muted' : 'unchanged'},
    {key: ['denoise'], label: 'Denoise', value: (r) => fmt(r.denoise), neutral: '0.00',
     effect: (r) => r.denoise > 0 ? 'smooths noise, ' + pct(r.denoise) + ' strength' : 'off'},
    {key: ['sharpen', 'sharpen_radius'], label: 'Sharpen (amount, radius px)',
     value: (r) => fmt(r.sharpen ?? 0) + ', ' + fmt(r.sharpen_radius ?? 1), neutral: '0.00, 1.00',
     effect: (r) => (r.sharpen ?? 0) > 0 ? 'crisper edges' : 'off'},
  ];

  function createRecipeTable(recipe, options) {
    const {caption = 'Recipe'} = options || {};
    if (!recipe || typeof recipe !== 'object' || Array.isArray(recipe)) {
      return el('p', 'ec-recipe-missing', 'No recipe was recorded for this image.');
    }
    const table = el('table', 'ec-recipe');
    table.appendChild(el('caption', '', caption));
    const head = table.createTHead().insertRow();
    for (const text of ['Adjustment', 'Value', 'Neutral', 'Effect']) {
      const th = el('th', '', text);
      th.scope = 'col';
      head.appendChild(th);
    }
    const body = table.createTBody();
    const known = new Set(['name', 'prompt']);
    const addRow = (label, value, neutral, effect) => {
      const tr = body.insertRow();
      const th = el('th', '', label);
      th.scope = 'row';
      tr.appendChild(th);
      tr.appendChild(el('td', 'ec-recipe__num', value));
      tr.appendChild(el('td', 'ec-recipe__num ec-recipe__neutral', neutral));
      tr.appendChild(el('td', 'ec-recipe__effect', effect));
      if (effect === 'unchanged' || effect === 'off') tr.classList.add('ec-recipe__row--idle');
    };
    for (const row of rows) {
      row.key.forEach((k) => known.add(k));
      if (!row.key.some((k) => k in recipe)) continue;
      addRow(row.label, row.value(recipe), row.neutral, row.effect(recipe));
    }
    for (const [key, value] of Object.entries(recipe)) {
      if (known.has(key)) continue;
      addRow(key, typeof value === 'object' ? JSON.stringify(value) : fmt(value), '', '');
    }
    return table;
  }

  root.enhancerComponents = Object.freeze({createComparison, createRecipeTable});
})(typeof globalThis !== 'undefined' ? globalThis : window);
