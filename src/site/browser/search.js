// Instant search and filters over the dataset list of the home page. Without JavaScript the form stays
// hidden and the full list, rendered in the HTML, is what the reader gets.
const form = document.getElementById('filters');
const list = document.getElementById('dataset-list');
if (form && list) {
  const items = [...list.children];
  const count = document.getElementById('results-count');
  const none = document.getElementById('no-results');
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const texts = new Map(items.map((li) => [li, fold(li.dataset.search ?? '')]));

  const apply = () => {
    const terms = fold(form.elements.q.value).split(/\s+/).filter(Boolean);
    const license = form.elements.license.value;
    const source = form.elements.source.value;
    const size = form.elements.size.value;
    let shown = 0;
    for (const li of items) {
      const ok =
        terms.every((t) => texts.get(li).includes(t)) &&
        (!license || li.dataset.licenses.split('|').includes(license)) &&
        (!source || li.dataset.sources.split('|').includes(source)) &&
        (!size || li.dataset.size === size);
      li.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = (shown > 1 ? count.dataset.many : count.dataset.one).replace('{n}', String(shown)).replace('{total}', String(items.length));
    none.hidden = shown !== 0;
    // The address keeps the search, so that a filtered list can be shared or bookmarked.
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) params.set(k, String(v));
    const query = params.toString();
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  };

  for (const [k, v] of new URLSearchParams(location.search)) {
    const field = form.elements.namedItem(k);
    if (field) field.value = v;
  }
  form.hidden = false;
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  apply();
}
