// WCAG 2.1 contrast (1.4.3) of every visible text and form control against the colour actually
// behind it: the element's own background composited over those of its ancestors, down to the
// white canvas. axe-core cannot judge text on a transparent control inside a coloured header;
// this can. Text over a background image is skipped (its colour cannot be known here).
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)/);
    if (!m) return null;
    return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // The background behind `element`, or null when an image is part of it.
  const background = (element) => {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") return null;
      const colour = parse(style.backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] === 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const visible = (element) => {
    const rect = element.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) return false;
    if (rect.right <= 0 || rect.bottom <= 0 || rect.left >= document.documentElement.scrollWidth) {
      return false;
    }
    const style = getComputedStyle(element);
    if (style.visibility !== "visible" || element.closest("svg")) return false;
    for (let node = element; node; node = node.parentElement) {
      const own = getComputedStyle(node);
      if (own.opacity === "0" || own.clipPath === "inset(50%)") return false;
    }
    return true;
  };
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += `#${element.id}`;
    else if (element.classList.length) name += `.${[...element.classList].join(".")}`;
    const parent = element.parentElement;
    const where = parent ? parent.closest("[id], header, nav, main, footer") : null;
    return where && where !== element ? `${where.tagName.toLowerCase()}${where.id ? "#" + where.id : ""} ${name}` : name;
  };
  const controls = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea, button";
  const problems = [];
  for (const element of document.body.querySelectorAll("*")) {
    const isControl = element.matches(controls);
    const hasText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!(isControl || hasText) || element.disabled || !visible(element)) continue;
    const style = getComputedStyle(element);
    const behind = background(element);
    const colour = parse(style.color);
    if (!behind || !colour) continue;
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    const found = ratio(over(colour, behind), behind);
    if (found < needed) {
      const text = (isControl ? element.value || element.textContent : element.textContent).trim();
      problems.push(
        `${describe(element)} "${text.slice(0, 40)}": ${style.color} on ` +
          `rgb(${behind.slice(0, 3).map(Math.round).join(", ")}) is ${found.toFixed(2)}:1, needs ${needed}:1`,
      );
    }
  }
  return problems;
}
